//! Unary and binary operators.
//!
//! Arithmetic and ordering convert operands to numbers, logic converts them to bools
//! (HCL's implicit conversions), equality compares structurally without conversion.
//! An "Invalid operand" error spans the operand that could not be converted. A result is
//! sensitive when either operand is.

use hcl_edit::expr::{BinaryOp, BinaryOperator, UnaryOp, UnaryOperator};

use super::expr::{EvalResult, Evaluator};
use super::{convert, messages};
use crate::diagnostics::{Diagnostic, Span};
use crate::eval::value::Value;

impl Evaluator<'_> {
    /// `!x` and `-x`.
    pub(super) fn unary(&mut self, op: &UnaryOp) -> EvalResult {
        let (value, sensitive) = self.eval(&op.expr)?.unmark();
        if value == Value::Unknown {
            return Ok(Value::Unknown.mark_if(sensitive));
        }
        let span = self.span(&op.expr);
        let result = match op.operator.value() {
            UnaryOperator::Not => bool_operand(&value, span).map(|b| Value::Bool(!b)),
            UnaryOperator::Neg => number_operand(&value, span).map(|n| Value::Number(-n)),
        };
        match result {
            Ok(v) => Ok(v.mark_if(sensitive)),
            Err(d) => Err(messages::redact_if(sensitive, d)),
        }
    }

    /// `a OP b`. Both sides are always evaluated (HCL does not short-circuit), so an error
    /// on either side is reported.
    pub(super) fn binary(&mut self, op: &BinaryOp) -> EvalResult {
        let operator = *op.operator.value();
        // Equality looks inside collections, so it needs every mark removed.
        let deep = matches!(operator, BinaryOperator::Eq | BinaryOperator::NotEq);
        let unmark = |v: Value| if deep { v.unmark_deep() } else { v.unmark() };
        let (lhs, lhs_marked) = unmark(self.eval(&op.lhs_expr)?);
        let (rhs, rhs_marked) = unmark(self.eval(&op.rhs_expr)?);
        let sensitive = lhs_marked || rhs_marked;
        match self.binary_unmarked(op, lhs, rhs) {
            Ok(v) => Ok(v.mark_if(sensitive)),
            Err(d) => Err(messages::redact_if(sensitive, d)),
        }
    }

    fn binary_unmarked(&mut self, op: &BinaryOp, lhs: Value, rhs: Value) -> EvalResult {
        let lhs_span = self.span(&op.lhs_expr);
        let rhs_span = self.span(&op.rhs_expr);
        let operator = *op.operator.value();
        match operator {
            BinaryOperator::Eq | BinaryOperator::NotEq => {
                if !lhs.is_wholly_known() || !rhs.is_wholly_known() {
                    return Ok(Value::Unknown);
                }
                let equal = lhs == rhs;
                Ok(Value::Bool(equal == (operator == BinaryOperator::Eq)))
            }
            BinaryOperator::And | BinaryOperator::Or => {
                logic(operator, (&lhs, lhs_span), (&rhs, rhs_span))
            }
            _ => {
                if lhs == Value::Unknown || rhs == Value::Unknown {
                    // Still check the known side, so a type error shows at plan time.
                    for (v, span) in [(&lhs, lhs_span.clone()), (&rhs, rhs_span.clone())] {
                        if *v != Value::Unknown {
                            number_operand(v, span)?;
                        }
                    }
                    return Ok(Value::Unknown);
                }
                let a = number_operand(&lhs, lhs_span)?;
                let b = number_operand(&rhs, rhs_span.clone())?;
                arithmetic(operator, a, b, rhs_span)
            }
        }
    }
}

/// `&&` and `||`; decidable with one unknown side when the other side settles it.
fn logic(op: BinaryOperator, lhs: (&Value, Span), rhs: (&Value, Span)) -> EvalResult {
    let side = |(v, span): (&Value, Span)| match v {
        Value::Unknown => Ok(None),
        v => bool_operand(v, span).map(Some),
    };
    let (a, b) = (side(lhs)?, side(rhs)?);
    let deciding = op == BinaryOperator::Or; // `true || x` and `false && x` are settled.
    Ok(match (a, b) {
        (Some(a), Some(b)) if op == BinaryOperator::And => Value::Bool(a && b),
        (Some(a), Some(b)) => Value::Bool(a || b),
        (Some(x), None) | (None, Some(x)) if x == deciding => Value::Bool(deciding),
        _ => Value::Unknown,
    })
}

/// Arithmetic and ordering on two numbers.
fn arithmetic(op: BinaryOperator, a: f64, b: f64, rhs_span: Span) -> EvalResult {
    Ok(match op {
        BinaryOperator::Plus => Value::Number(a + b),
        BinaryOperator::Minus => Value::Number(a - b),
        BinaryOperator::Mul => Value::Number(a * b),
        BinaryOperator::Div | BinaryOperator::Mod if b == 0.0 => {
            return Err(Diagnostic::error("Division by zero")
                .with_span(rhs_span, "this is zero")
                .with_detail("The right-hand side of `/` or `%` must not be zero."));
        }
        BinaryOperator::Div => Value::Number(a / b),
        BinaryOperator::Mod => Value::Number(a % b),
        BinaryOperator::Less => Value::Bool(a < b),
        BinaryOperator::LessEq => Value::Bool(a <= b),
        BinaryOperator::Greater => Value::Bool(a > b),
        BinaryOperator::GreaterEq => Value::Bool(a >= b),
        BinaryOperator::Eq | BinaryOperator::NotEq | BinaryOperator::And | BinaryOperator::Or => {
            unreachable!("handled by the caller")
        }
    })
}

fn number_operand(v: &Value, span: Span) -> Result<f64, Diagnostic> {
    convert::to_number(v).ok_or_else(|| invalid_operand(v, span, "a number"))
}

fn bool_operand(v: &Value, span: Span) -> Result<bool, Diagnostic> {
    convert::to_bool(v).ok_or_else(|| invalid_operand(v, span, "a bool"))
}

fn invalid_operand(v: &Value, span: Span, required: &str) -> Diagnostic {
    let found = match v {
        Value::String(s) => format!("the string {}", Value::String(s.clone())),
        other => convert::a_type(other),
    };
    Diagnostic::error("Invalid operand")
        .with_span(span, format!("{required} is required"))
        .with_detail(format!(
            "Unsuitable value for this operand: {required} is required, but this is {found}."
        ))
}
