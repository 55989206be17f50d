//! Encoding and hashing functions: `jsonencode`, `jsondecode`, `yamlencode`, `yamldecode`,
//! `base64encode`, `base64decode`, `sha256`, `md5`, `uuidv5`.

use ::md5::Md5;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use super::Call;
use crate::eval::expr::EvalResult;
use crate::eval::value::Value;

/// `jsonencode(val)`: compact JSON, keys in lexical order.
pub(super) fn jsonencode(call: &Call) -> EvalResult {
    let json = call
        .arg(0)
        .to_json()
        .ok_or_else(|| call.failed("the value is not known"))?;
    Ok(Value::String(json.to_string()))
}

/// `jsondecode(str)`: the value a JSON document describes.
pub(super) fn jsondecode(call: &Call) -> EvalResult {
    let text = call.string(0)?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| call.invalid(0, "not valid JSON", format!("{e}.")))?;
    Ok(Value::from_json(&json))
}

/// `yamlencode(value)`: a YAML document.
pub(super) fn yamlencode(call: &Call) -> EvalResult {
    let json = call
        .arg(0)
        .to_json()
        .ok_or_else(|| call.failed("the value is not known"))?;
    serde_yaml::to_string(&json)
        .map(Value::String)
        .map_err(|e| call.failed(format!("cannot encode as YAML: {e}")))
}

/// `yamldecode(src)`: the value a YAML document describes.
pub(super) fn yamldecode(call: &Call) -> EvalResult {
    let text = call.string(0)?;
    let json: serde_json::Value = serde_yaml::from_str(&text)
        .map_err(|e| call.invalid(0, "not valid YAML", format!("{e}.")))?;
    Ok(Value::from_json(&json))
}

/// `base64encode(str)`: the UTF-8 bytes of `str` in standard Base64.
pub(super) fn base64encode(call: &Call) -> EvalResult {
    Ok(Value::String(STANDARD.encode(call.string(0)?)))
}

/// `base64decode(str)`: Base64 to text; the bytes must be valid UTF-8.
pub(super) fn base64decode(call: &Call) -> EvalResult {
    let bytes = STANDARD.decode(call.string(0)?).map_err(|e| {
        call.invalid(
            0,
            "not valid Base64",
            format!("failed to decode base64 data: {e}."),
        )
    })?;
    String::from_utf8(bytes).map(Value::String).map_err(|_| {
        call.invalid(
            0,
            "not UTF-8 text",
            "the result of decoding the provided string is not valid UTF-8.",
        )
    })
}

/// `sha256(str)`: the SHA-256 digest of the UTF-8 bytes, in lowercase hex.
pub(super) fn sha256(call: &Call) -> EvalResult {
    Ok(Value::String(hex(&Sha256::digest(call.string(0)?))))
}

/// `md5(str)`: the MD5 digest of the UTF-8 bytes, in lowercase hex.
pub(super) fn md5(call: &Call) -> EvalResult {
    Ok(Value::String(hex(&Md5::digest(call.string(0)?))))
}

/// `uuidv5(namespace, name)`: a name-based UUID. The namespace is `dns`, `url`, `oid`,
/// `x500` or a UUID.
pub(super) fn uuidv5(call: &Call) -> EvalResult {
    let namespace = call.string(0)?;
    let ns = match namespace.as_str() {
        "dns" => uuid::Uuid::NAMESPACE_DNS,
        "url" => uuid::Uuid::NAMESPACE_URL,
        "oid" => uuid::Uuid::NAMESPACE_OID,
        "x500" => uuid::Uuid::NAMESPACE_X500,
        other => uuid::Uuid::parse_str(other).map_err(|e| {
            call.invalid(0, "not a namespace", format!("uuidv5() doesn't support namespace prefix {other:?}: {e}; use dns, url, oid, x500 or a UUID."))
        })?,
    };
    let name = call.string(1)?;
    Ok(Value::String(
        uuid::Uuid::new_v5(&ns, name.as_bytes()).to_string(),
    ))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
