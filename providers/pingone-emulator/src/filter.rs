//! SCIM filter expressions on collection endpoints (API.md §4.5): `name eq "x"`, `name sw "x"`,
//! combined with `and`, `or` and parentheses.
//!
//! Each collection declares which attributes and operators it supports; anything else is a
//! 400 `INVALID_DATA` with detail `INVALID_FILTER` listing `supportedAttributes` and
//! `supportedOperators`. Keywords and attribute names are case-insensitive; string comparisons
//! are too (SCIM's default for attributes that are not case-exact).

use serde_json::json;

use crate::api_error::{ApiError, Detail};

/// What a collection lets callers filter on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FilterSpec {
    /// Attribute names, as spelled in the API.
    pub(crate) attributes: &'static [&'static str],
    /// Operators, lowercase.
    pub(crate) operators: &'static [&'static str],
}

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Filter {
    /// `attribute op "value"`; the attribute in its canonical spelling.
    Compare {
        attribute: &'static str,
        op: Op,
        value: String,
    },
    /// Both sides match.
    And(Box<Filter>, Box<Filter>),
    /// Either side matches.
    Or(Box<Filter>, Box<Filter>),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// Equal.
    Eq,
    /// Not equal.
    Ne,
    /// Starts with.
    Sw,
    /// Ends with.
    Ew,
    /// Contains.
    Co,
}

impl Op {
    fn parse(word: &str) -> Option<Op> {
        Some(match word {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "sw" => Op::Sw,
            "ew" => Op::Ew,
            "co" => Op::Co,
            _ => return None,
        })
    }

    fn apply(self, actual: &str, wanted: &str) -> bool {
        let (actual, wanted) = (actual.to_lowercase(), wanted.to_lowercase());
        match self {
            Op::Eq => actual == wanted,
            Op::Ne => actual != wanted,
            Op::Sw => actual.starts_with(&wanted),
            Op::Ew => actual.ends_with(&wanted),
            Op::Co => actual.contains(&wanted),
        }
    }
}

impl Filter {
    /// Whether an item matches; `lookup` gives an attribute's value (None if absent).
    pub(crate) fn matches(&self, lookup: &dyn Fn(&str) -> Option<String>) -> bool {
        self.matches_any(&|attribute| lookup(attribute).into_iter().collect())
    }

    /// Whether an item matches, for attributes that may have several values (such as a
    /// user's groups): a comparison holds if it holds for any value.
    pub(crate) fn matches_any(&self, lookup: &dyn Fn(&str) -> Vec<String>) -> bool {
        match self {
            Filter::Compare {
                attribute,
                op,
                value,
            } => {
                let values = lookup(attribute);
                if values.is_empty() {
                    *op == Op::Ne
                } else {
                    values.iter().any(|actual| op.apply(actual, value))
                }
            }
            Filter::And(a, b) => a.matches_any(lookup) && b.matches_any(lookup),
            Filter::Or(a, b) => a.matches_any(lookup) || b.matches_any(lookup),
        }
    }

    /// The value of a top-level `attribute eq "value"` filter (possibly one side of `and`s),
    /// so a collection can use an index instead of scanning.
    pub(crate) fn equality(&self, wanted: &str) -> Option<&str> {
        match self {
            Filter::Compare {
                attribute,
                op: Op::Eq,
                value,
            } if *attribute == wanted => Some(value),
            Filter::And(a, b) => a.equality(wanted).or_else(|| b.equality(wanted)),
            _ => None,
        }
    }
}

/// Rewrites SCIM's complex-attribute form `memberOfGroups[id eq "x"]` to the dotted
/// `memberOfGroups.id eq "x"` the parser understands (PingOne's example filter, API.md §4.5).
pub(crate) fn flatten_brackets(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut prefix_open = false;
    for c in input.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => escaped = false,
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '[' if !prefix_open => {
                prefix_open = true;
                out.push('.');
            }
            ']' if prefix_open => prefix_open = false,
            _ => out.push(c),
        }
    }
    out
}

