//! apply (in progress).
