//! Write-only values (initial passwords) and secrets a provider reads back (client
//! secrets) are never stored: state keeps a salted SHA-256 of them instead, enough
//! to tell on the next plan whether the value changed, and useless to anyone who
//! reads the state.

use sha2::{Digest, Sha256};

use crate::Value;

/// The key of the one-entry object that holds a sealed value in state.
const KEY: &str = "$pingform_sealed_sha256";

/// A sealed copy of `value`: `{"$pingform_sealed_sha256": "<salt>:<hash>"}`.
pub fn seal(value: &Value) -> Value {
    let salt = uuid::Uuid::new_v4().simple().to_string();
    let digest = digest(&salt, value);
    Value::Object([(KEY.to_string(), Value::String(format!("{salt}:{digest}")))].into())
}

/// `value` as sent, sealed for state: a value that is already a sealed copy (an
/// unchanged secret the plan kept) stays as it is.
pub fn seal_once(value: &Value) -> Value {
    if is_sealed(value) {
        value.clone()
    } else {
        seal(value)
    }
}

/// A secret read back from a provider, as state keeps it: `stored` when that is
/// already a sealed copy of it (so an unchanged secret is no change), else a new seal.
pub fn reseal(value: &Value, stored: Option<&Value>) -> Value {
    match stored {
        Some(stored) if matches(stored, value) => stored.clone(),
        _ => seal(value),
    }
}

/// True when `stored` is a sealed copy of `value`.
pub fn matches(stored: &Value, value: &Value) -> bool {
    let Some((salt, digest)) = parts(stored) else {
        return false;
    };
    self::digest(salt, value) == digest
}

/// True when `value` is a sealed copy of something.
pub fn is_sealed(value: &Value) -> bool {
    parts(value).is_some()
}

fn parts(stored: &Value) -> Option<(&str, &str)> {
    let map = stored.as_object()?;
    if map.len() != 1 {
        return None;
    }
    map.get(KEY)?.as_str()?.split_once(':')
}

fn digest(salt: &str, value: &Value) -> String {
    let json = value.to_json().unwrap_or(serde_json::Value::Null);
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update(json.to_string().as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_match_only_the_same_value_and_hide_it() {
        let secret = Value::Object([("initial_value".to_string(), Value::from("hunter2"))].into());
        let sealed = seal(&secret);
        assert!(is_sealed(&sealed));
        assert!(matches(&sealed, &secret));
        let other = Value::Object([("initial_value".to_string(), Value::from("hunter3"))].into());
        assert!(!matches(&sealed, &other));
        assert!(!sealed.to_string().contains("hunter2"));
        assert_ne!(
            seal(&secret),
            sealed,
            "salted: the same value seals differently"
        );
    }

    #[test]
    fn resealing_keeps_a_matching_seal_and_replaces_any_other() {
        let secret = Value::from("s3cr3t");
        let sealed = seal(&secret);
        assert_eq!(reseal(&secret, Some(&sealed)), sealed);
        let rotated = reseal(&Value::from("n3w"), Some(&sealed));
        assert!(is_sealed(&rotated) && rotated != sealed);
        // A secret stored in the clear by an older version is sealed, not kept.
        let from_clear = reseal(&secret, Some(&secret));
        assert!(is_sealed(&from_clear) && matches(&from_clear, &secret));
        assert!(is_sealed(&reseal(&secret, None)));
    }
}
