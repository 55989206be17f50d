//! graph (in progress).
