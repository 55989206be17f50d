//! The OpenAPI fidelity harness: response bodies checked against PingOne's published
//! specification, read at test time (it is not part of this repository).
//!
//! ```ignore
//! mod support;
//! use support::openapi::assert_matches_spec;
//! assert_matches_spec("GET", "/v1/environments/abc/populations", 200, &body);
//! ```
//!
//! The specification is `pingone-management.normalized.yaml` in `$PINGFORM_OPENAPI_DIR`, else in
//! `../shared/pingone/openapi/` beside the workspace root. When it cannot be found the checks
//! print "skipped: OpenAPI spec not found at ..." and pass, unless `PINGFORM_REQUIRE_OPENAPI=1`
//! (set by `.ci/run`), in which case they fail.

use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::{Value, json};

use super::schema::Validator;

/// The management API specification (OpenAPI 3.0, normalised by openapi-generator).
const SPEC_FILE: &str = "pingone-management.normalized.yaml";

/// The loaded specification, or why it is missing.
struct Spec {
    document: Value,
}

static SPEC: OnceLock<Result<Spec, String>> = OnceLock::new();

/// The directory the specification is read from.
pub(crate) fn spec_dir() -> PathBuf {
    match std::env::var_os("PINGFORM_OPENAPI_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        // CARGO_MANIFEST_DIR is providers/pingone-emulator; the workspace root is two up.
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/pingone/openapi"),
    }
}

fn load() -> Result<Spec, String> {
    let path = spec_dir().join(SPEC_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("OpenAPI spec not found at {} ({e})", path.display()))?;
    let mut document: Value = serde_yaml::from_str(&text)
        .unwrap_or_else(|e| panic!("{} does not parse as YAML: {e}", path.display()));
    extend(&mut document);
    Ok(Spec { document })
}

/// Adds what PingOne documents elsewhere than in this file, so faithful bodies pass.
///
/// The management spec's `innerError` lists only some keys; the newer official client's spec
/// (GOCLIENT, API.md §8.1) adds `existingId`, the filter keys and the 429 keys.
fn extend(document: &mut Value) {
    let inner = "/components/schemas/P1Error_details_inner_innerError/properties";
    if let Some(Value::Object(properties)) = document.pointer_mut(inner) {
        let strings = json!({ "type": "array", "items": { "type": "string" } });
        let extra = [
            ("existingId", json!({ "type": "string" })),
            ("claim", json!({ "type": "string" })),
            ("supportedAttributes", strings.clone()),
            ("supportedOperators", strings),
            ("quotaLimit", json!({ "type": "number" })),
            (
                "quotaResetTime",
                json!({ "type": "string", "format": "date-time" }),
            ),
            (
                "retryAfter",
                json!({ "type": "string", "format": "date-time" }),
            ),
        ];
        for (name, schema) in extra {
            properties.entry(name).or_insert(schema);
        }
    }
}

/// The specification, or `None` (after saying so) when it is missing and not required.
fn spec() -> Option<&'static Spec> {
    match SPEC.get_or_init(load) {
        Ok(spec) => Some(spec),
        Err(reason) => {
            if std::env::var("PINGFORM_REQUIRE_OPENAPI").as_deref() == Ok("1") {
                panic!("{reason}, and PINGFORM_REQUIRE_OPENAPI=1 requires it");
            }
            eprintln!("skipped: {reason}");
            None
        }
    }
}

/// Whether the specification is available (false means the checks are being skipped).
pub(crate) fn available() -> bool {
    spec().is_some()
}

/// Panics unless `body` matches the response schema of (`method`, `path`, `status`).
///
/// `path` is what the request used: a full URL or a path, with or without `/v1` and a query;
/// it is matched against the specification's path templates. Skipped (with a message) when the
/// specification is missing and not required.
#[track_caller]
pub(crate) fn assert_matches_spec(method: &str, path: &str, status: u16, body: &Value) {
    if let Some(Err(errors)) = check(method, path, status, body) {
        panic!(
            "{method} {path} -> {status}: the body does not match the OpenAPI spec:\n  {}\nbody: {body:#}",
            errors.join("\n  ")
        );
    }
}

