//! Tests for `validate`.
