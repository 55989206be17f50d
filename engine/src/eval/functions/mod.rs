//! Built-in functions: the registry, argument checking, and calling from the evaluator.
//!
//! Each function declares its parameters and how it treats unknown arguments; the
//! implementations live in `strings`, `format`, `collections` and `types`. Errors about
//! an argument span that argument; arity errors span the call.

mod collections;
mod format;
mod strings;
mod types;

use hcl_edit::expr::FuncCall;

use super::convert;
use super::expr::{EvalResult, Evaluator};
use super::messages;
use crate::diagnostics::{Diagnostic, Span};
use crate::eval::value::Value;

/// How a function treats unknown arguments.
#[derive(Clone, Copy)]
enum Unknowns {
    /// The result is unknown if any argument is or contains an unknown value.
    Deep,
    /// The result is unknown if any argument is itself unknown; unknown elements inside
    /// known lists and objects are fine (e.g. `length`).
    Shallow,
    /// The function decides (e.g. `coalesce`).
    Custom,
}

/// One built-in function.
struct Function {
    name: &'static str,
    /// Names of the required parameters, for messages.
    params: &'static [&'static str],
    /// Optional trailing parameters (`lookup`'s default).
    optional: &'static [&'static str],
    /// The name of the variadic parameter, if the function takes any number more.
    variadic: Option<&'static str>,
    unknowns: Unknowns,
    run: fn(&Call) -> EvalResult,
}

macro_rules! function {
    ($name:literal, [$($p:literal),*], [$($o:literal),*], $variadic:expr, $unknowns:ident, $run:path) => {
        Function {
            name: $name,
            params: &[$($p),*],
            optional: &[$($o),*],
            variadic: $variadic,
            unknowns: Unknowns::$unknowns,
            run: $run,
        }
    };
}

/// Every built-in function, sorted by name.
static FUNCTIONS: &[Function] = &[
    function!(
        "coalesce",
        [],
        [],
        Some("vals"),
        Custom,
        collections::coalesce
    ),
    function!("concat", [], [], Some("seqs"), Shallow, collections::concat),
    function!(
        "contains",
        ["list", "value"],
        [],
        None,
        Deep,
        collections::contains
    ),
    function!("format", ["format"], [], Some("args"), Deep, format::format),
    function!(
        "join",
        ["separator"],
        [],
        Some("lists"),
        Deep,
        strings::join
    ),
    function!("length", ["value"], [], None, Shallow, collections::length),
    function!(
        "lookup",
        ["map", "key"],
        ["default"],
        None,
        Shallow,
        collections::lookup
    ),
    function!("lower", ["str"], [], None, Deep, strings::lower),
    function!("merge", [], [], Some("maps"), Shallow, collections::merge),
    function!(
        "replace",
        ["str", "substr", "replace"],
        [],
        None,
        Deep,
        strings::replace
    ),
    function!(
        "split",
        ["separator", "str"],
        [],
        None,
        Deep,
        strings::split
    ),
    function!("tobool", ["v"], [], None, Shallow, types::tobool),
    function!("tonumber", ["v"], [], None, Shallow, types::tonumber),
    function!("tostring", ["v"], [], None, Shallow, types::tostring),
    function!("trimspace", ["str"], [], None, Deep, strings::trimspace),
    function!("upper", ["str"], [], None, Deep, strings::upper),
];

/// The names of every built-in function, sorted.
pub(crate) fn names() -> Vec<&'static str> {
    FUNCTIONS.iter().map(|f| f.name).collect()
}

/// True if `name` is a built-in function.
pub(crate) fn exists(name: &str) -> bool {
    FUNCTIONS.iter().any(|f| f.name == name)
}

/// A function call with evaluated arguments.
pub(super) struct Call<'a> {
    name: &'a str,
    params: &'a [&'a str],
    variadic: Option<&'a str>,
    args: Vec<Value>,
    spans: Vec<Span>,
    call_span: Span,
}

