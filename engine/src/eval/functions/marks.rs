//! `sensitive` and `nonsensitive`: the functions that add and remove sensitive marks.

use super::Call;
use crate::eval::expr::EvalResult;
use crate::eval::value::Value;

/// `sensitive(value)`: the value, marked sensitive.
pub(super) fn sensitive(call: &Call) -> EvalResult {
    Ok(Value::sensitive(call.arg(0).clone()))
}

/// `nonsensitive(value)`: the value without its own sensitive mark (marks on elements
/// inside stay, as in Terraform). A value that is not sensitive is returned unchanged.
pub(super) fn nonsensitive(call: &Call) -> EvalResult {
    Ok(call.arg(0).clone().unmark().0)
}
