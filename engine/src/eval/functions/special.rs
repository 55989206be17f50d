//! `try` and `can`: functions whose arguments are evaluated one by one, turning errors
//! into fallbacks, so the evaluator calls them before evaluating any argument.

use hcl_edit::expr::FuncCall;

use crate::diagnostics::Diagnostic;
use crate::eval::expr::{EvalResult, Evaluator};
use crate::eval::value::Value;

impl Evaluator<'_> {
    /// Evaluates `try(...)` or `can(...)`.
    pub(in crate::eval) fn special_form(&mut self, call: &FuncCall) -> EvalResult {
        let name = call.name.name.as_str();
        let args: Vec<_> = call.args.iter().collect();
        let span = self.span(call);
        if name == "can" {
            if args.len() != 1 {
                return Err(Diagnostic::error("Wrong number of function arguments")
                    .with_span(span, format!("{} argument(s) given", args.len()))
                    .with_detail("Function `can` expects exactly one argument.")
                    .with_help("the signature is `can(expression)`"));
            }
            return Ok(match self.eval(args[0]) {
                // Whether it would fail is only decided once the value is known.
                Ok(v) if !v.is_wholly_known() => Value::Unknown,
                Ok(_) => Value::Bool(true),
                Err(_) => Value::Bool(false),
            });
        }
        if args.is_empty() {
            return Err(Diagnostic::error("Not enough function arguments")
                .with_span(span, "no arguments given")
                .with_detail("Function `try` expects at least one argument.")
                .with_help("the signature is `try(expressions...)`"));
        }
        let mut last_error = None;
        for arg in args {
            match self.eval(arg) {
                Ok(v) if !v.is_wholly_known() => {
                    return Ok(Value::Unknown.mark_if(v.contains_sensitive()));
                }
                Ok(v) => return Ok(v),
                Err(d) => last_error = Some(d),
            }
        }
        let detail = last_error.map_or(String::new(), |d| format!(" The last error was: {d}"));
        Err(Diagnostic::error("Error in function call `try`")
            .with_span(span, "no argument succeeded")
            .with_detail(format!(
                "None of the expressions produced a valid result.{detail}"
            )))
    }
}
