//! Access tokens: RS256 JWTs issued by the token endpoint and checked on every `/v1` call.

use chrono::Utc;
use jsonwebtoken::{Algorithm, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::keys::SigningKey;

/// The lifetime of an access token, in seconds (PingOne's default, API.md §1.2).
pub(crate) const LIFETIME_SECONDS: i64 = 3600;

/// The audience of management-API tokens.
pub(crate) const AUDIENCE: &str = "https://api.pingone.com";

/// The claims of an emulator access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Claims {
    /// Issuer: `<base>/<envId>/as`.
    pub(crate) iss: String,
    /// Audience.
    pub(crate) aud: Vec<String>,
    /// Expiry (seconds since the epoch).
    pub(crate) exp: i64,
    /// Issued at (seconds since the epoch).
    pub(crate) iat: i64,
    /// The application the token was issued to.
    pub(crate) client_id: String,
    /// The environment of that application.
    pub(crate) env: String,
    /// The organization.
    pub(crate) org: String,
    /// The subject: for client credentials, the client ID.
    pub(crate) sub: String,
    /// A unique token ID.
    pub(crate) jti: String,
}

impl Claims {
    /// Claims for a client-credentials token issued now.
    pub(crate) fn client_credentials(
        issuer: String,
        env: &str,
        org: &str,
        client_id: &str,
    ) -> Self {
        let iat = Utc::now().timestamp();
        Claims {
            iss: issuer,
            aud: vec![AUDIENCE.to_owned()],
            exp: iat + LIFETIME_SECONDS,
            iat,
            client_id: client_id.to_owned(),
            env: env.to_owned(),
            org: org.to_owned(),
            sub: client_id.to_owned(),
            jti: uuid::Uuid::new_v4().to_string(),
        }
    }
}

/// Signs claims into a compact JWT with the key's `kid` in the header.
pub(crate) fn sign(
    key: &SigningKey,
    claims: &Claims,
) -> Result<String, jsonwebtoken::errors::Error> {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(key.kid.clone());
    jsonwebtoken::encode(&header, claims, &key.encoding)
}

/// Checks a token's header, signature, expiry and audience; returns its claims, or a short
/// reason safe to show the caller (never the token itself).
pub(crate) fn verify(key: &SigningKey, token: &str) -> Result<Claims, &'static str> {
    let header =
        jsonwebtoken::decode_header(token).map_err(|_| "The access token is malformed.")?;
    if header.alg != Algorithm::RS256 || header.kid.as_deref() != Some(key.kid.as_str()) {
        return Err("The access token was not signed by this authorization server.");
    }
    let mut validation = Validation::new(Algorithm::RS256);
    validation.leeway = 0;
    validation.set_audience(&[AUDIENCE]);
    validation.set_required_spec_claims(&["exp", "iat", "aud", "iss", "sub"]);
    match jsonwebtoken::decode::<Claims>(token, &key.decoding, &validation) {
        Ok(data) => Ok(data.claims),
        Err(e) if matches!(e.kind(), jsonwebtoken::errors::ErrorKind::ExpiredSignature) => {
            Err("The access token has expired.")
        }
        Err(_) => Err("The access token is invalid."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys;

    fn key() -> SigningKey {
        keys::load(&keys::generate().expect("generate")).expect("load")
    }

    fn claims() -> Claims {
        Claims::client_credentials("http://h/e/as".into(), "e", "o", "c")
    }

    #[test]
    fn signed_tokens_verify() {
        let key = key();
        let token = sign(&key, &claims()).expect("sign");
        let got = verify(&key, &token).expect("verify");
        assert_eq!(
            (got.client_id.as_str(), got.env.as_str(), got.org.as_str()),
            ("c", "e", "o")
        );
        assert_eq!(got.exp - got.iat, LIFETIME_SECONDS);
    }

    #[test]
    fn expired_tokens_are_refused() {
        let key = key();
        let mut expired = claims();
        expired.exp = Utc::now().timestamp() - 5;
        let token = sign(&key, &expired).expect("sign");
        assert_eq!(
            verify(&key, &token).err(),
            Some("The access token has expired.")
        );
    }

    #[test]
    fn tokens_from_another_key_are_refused() {
        let (key, other) = (key(), key());
        let token = sign(&other, &claims()).expect("sign");
        assert!(verify(&key, &token).is_err());
        let mut same_kid = other;
        same_kid.kid = key.kid.clone();
        let forged = sign(&same_kid, &claims()).expect("sign");
        assert_eq!(
            verify(&key, &forged).err(),
            Some("The access token is invalid.")
        );
    }

    #[test]
    fn garbage_is_refused() {
        assert!(verify(&key(), "not.a.jwt").is_err());
    }
}