/// Parses a filter against a collection's spec.
pub(crate) fn parse(input: &str, spec: FilterSpec) -> Result<Filter, ApiError> {
    let tokens = tokenize(input).map_err(|m| filter_error(m, spec))?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        spec,
        depth: 0,
        comparisons: 0,
    };
    let filter = parser.or_expr().map_err(|m| filter_error(m, spec))?;
    match parser.tokens.get(parser.pos) {
        None => Ok(filter),
        Some(token) => Err(filter_error(
            format!("Unexpected {token:?} in filter."),
            spec,
        )),
    }
}

fn filter_error(message: String, spec: FilterSpec) -> ApiError {
    ApiError::invalid_data(vec![
        Detail::new("INVALID_FILTER", message)
            .target("filter")
            .inner("supportedAttributes", json!(spec.attributes))
            .inner("supportedOperators", json!(spec.operators)),
    ])
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Str(String),
    Open,
    Close,
}

fn tokenize(input: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' => {
                chars.next();
                tokens.push(if c == '(' { Token::Open } else { Token::Close });
            }
            '"' => {
                chars.next();
                tokens.push(Token::Str(string_literal(&mut chars)?));
            }
            _ => tokens.push(Token::Word(word(&mut chars))),
        }
    }
    Ok(tokens)
}

fn string_literal(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<String, String> {
    let mut out = String::new();
    loop {
        match chars.next() {
            None => return Err("Unterminated string in filter.".into()),
            Some('"') => return Ok(out),
            Some('\\') => match chars.next() {
                Some(escaped) => out.push(escaped),
                None => return Err("Unterminated string in filter.".into()),
            },
            Some(c) => out.push(c),
        }
    }
}

fn word(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut out = String::new();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() || matches!(c, '(' | ')' | '"') {
            break;
        }
        out.push(c);
        chars.next();
    }
    out
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    spec: FilterSpec,
    /// Open parentheses around the current position.
    depth: usize,
    /// Comparisons parsed so far.
    comparisons: usize,
}

/// Bounds that keep parsing, matching and dropping a filter (all recursive) far from the
/// stack's limit, whatever a client sends.
const MAX_DEPTH: usize = 32;
const MAX_COMPARISONS: usize = 100;