/// Panics unless `body` matches the named component schema (e.g. `P1Error` for a route the
/// specification does not have).
#[track_caller]
pub(crate) fn assert_matches_component(name: &str, body: &Value) {
    if let Some(Err(errors)) = check_component(name, body) {
        panic!(
            "the body does not match #/components/schemas/{name}:\n  {}\nbody: {body:#}",
            errors.join("\n  ")
        );
    }
}

/// The violations of the response schema of (`method`, `path`, `status`) by `body`;
/// `None` when the specification is missing and not required.
pub(crate) fn check(
    method: &str,
    path: &str,
    status: u16,
    body: &Value,
) -> Option<Result<(), Vec<String>>> {
    let spec = spec()?;
    Some(
        spec.response_schema(method, path, status)
            .and_then(|schema| {
                let errors = Validator::new(&spec.document).errors(schema, body);
                if errors.is_empty() {
                    Ok(())
                } else {
                    Err(errors)
                }
            }),
    )
}

/// The violations of a component schema by `body`; `None` when the specification is missing.
pub(crate) fn check_component(name: &str, body: &Value) -> Option<Result<(), Vec<String>>> {
    let spec = spec()?;
    let Some(schema) = spec
        .document
        .pointer(&format!("/components/schemas/{name}"))
    else {
        return Some(Err(vec![format!("no component schema named {name}")]));
    };
    let errors = Validator::new(&spec.document).errors(schema, body);
    Some(if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    })
}

impl Spec {
    /// The JSON schema of a response, or why there is none.
    fn response_schema(
        &self,
        method: &str,
        path: &str,
        status: u16,
    ) -> Result<&Value, Vec<String>> {
        let template = self
            .template(path)
            .ok_or_else(|| vec![format!("no path of the specification matches {path}")])?;
        let operation = &self.document["paths"][template.as_str()][method.to_ascii_lowercase()];
        if operation.is_null() {
            return Err(vec![format!(
                "the specification has no {method} {template}"
            )]);
        }
        let responses = &operation["responses"];
        let response = match responses.get(status.to_string()) {
            Some(response) => response,
            None => responses.get("default").ok_or_else(|| {
                vec![format!(
                    "{method} {template} does not declare status {status}"
                )]
            })?,
        };
        let response = Validator::new(&self.document).resolve(response);
        let content = &response["content"];
        let media = content
            .get("application/json")
            .or_else(|| content.as_object().and_then(|c| c.values().next()));
        media.and_then(|m| m.get("schema")).ok_or_else(|| {
            vec![format!(
                "{method} {template} {status} declares no JSON body"
            )]
        })
    }

    /// The path template matching a concrete path; literal segments beat parameters.
    fn template(&self, path: &str) -> Option<String> {
        let segments = request_segments(path);
        let paths = self.document["paths"].as_object()?;
        paths
            .keys()
            .filter_map(|template| {
                let parts: Vec<&str> = template.split('/').filter(|s| !s.is_empty()).collect();
                if parts.len() != segments.len() {
                    return None;
                }
                let mut literals = 0;
                for (part, segment) in parts.iter().zip(&segments) {
                    if part.starts_with('{') && part.ends_with('}') {
                        continue;
                    }
                    if part != segment {
                        return None;
                    }
                    literals += 1;
                }
                Some((literals, template))
            })
            .max_by_key(|(literals, _)| *literals)
            .map(|(_, template)| template.clone())
    }
}

/// The segments of a request path after `/v1`, without scheme, host or query.
fn request_segments(path: &str) -> Vec<String> {
    let path = match path.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => path,
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = path.strip_prefix("/v1").unwrap_or(path);
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