impl Call<'_> {
    /// The `i`th argument.
    fn arg(&self, i: usize) -> &Value {
        self.args.get(i).unwrap_or(&Value::Null)
    }

    /// All arguments from the `i`th on.
    fn rest(&self, from: usize) -> impl Iterator<Item = (usize, &Value)> {
        self.args.iter().enumerate().skip(from)
    }

    /// The parameter name of the `i`th argument, for messages.
    fn param(&self, i: usize) -> &str {
        self.params
            .get(i)
            .copied()
            .or(self.variadic)
            .unwrap_or("value")
    }

    /// An "Invalid function argument" error on the `i`th argument.
    fn invalid(&self, i: usize, label: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
        let span = self
            .spans
            .get(i)
            .cloned()
            .unwrap_or_else(|| self.call_span.clone());
        Diagnostic::error("Invalid function argument")
            .with_span(span, label)
            .with_detail(format!(
                "Invalid value for `{}` parameter of `{}`: {}",
                self.param(i),
                self.name,
                detail.into()
            ))
    }

    /// A "Call to function failed" error on the whole call.
    fn failed(&self, detail: impl Into<String>) -> Diagnostic {
        Diagnostic::error(format!("Error in function call `{}`", self.name))
            .with_span(self.call_span.clone(), "this call failed")
            .with_detail(detail)
    }

    /// The `i`th argument as a string (numbers and bools convert).
    fn string(&self, i: usize) -> Result<String, Diagnostic> {
        let v = self.arg(i);
        convert::to_string(v).ok_or_else(|| {
            self.invalid(
                i,
                format!("{} is not a string", convert::a_type(v)),
                "a string is required.",
            )
        })
    }

    /// The `i`th argument as a list.
    fn list(&self, i: usize) -> Result<&[Value], Diagnostic> {
        match self.arg(i) {
            Value::List(items) => Ok(items),
            v => Err(self.invalid(
                i,
                format!("{} is not a list", convert::a_type(v)),
                "a list is required.",
            )),
        }
    }
}

impl Evaluator<'_> {
    /// Evaluates a function call.
    pub(super) fn call(&mut self, call: &FuncCall) -> EvalResult {
        let name_span = self.span(&call.name.name);
        let function = FUNCTIONS
            .iter()
            .find(|f| !call.name.is_namespaced() && f.name == call.name.name.as_str());
        let Some(function) = function else {
            let name = call.name.name.as_str();
            return Err(messages::unknown_function(name, name_span, &names()));
        };
        let mut args = Vec::with_capacity(call.args.len());
        let mut spans = Vec::with_capacity(call.args.len());
        for arg in call.args.iter() {
            args.push(self.eval(arg)?);
            spans.push(self.span(arg));
        }
        if call.args.expand_final() && !self.expand_final(&mut args, &mut spans)? {
            return Ok(Value::Unknown);
        }
        let call_span = self.span(call);
        invoke(
            function,
            Call {
                name: function.name,
                params: function.params,
                variadic: function.variadic,
                args,
                spans,
                call_span,
            },
        )
    }

    /// `f(a, list...)`: spreads the final list into separate arguments.
    /// Returns false when the list is unknown (so the result is unknown).
    fn expand_final(
        &self,
        args: &mut Vec<Value>,
        spans: &mut Vec<Span>,
    ) -> Result<bool, Diagnostic> {
        let (Some(last), Some(span)) = (args.pop(), spans.pop()) else {
            return Ok(true);
        };
        match last {
            Value::Unknown => Ok(false),
            Value::List(items) => {
                spans.extend(std::iter::repeat_n(span, items.len()));
                args.extend(items);
                Ok(true)
            }
            other => Err(Diagnostic::error("Invalid expanding argument value")
                .with_span(
                    span,
                    format!("{} cannot be expanded", convert::a_type(&other)),
                )
                .with_detail("The expanding argument (indicated by `...`) must be a list.")),
        }
    }
}

/// Checks arity and unknowns, then runs the function.
fn invoke(function: &Function, call: Call) -> EvalResult {
    let min = function.params.len();
    let max = function
        .variadic
        .map_or(min + function.optional.len(), |_| usize::MAX);
    let got = call.args.len();
    if got < min || got > max {
        return Err(arity_error(function, &call, min, max));
    }
    let unknown = match function.unknowns {
        Unknowns::Deep => call.args.iter().any(|a| !a.is_wholly_known()),
        Unknowns::Shallow => call.args.contains(&Value::Unknown),
        Unknowns::Custom => false,
    };
    if unknown {
        return Ok(Value::Unknown);
    }
    (function.run)(&call)
}

fn arity_error(function: &Function, call: &Call, min: usize, max: usize) -> Diagnostic {
    let mut params: Vec<String> = function.params.iter().map(|p| p.to_string()).collect();
    params.extend(function.optional.iter().map(|p| format!("[{p}]")));
    params.extend(function.variadic.map(|v| format!("{v}...")));
    let signature = format!("{}({})", function.name, params.join(", "));
    let got = call.args.len();
    if got < min {
        Diagnostic::error("Not enough function arguments")
            .with_span(call.call_span.clone(), format!("{got} argument(s) given"))
            .with_detail(format!(
                "Function `{}` expects at least {min} argument(s).",
                function.name
            ))
            .with_help(format!("the signature is `{signature}`"))
    } else {
        let extra = call
            .spans
            .get(max)
            .cloned()
            .unwrap_or_else(|| call.call_span.clone());
        Diagnostic::error("Too many function arguments")
            .with_span(extra, "unexpected argument")
            .with_detail(format!(
                "Function `{}` expects at most {max} argument(s).",
                function.name
            ))
            .with_help(format!("the signature is `{signature}`"))
    }
}
