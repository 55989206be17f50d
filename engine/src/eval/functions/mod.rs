//! Built-in functions: the registry, argument checking, and calling from the evaluator.
//!
//! Each function declares its parameters and how it treats unknown and sensitive
//! arguments; the implementations live in one module per family (`strings`, `format`,
//! `regex`, `collections`, `maps`, `sets`, `numeric`, `types`, `marks`, `encoding`,
//! `filesystem`, `dates`, `ip`), and `try`/`can`, which need unevaluated arguments, in
//! `special`. Errors about an argument span that argument; arity errors span the call.

mod collections;
mod dates;
mod encoding;
mod filesystem;
mod format;
mod ip;
mod maps;
mod marks;
mod numeric;
mod regex;
mod sets;
mod special;
mod strings;
#[cfg(test)]
mod tests;
mod types;

use hcl_edit::expr::FuncCall;

use super::convert;
use super::expr::{EvalResult, Evaluator, Scope};
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

/// How a function treats sensitive arguments.
#[derive(Clone, Copy)]
enum Marks {
    /// Every mark is removed from the arguments; the result is sensitive if any was there.
    Deep,
    /// Only the arguments' own marks are removed (and make the result sensitive); marks on
    /// elements inside them travel with those elements (e.g. `concat`, `merge`).
    Shallow,
    /// The function sees the marks (`sensitive`, `nonsensitive`).
    Raw,
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
    marks: Marks,
    run: fn(&Call) -> EvalResult,
}

impl Function {
    /// A function of fixed parameters, unknown and sensitive if any argument is, deeply.
    const fn new(
        name: &'static str,
        params: &'static [&'static str],
        run: fn(&Call) -> EvalResult,
    ) -> Self {
        Self {
            name,
            params,
            optional: &[],
            variadic: None,
            unknowns: Unknowns::Deep,
            marks: Marks::Deep,
            run,
        }
    }

    const fn optional(mut self, optional: &'static [&'static str]) -> Self {
        self.optional = optional;
        self
    }

    const fn variadic(mut self, name: &'static str) -> Self {
        self.variadic = Some(name);
        self
    }

    /// Unknown elements inside known collections do not make the result unknown, and
    /// element marks travel with the elements.
    const fn structural(mut self) -> Self {
        self.unknowns = Unknowns::Shallow;
        self.marks = Marks::Shallow;
        self
    }

    const fn custom_unknowns(mut self) -> Self {
        self.unknowns = Unknowns::Custom;
        self
    }

    const fn raw_marks(mut self) -> Self {
        self.marks = Marks::Raw;
        self
    }
}

use Function as F;

