//! Verified access tokens, remembered until they expire.
//!
//! Verifying an RS256 signature costs tens of microseconds of CPU (the RSA public key is
//! rebuilt on every call), which dominated the cost of a simple authenticated GET. A token that
//! verified once stays valid until its `exp` (the key never changes while the emulator runs),
//! so later calls with the same token need only a lookup. A tampered token is a different
//! string and is verified in full.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::keys::SigningKey;
use crate::token::{self, Claims};

/// How many tokens are remembered before the cache starts over (bounds memory).
const CAPACITY: usize = 10_000;

/// The tokens verified so far (claims are shared, so a hit copies no string).
#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    verified: Mutex<HashMap<String, Arc<Claims>>>,
}

impl TokenCache {
    /// The claims of `token`, from the cache or by verifying it with `key`.
    pub(crate) fn verify(
        &self,
        key: &SigningKey,
        token: &str,
    ) -> Result<Arc<Claims>, &'static str> {
        let now = chrono::Utc::now().timestamp();
        {
            let mut verified = self.verified.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(claims) = verified.get(token) {
                if now <= claims.exp {
                    return Ok(Arc::clone(claims));
                }
                verified.remove(token);
                return Err("The access token has expired.");
            }
        }
        let claims = Arc::new(token::verify(key, token)?);
        let mut verified = self.verified.lock().unwrap_or_else(PoisonError::into_inner);
        if verified.len() >= CAPACITY {
            verified.clear();
        }
        verified.insert(token.to_owned(), Arc::clone(&claims));
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys;

    #[test]
    fn verified_tokens_are_remembered_and_tampered_ones_refused() {
        let key = keys::load(&keys::generate().expect("generate")).expect("load");
        let claims = Claims::client_credentials("http://h/e/as".into(), "e", "o", "c");
        let token = token::sign(&key, &claims).expect("sign");
        let cache = TokenCache::default();
        assert_eq!(
            cache.verify(&key, &token).map(|c| c.jti.clone()),
            Ok(claims.jti.clone())
        );
        assert_eq!(
            cache.verify(&key, &token).map(|c| c.jti.clone()),
            Ok(claims.jti)
        );
        let mut tampered = token.clone();
        tampered.push('x');
        assert!(cache.verify(&key, &tampered).is_err());
    }

    #[test]
    fn remembered_tokens_still_expire() {
        let key = keys::load(&keys::generate().expect("generate")).expect("load");
        let mut claims = Claims::client_credentials("http://h/e/as".into(), "e", "o", "c");
        let token = token::sign(&key, &claims).expect("sign");
        let cache = TokenCache::default();
        claims.exp = chrono::Utc::now().timestamp() - 1;
        cache
            .verified
            .lock()
            .expect("lock")
            .insert(token.clone(), Arc::new(claims));
        assert_eq!(
            cache.verify(&key, &token).map(|c| c.jti.clone()),
            Err("The access token has expired.")
        );
    }
}
