//! The RSA key that signs access tokens: generation, loading from the data file, and its JWK.
//!
//! The key is generated once at seed time (aws-lc-rs, 2048 bits) and kept in the data file as
//! PKCS#8 DER, so tokens stay valid across emulator restarts. jsonwebtoken signs with the
//! PKCS#1 `RSAPrivateKey` inside that PKCS#8 envelope, and verifies with the raw `n`/`e`.

use std::fmt;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize, PublicKeyComponents};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{DecodingKey, EncodingKey};
use serde_json::{Value, json};

use crate::error::Error;
use crate::model::{Secret, SigningKeyRecord, new_id};

/// A usable signing key: what the token module needs to sign and verify.
pub(crate) struct SigningKey {
    /// The key ID.
    pub(crate) kid: String,
    /// The private key, for signing.
    pub(crate) encoding: EncodingKey,
    /// The public key, for verifying.
    pub(crate) decoding: DecodingKey,
    /// The public key as a JWK (`kty`, `kid`, `use`, `alg`, `n`, `e`).
    pub(crate) jwk: Value,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// Generates a new RSA 2048 key and its data-file record.
pub(crate) fn generate() -> Result<SigningKeyRecord, Error> {
    let pair = KeyPair::generate(KeySize::Rsa2048).map_err(|_| Error::KeyGeneration)?;
    let der = pair.as_der().map_err(|_| Error::KeyGeneration)?;
    Ok(SigningKeyRecord {
        kid: new_id(),
        pkcs8: Secret(STANDARD.encode(der.as_ref())),
    })
}

/// Turns a data-file record into a usable key.
pub(crate) fn load(record: &SigningKeyRecord) -> Result<SigningKey, Error> {
    let invalid = |reason: &str| Error::InvalidKey {
        reason: reason.to_owned(),
    };
    let pkcs8 = STANDARD
        .decode(&record.pkcs8.0)
        .map_err(|_| invalid("not base64"))?;
    let pair = KeyPair::from_pkcs8(&pkcs8).map_err(|_| invalid("not an RSA PKCS#8 key"))?;
    let pkcs1 = pkcs1_from_pkcs8(&pkcs8).ok_or_else(|| invalid("malformed PKCS#8 envelope"))?;
    let public = PublicKeyComponents::<Vec<u8>>::from(pair.public_key());
    Ok(SigningKey {
        kid: record.kid.clone(),
        encoding: EncodingKey::from_rsa_der(pkcs1),
        decoding: DecodingKey::from_rsa_raw_components(&public.n, &public.e),
        jwk: jwk(&record.kid, &public.n, &public.e),
    })
}

fn jwk(kid: &str, n: &[u8], e: &[u8]) -> Value {
    json!({
        "kty": "RSA",
        "kid": kid,
        "use": "sig",
        "alg": "RS256",
        "n": URL_SAFE_NO_PAD.encode(n),
        "e": URL_SAFE_NO_PAD.encode(e),
    })
}

/// The `privateKey` OCTET STRING content of a PKCS#8 `PrivateKeyInfo` (RFC 5208): for RSA, the
/// PKCS#1 `RSAPrivateKey` DER.
fn pkcs1_from_pkcs8(der: &[u8]) -> Option<&[u8]> {
    let (tag, body, _) = der_element(der)?;
    if tag != 0x30 {
        return None;
    }
    let (version_tag, _, rest) = der_element(body)?;
    let (algorithm_tag, _, rest) = der_element(rest)?;
    let (key_tag, key, _) = der_element(rest)?;
    (version_tag == 0x02 && algorithm_tag == 0x30 && key_tag == 0x04).then_some(key)
}

/// Splits one DER element off `input`: (tag, contents, rest).
fn der_element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let (bytes, rest) = rest.split_at(count);
        (
            bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b)),
            rest,
        )
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_key_loads_and_has_an_rsa_jwk() {
        let record = generate().expect("generate");
        let key = load(&record).expect("load");
        assert_eq!(key.jwk["kty"], "RSA");
        assert_eq!(key.jwk["alg"], "RS256");
        assert_eq!(key.jwk["kid"], record.kid.as_str());
        assert_eq!(key.jwk["e"], "AQAB");
        let n = key.jwk["n"].as_str().unwrap_or_default();
        assert_eq!(URL_SAFE_NO_PAD.decode(n).map(|b| b.len()).ok(), Some(256));
    }

    #[test]
    fn debug_does_not_show_key_material() {
        let key = load(&generate().expect("generate")).expect("load");
        let shown = format!("{key:?}");
        assert!(shown.contains(&key.kid) && !shown.contains("encoding"));
    }

    #[test]
    fn garbage_keys_are_rejected() {
        let record = SigningKeyRecord {
            kid: "k".into(),
            pkcs8: Secret("AAAA".into()),
        };
        assert!(matches!(load(&record), Err(Error::InvalidKey { .. })));
    }

    #[test]
    fn der_lengths_are_checked() {
        assert!(der_element(&[0x30, 0x05, 0x00]).is_none());
        assert!(der_element(&[0x30, 0x81]).is_none());
        assert_eq!(
            der_element(&[0x04, 0x01, 0xaa, 0xbb]),
            Some((0x04, &[0xaa][..], &[0xbb][..]))
        );
    }
}