/// Every built-in function, sorted by name (`try` and `can` are special forms, see
/// [`SPECIAL_FORMS`]).
static FUNCTIONS: &[Function] = &[
    F::new("abs", &["num"], numeric::abs),
    F::new("abspath", &["path"], filesystem::abspath),
    F::new("alltrue", &["list"], collections::alltrue),
    F::new("anytrue", &["list"], collections::anytrue),
    F::new("base64decode", &["str"], encoding::base64decode),
    F::new("base64encode", &["str"], encoding::base64encode),
    F::new("basename", &["path"], filesystem::basename),
    F::new("ceil", &["num"], numeric::ceil),
    F::new("cidrhost", &["prefix", "hostnum"], ip::cidrhost),
    F::new("coalesce", &[], collections::coalesce)
        .variadic("vals")
        .structural()
        .custom_unknowns(),
    F::new("coalescelist", &[], collections::coalescelist)
        .variadic("vals")
        .structural()
        .custom_unknowns(),
    F::new("compact", &["list"], collections::compact),
    F::new("concat", &[], collections::concat)
        .variadic("seqs")
        .structural(),
    F::new("contains", &["list", "value"], collections::contains),
    F::new("dirname", &["path"], filesystem::dirname),
    F::new("distinct", &["list"], collections::distinct),
    F::new("element", &["list", "index"], collections::element).structural(),
    F::new("endswith", &["str", "suffix"], strings::endswith),
    F::new("file", &["path"], filesystem::file),
    F::new("fileexists", &["path"], filesystem::fileexists),
    F::new("flatten", &["list"], collections::flatten),
    F::new("floor", &["num"], numeric::floor),
    F::new("format", &["format"], format::format).variadic("args"),
    F::new("formatdate", &["format", "time"], dates::formatdate),
    F::new("formatlist", &["format"], format::formatlist).variadic("args"),
    F::new("index", &["list", "value"], collections::index),
    F::new("join", &["separator"], strings::join).variadic("lists"),
    F::new("jsondecode", &["str"], encoding::jsondecode),
    F::new("jsonencode", &["val"], encoding::jsonencode),
    F::new("keys", &["inputMap"], maps::keys).structural(),
    F::new("length", &["value"], collections::length).structural(),
    F::new("lookup", &["inputMap", "key"], maps::lookup)
        .optional(&["default"])
        .structural(),
    F::new("lower", &["str"], strings::lower),
    F::new("max", &[], numeric::max).variadic("numbers"),
    F::new("md5", &["str"], encoding::md5),
    F::new("merge", &[], maps::merge)
        .variadic("maps")
        .structural(),
    F::new("min", &[], numeric::min).variadic("numbers"),
    F::new("nonsensitive", &["value"], marks::nonsensitive)
        .custom_unknowns()
        .raw_marks(),
    F::new("one", &["list"], collections::one).structural(),
    F::new("parseint", &["number", "base"], numeric::parseint),
    F::new("range", &[], numeric::range).variadic("params"),
    F::new("regex", &["pattern", "string"], regex::regex),
    F::new("regexall", &["pattern", "string"], regex::regexall),
    F::new("replace", &["str", "substr", "replace"], strings::replace),
    F::new("reverse", &["list"], collections::reverse).structural(),
    F::new("sensitive", &["value"], marks::sensitive)
        .custom_unknowns()
        .raw_marks(),
    F::new("setintersection", &["first_set"], sets::setintersection).variadic("other_sets"),
    F::new("setproduct", &[], sets::setproduct).variadic("sets"),
    F::new("setsubtract", &["a", "b"], sets::setsubtract),
    F::new("setunion", &["first_set"], sets::setunion).variadic("other_sets"),
    F::new("sha256", &["str"], encoding::sha256),
    F::new(
        "slice",
        &["list", "start_index", "end_index"],
        collections::slice,
    )
    .structural(),
    F::new("sort", &["list"], collections::sort),
    F::new("split", &["separator", "str"], strings::split),
    F::new("startswith", &["str", "prefix"], strings::startswith),
    F::new("strcontains", &["str", "substr"], strings::strcontains),
    F::new("substr", &["str", "offset", "length"], strings::substr),
    F::new("templatefile", &["path", "vars"], filesystem::templatefile),
    F::new("timeadd", &["timestamp", "duration"], dates::timeadd),
    F::new("timestamp", &[], dates::timestamp),
    F::new("title", &["str"], strings::title),
    F::new("tobool", &["v"], types::tobool).structural(),
    F::new("tolist", &["v"], types::tolist).structural(),
    F::new("tomap", &["v"], types::tomap).structural(),
    F::new("tonumber", &["v"], types::tonumber).structural(),
    F::new("toset", &["v"], types::toset),
    F::new("tostring", &["v"], types::tostring).structural(),
    F::new("trim", &["str", "cutset"], strings::trim),
    F::new("trimprefix", &["str", "prefix"], strings::trimprefix),
    F::new("trimspace", &["str"], strings::trimspace),
    F::new("trimsuffix", &["str", "suffix"], strings::trimsuffix),
    F::new("upper", &["str"], strings::upper),
    F::new("uuidv5", &["namespace", "name"], encoding::uuidv5),
    F::new("values", &["mapping"], maps::values).structural(),
    F::new("yamldecode", &["src"], encoding::yamldecode),
    F::new("yamlencode", &["value"], encoding::yamlencode),
    F::new("zipmap", &["keyslist", "valueslist"], maps::zipmap).structural(),
];

