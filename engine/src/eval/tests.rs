//! Tests for the evaluator.