impl Parser {
    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        token
    }

    fn keyword(&mut self, word: &str) -> bool {
        let found = matches!(self.tokens.get(self.pos), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word));
        if found {
            self.pos += 1;
        }
        found
    }

    fn or_expr(&mut self) -> Result<Filter, String> {
        let mut left = self.and_expr()?;
        while self.keyword("or") {
            left = Filter::Or(Box::new(left), Box::new(self.and_expr()?));
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> Result<Filter, String> {
        let mut left = self.primary()?;
        while self.keyword("and") {
            left = Filter::And(Box::new(left), Box::new(self.primary()?));
        }
        Ok(left)
    }

    fn primary(&mut self) -> Result<Filter, String> {
        match self.next() {
            Some(Token::Open) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(format!("Filters may nest at most {MAX_DEPTH} parentheses."));
                }
                let inner = self.or_expr()?;
                self.depth -= 1;
                match self.next() {
                    Some(Token::Close) => Ok(inner),
                    _ => Err("Missing ')' in filter.".into()),
                }
            }
            Some(Token::Word(name)) => {
                self.comparisons += 1;
                if self.comparisons > MAX_COMPARISONS {
                    return Err(format!(
                        "Filters may have at most {MAX_COMPARISONS} comparisons."
                    ));
                }
                self.comparison(&name)
            }
            Some(token) => Err(format!("Expected an attribute name, found {token:?}.")),
            None => Err("The filter is incomplete.".into()),
        }
    }

    fn comparison(&mut self, name: &str) -> Result<Filter, String> {
        let attribute = self
            .spec
            .attributes
            .iter()
            .find(|a| a.eq_ignore_ascii_case(name))
            .ok_or_else(|| format!("Filtering on attribute '{name}' is not supported."))?;
        let op_word = match self.next() {
            Some(Token::Word(w)) => w.to_ascii_lowercase(),
            _ => return Err(format!("Expected an operator after '{name}'.")),
        };
        let op = Op::parse(&op_word)
            .filter(|_| self.spec.operators.contains(&op_word.as_str()))
            .ok_or_else(|| format!("The operator '{op_word}' is not supported."))?;
        let value = match self.next() {
            Some(Token::Str(s) | Token::Word(s)) => s,
            _ => return Err(format!("Expected a value after '{name} {op_word}'.")),
        };
        Ok(Filter::Compare {
            attribute,
            op,
            value,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: FilterSpec = FilterSpec {
        attributes: &["id", "name"],
        operators: &["eq", "sw"],
    };

    fn lookup(name: &'static str) -> impl Fn(&str) -> Option<String> {
        move |attribute| match attribute {
            "id" => Some("abc".into()),
            "name" => Some(name.into()),
            _ => None,
        }
    }

    fn matches(filter: &str, name: &'static str) -> bool {
        parse(filter, SPEC).expect("parse").matches(&lookup(name))
    }

    #[test]
    fn eq_and_sw() {
        assert!(matches(r#"name eq "Staff""#, "Staff"));
        assert!(matches(r#"NAME EQ "staff""#, "Staff"));
        assert!(!matches(r#"name eq "Sta""#, "Staff"));
        assert!(matches(r#"name sw "Sta""#, "Staff"));
    }

    #[test]
    fn and_or_and_parentheses() {
        assert!(matches(r#"id eq "abc" and name eq "x""#, "x"));
        assert!(!matches(r#"id eq "zzz" and name eq "x""#, "x"));
        assert!(matches(r#"id eq "zzz" or name eq "x""#, "x"));
        assert!(matches(
            r#"(id eq "zzz" or name sw "x") and id eq "abc""#,
            "xy"
        ));
    }

    #[test]
    fn brackets_flatten_and_multi_values_match_any() {
        assert_eq!(
            flatten_brackets(r#"memberOfGroups[id eq "a]"] and x eq "y""#),
            r#"memberOfGroups.id eq "a]" and x eq "y""#
        );
        let spec = FilterSpec {
            attributes: &["memberOfGroups.id"],
            operators: &["eq"],
        };
        let filter =
            parse(&flatten_brackets(r#"memberOfGroups[id eq "g2"]"#), spec).expect("parse");
        assert!(filter.matches_any(&|_| vec!["g1".into(), "g2".into()]));
        assert!(!filter.matches_any(&|_| Vec::new()));
        assert_eq!(filter.equality("memberOfGroups.id"), Some("g2"));
    }

    #[test]
    fn huge_filters_are_refused_not_overflowing_the_stack() {
        let deep = format!(
            "{}name eq \"x\"{}",
            "(".repeat(100_000),
            ")".repeat(100_000)
        );
        assert_eq!(error_detail(&deep)["code"], "INVALID_FILTER");
        let long = vec![r#"name eq "x""#; 50_000].join(" and ");
        assert_eq!(error_detail(&long)["code"], "INVALID_FILTER");
        let ok = vec![r#"name eq "x""#; 100].join(" or ");
        assert!(parse(&ok, SPEC).is_ok());
    }

    #[test]
    fn escaped_quotes() {
        assert!(matches(r#"name eq "a \"q\"""#, "a \"q\""));
    }

    fn error_detail(filter: &str) -> serde_json::Value {
        let error = parse(filter, SPEC).expect_err("error");
        error.body()["details"][0].clone()
    }

    #[test]
    fn unsupported_attribute_lists_supported_ones() {
        let detail = error_detail(r#"description eq "x""#);
        assert_eq!(detail["code"], "INVALID_FILTER");
        assert_eq!(
            detail["innerError"]["supportedAttributes"],
            json!(["id", "name"])
        );
    }

    #[test]
    fn unsupported_operator_and_syntax_errors() {
        assert_eq!(
            error_detail(r#"name co "x""#)["innerError"]["supportedOperators"],
            json!(["eq", "sw"])
        );
        for bad in [
            r#"name eq"#,
            r#"name eq "x"#,
            r#"(name eq "x""#,
            r#"name eq "x" name"#,
            "",
            "and",
        ] {
            assert_eq!(error_detail(bad)["code"], "INVALID_FILTER", "{bad}");
        }
    }
}