/// Functions whose arguments are evaluated lazily by the evaluator itself.
pub(crate) const SPECIAL_FORMS: [&str; 2] = ["can", "try"];

/// A list of values as a set (see `sets::normalize`).
pub(crate) fn normalize_set(values: Vec<Value>) -> Vec<Value> {
    sets::normalize(values)
}

/// The names of every built-in function, sorted.
pub(crate) fn names() -> Vec<&'static str> {
    let mut names: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
    names.extend(SPECIAL_FORMS);
    names.sort_unstable();
    names
}

/// True if `name` is a built-in function.
pub(crate) fn exists(name: &str) -> bool {
    SPECIAL_FORMS.contains(&name) || FUNCTIONS.iter().any(|f| f.name == name)
}

/// A function call with evaluated arguments.
pub(super) struct Call<'a> {
    /// The evaluation's scope (for the configuration directory and the phase).
    scope: &'a Scope<'a>,
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

    /// The `i`th argument as a whole number.
    fn integer(&self, i: usize) -> Result<i64, Diagnostic> {
        let v = self.arg(i);
        convert::to_number(v)
            .filter(|n| n.fract() == 0.0 && n.abs() < 9.0e15)
            .map(|n| n as i64)
            .ok_or_else(|| {
                self.invalid(
                    i,
                    format!("{} is not a whole number", convert::a_type(v)),
                    "a whole number is required.",
                )
            })
    }

    /// The `i`th argument as a number.
    fn number(&self, i: usize) -> Result<f64, Diagnostic> {
        let v = self.arg(i);
        convert::to_number(v).ok_or_else(|| {
            self.invalid(
                i,
                format!("{} is not a number", convert::a_type(v)),
                "a number is required.",
            )
        })
    }

    /// The `i`th argument as an object or map.
    fn object(&self, i: usize) -> Result<&std::collections::BTreeMap<String, Value>, Diagnostic> {
        match self.arg(i) {
            Value::Object(map) => Ok(map),
            v => Err(self.invalid(
                i,
                format!("{} is not an object", convert::a_type(v)),
                "an object or map is required.",
            )),
        }
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
        if !call.name.is_namespaced() && SPECIAL_FORMS.contains(&call.name.name.as_str()) {
            return self.special_form(call);
        }
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
                scope: self.scope,
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

/// Checks arity and unknowns, then runs the function on unmarked arguments; the result is
/// sensitive when any argument held a sensitive value (Terraform's rule for functions).
fn invoke(function: &Function, mut call: Call) -> EvalResult {
    let min = function.params.len();
    let max = function
        .variadic
        .map_or(min + function.optional.len(), |_| usize::MAX);
    let got = call.args.len();
    if got < min || got > max {
        return Err(arity_error(function, &call, min, max));
    }
    let mut sensitive = false;
    for arg in &mut call.args {
        let (value, marked) = match function.marks {
            Marks::Deep => std::mem::take(arg).unmark_deep(),
            Marks::Shallow => std::mem::take(arg).unmark(),
            Marks::Raw => (std::mem::take(arg), false),
        };
        *arg = value;
        sensitive |= marked;
    }
    let unknown = match function.unknowns {
        Unknowns::Deep => call.args.iter().any(|a| !a.is_wholly_known()),
        Unknowns::Shallow => call.args.iter().any(Value::is_unknown),
        Unknowns::Custom => false,
    };
    if unknown {
        return Ok(Value::Unknown.mark_if(sensitive));
    }
    match (function.run)(&call) {
        Ok(v) => Ok(v.mark_if(sensitive)),
        Err(d) => Err(messages::redact_if(sensitive, d)),
    }
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
