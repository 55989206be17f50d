//! Values and the expression evaluator.

pub mod value;
