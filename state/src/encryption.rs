//! Encryption of state at rest, with a passphrase from the environment.
//!
//! An encrypted document (a snapshot, a journal line, a PostgreSQL row) is a
//! small JSON envelope whose first key is `pingform_encrypted` (the envelope
//! version), so that pingform recognises it and can say what is missing:
//!
//! ```json
//! {"pingform_encrypted":1,"cipher":"AES-256-GCM",
//!  "kdf":{"algorithm":"argon2id","m_cost":19456,"t_cost":2,"p_cost":1,"salt":"…"},
//!  "key_check":"…","nonce":"…","ciphertext":"…"}
//! ```
//!
//! The key is derived from the passphrase with Argon2id and a random salt; the
//! cipher is AES-256-GCM with a random nonce per document (aws-lc-rs). Argon2id
//! yields 48 bytes: the first 32 are the key, the last 16 the `key_check`
//! stored in the envelope, which tells a wrong passphrase (the check differs)
//! from a changed or damaged ciphertext (the check matches, the tag does not).
//!
//! Rotation: the previous passphrase, when given, is tried for reading after
//! the current one; everything is written with the current one. A run derives
//! its writing key once (one salt per run), so that journaling thousands of
//! operations costs one derivation, not thousands.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use aws_lc_rs::aead::{AES_256_GCM, Aad, NONCE_LEN, Nonce, RandomizedNonceKey};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::Error;

/// The environment variable holding the passphrase state is written with.
pub const PASSPHRASE_ENV: &str = "PINGFORM_STATE_PASSPHRASE";

/// The environment variable holding the passphrase before a rotation (read only).
pub const PREVIOUS_PASSPHRASE_ENV: &str = "PINGFORM_STATE_PASSPHRASE_PREVIOUS";

/// The newest envelope version this build reads and the one it writes.
const ENVELOPE_VERSION: u32 = 1;
const CIPHER: &str = "AES-256-GCM";
const KDF: &str = "argon2id";
/// Bound into every ciphertext, so that a document is only ever a pingform state's.
const AAD: &[u8] = b"pingform state";
const MARKER: &[u8] = b"\"pingform_encrypted\"";
const KEY_LEN: usize = 32;
const CHECK_LEN: usize = 16;
const SALT_LEN: usize = 16;

/// Argon2id costs for new documents: OWASP's recommended minimum (19 MiB, 2 passes).
const WRITE_COSTS: Costs = Costs {
    m_cost: 19 * 1024,
    t_cost: 2,
    p_cost: 1,
};

/// The largest costs accepted from a document, so that a crafted file cannot
/// make pingform allocate or compute without bound.
const MAX_COSTS: Costs = Costs {
    m_cost: 1024 * 1024,
    t_cost: 16,
    p_cost: 16,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct Costs {
    m_cost: u32,
    t_cost: u32,
    p_cost: u32,
}

/// How the key of one document was derived.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct Kdf {
    algorithm: String,
    #[serde(flatten)]
    costs: Costs,
    salt: String,
}

/// An encrypted document. `pingform_encrypted` comes first: it is how one is recognised.
#[derive(Serialize, Deserialize)]
struct Envelope {
    pingform_encrypted: u32,
    cipher: String,
    kdf: Kdf,
    key_check: String,
    nonce: String,
    ciphertext: String,
}

/// Which passphrase a key came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Slot {
    Current,
    Previous,
}

impl Slot {
    fn variable(self) -> &'static str {
        match self {
            Slot::Current => PASSPHRASE_ENV,
            Slot::Previous => PREVIOUS_PASSPHRASE_ENV,
        }
    }
}

/// A key derived from a passphrase and a salt.
struct DerivedKey {
    key: RandomizedNonceKey,
    check: [u8; CHECK_LEN],
}

/// The passphrases state is encrypted with, and the keys derived from them.
/// Without a current passphrase, state is written in the clear (and read in
/// the clear, or with the previous passphrase when only that one is set).
pub struct Encryption {
    current: Option<SecretString>,
    previous: Option<SecretString>,
    /// The writing key of this run, with the KDF settings naming its salt.
    writer: Mutex<Option<Arc<(Kdf, DerivedKey)>>>,
    /// Keys derived for reading, by passphrase and KDF settings.
    readers: Mutex<HashMap<(Slot, Kdf), Arc<DerivedKey>>>,
}

impl std::fmt::Debug for Encryption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encryption")
            .field("current", &self.current.as_ref().map(|_| "set"))
            .field("previous", &self.previous.as_ref().map(|_| "set"))
            .finish_non_exhaustive()
    }
}

impl Default for Encryption {
    fn default() -> Self {
        Self::none()
    }
}

impl Encryption {
    /// No passphrase: state is written in the clear, and encrypted state is refused.
    pub fn none() -> Self {
        Self::new(None, None)
    }

    /// State written with `current` (in the clear when `None`), read with
    /// `current` or else `previous`. Empty passphrases count as unset.
    pub fn new(current: Option<SecretString>, previous: Option<SecretString>) -> Self {
        let given = |p: Option<SecretString>| p.filter(|p| !p.expose_secret().is_empty());
        Self {
            current: given(current),
            previous: given(previous),
            writer: Mutex::new(None),
            readers: Mutex::new(HashMap::new()),
        }
    }

    /// The passphrases in [`PASSPHRASE_ENV`] and [`PREVIOUS_PASSPHRASE_ENV`].
    pub fn from_env() -> Self {
        let var = |name| std::env::var(name).ok().map(SecretString::from);
        Self::new(var(PASSPHRASE_ENV), var(PREVIOUS_PASSPHRASE_ENV))
    }

    /// Whether documents are written encrypted.
    pub fn encrypts(&self) -> bool {
        self.current.is_some()
    }

    /// `plain` as written to storage: an envelope when a current passphrase is
    /// set, else `plain` itself.
    pub fn encrypt(&self, plain: Vec<u8>) -> Result<Vec<u8>, Error> {
        let Some(writer) = self.writer()? else {
            return Ok(plain);
        };
        let (kdf, key) = &*writer;
        let mut data = plain;
        let nonce = key
            .key
            .seal_in_place_append_tag(Aad::from(AAD), &mut data)
            .map_err(|_| Error::Encrypt("AES-256-GCM encryption failed".into()))?;
        let envelope = Envelope {
            pingform_encrypted: ENVELOPE_VERSION,
            cipher: CIPHER.into(),
            kdf: kdf.clone(),
            key_check: BASE64.encode(key.check),
            nonce: BASE64.encode(nonce.as_ref()),
            ciphertext: BASE64.encode(&data),
        };
        serde_json::to_vec(&envelope).map_err(|e| Error::Encrypt(e.to_string()))
    }

    /// The plain document stored as `stored` at `origin` (named in errors):
    /// `stored` itself when it is not encrypted.
    pub fn decrypt<'a>(&self, origin: &Path, stored: &'a [u8]) -> Result<Cow<'a, [u8]>, Error> {
        if !is_encrypted(stored) {
            return Ok(Cow::Borrowed(stored));
        }
        let envelope_error = |problem: String| Error::Envelope {
            path: origin.to_path_buf(),
            problem,
        };
        let envelope: Envelope = serde_json::from_slice(stored)
            .map_err(|e| envelope_error(format!("its envelope is damaged ({e})")))?;
        check_envelope(&envelope).map_err(envelope_error)?;
        let bytes = |name: &str, text: &str| {
            BASE64
                .decode(text)
                .map_err(|e| envelope_error(format!("its `{name}` is not base64 ({e})")))
        };
        let check = bytes("key_check", &envelope.key_check)?;
        let nonce = bytes("nonce", &envelope.nonce)?;
        let mut data = bytes("ciphertext", &envelope.ciphertext)?;
        let slots = self.reading_slots();
        if slots.is_empty() {
            return Err(Error::PassphraseMissing {
                path: origin.to_path_buf(),
            });
        }
        for slot in &slots {
            let key = self.reader(*slot, &envelope.kdf).map_err(envelope_error)?;
            if key.check[..] != check[..] {
                continue;
            }
            let nonce = Nonce::try_assume_unique_for_key(&nonce)
                .map_err(|_| envelope_error(format!("its nonce is not {NONCE_LEN} bytes")))?;
            let plain = key
                .key
                .open_in_place(nonce, Aad::from(AAD), &mut data)
                .map_err(|_| Error::Tampered {
                    path: origin.to_path_buf(),
                })?;
            let length = plain.len();
            data.truncate(length);
            return Ok(Cow::Owned(data));
        }
        Err(Error::WrongPassphrase {
            path: origin.to_path_buf(),
            tried: slots
                .iter()
                .map(|s| s.variable())
                .collect::<Vec<_>>()
                .join(" and "),
        })
    }

    fn reading_slots(&self) -> Vec<Slot> {
        let mut slots = Vec::new();
        if self.current.is_some() {
            slots.push(Slot::Current);
        }
        if self.previous.is_some() {
            slots.push(Slot::Previous);
        }
        slots
    }

    fn passphrase(&self, slot: Slot) -> Option<&SecretString> {
        match slot {
            Slot::Current => self.current.as_ref(),
            Slot::Previous => self.previous.as_ref(),
        }
    }

    /// This run's writing key, derived on first use with a new random salt.
    fn writer(&self) -> Result<Option<Arc<(Kdf, DerivedKey)>>, Error> {
        let Some(passphrase) = &self.current else {
            return Ok(None);
        };
        let mut writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(existing) = &*writer {
            return Ok(Some(existing.clone()));
        }
        let mut salt = [0u8; SALT_LEN];
        aws_lc_rs::rand::fill(&mut salt)
            .map_err(|_| Error::Encrypt("no random numbers for the salt".into()))?;
        let kdf = Kdf {
            algorithm: KDF.into(),
            costs: WRITE_COSTS,
            salt: BASE64.encode(salt),
        };
        let key = derive(passphrase, &salt, WRITE_COSTS).map_err(Error::Encrypt)?;
        let derived = Arc::new((kdf, key));
        *writer = Some(derived.clone());
        Ok(Some(derived))
    }

    /// The key `slot`'s passphrase gives with `kdf`, derived once and remembered.
    fn reader(&self, slot: Slot, kdf: &Kdf) -> Result<Arc<DerivedKey>, String> {
        let mut readers = self.readers.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(key) = readers.get(&(slot, kdf.clone())) {
            return Ok(key.clone());
        }
        let passphrase = self.passphrase(slot).ok_or("no passphrase")?;
        let salt = BASE64
            .decode(&kdf.salt)
            .map_err(|e| format!("its salt is not base64 ({e})"))?;
        let key = Arc::new(derive(passphrase, &salt, kdf.costs)?);
        readers.insert((slot, kdf.clone()), key.clone());
        Ok(key)
    }
}

/// Whether `stored` is an envelope: a JSON object whose first key is `pingform_encrypted`.
pub fn is_encrypted(stored: &[u8]) -> bool {
    let rest = stored.trim_ascii_start();
    rest.first() == Some(&b'{') && rest[1..].trim_ascii_start().starts_with(MARKER)
}

fn check_envelope(envelope: &Envelope) -> Result<(), String> {
    if envelope.pingform_encrypted > ENVELOPE_VERSION {
        return Err(format!(
            "it was encrypted by a newer pingform (envelope version {}; this one reads up to {ENVELOPE_VERSION}): upgrade pingform",
            envelope.pingform_encrypted
        ));
    }
    if envelope.cipher != CIPHER || envelope.kdf.algorithm != KDF {
        return Err(format!(
            "it uses {} with {}, but pingform encrypts only with {CIPHER} and {KDF}",
            envelope.cipher, envelope.kdf.algorithm
        ));
    }
    let Costs {
        m_cost,
        t_cost,
        p_cost,
    } = envelope.kdf.costs;
    if m_cost > MAX_COSTS.m_cost || t_cost > MAX_COSTS.t_cost || p_cost > MAX_COSTS.p_cost {
        return Err(format!(
            "its key derivation costs (m_cost {m_cost}, t_cost {t_cost}, p_cost {p_cost}) exceed what pingform accepts"
        ));
    }
    Ok(())
}

/// Argon2id of `passphrase` and `salt`: the AES key and the key check.
fn derive(passphrase: &SecretString, salt: &[u8], costs: Costs) -> Result<DerivedKey, String> {
    let params = argon2::Params::new(
        costs.m_cost,
        costs.t_cost,
        costs.p_cost,
        Some(KEY_LEN + CHECK_LEN),
    )
    .map_err(|e| format!("invalid key derivation settings ({e})"))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut output = Zeroizing::new([0u8; KEY_LEN + CHECK_LEN]);
    argon
        .hash_password_into(passphrase.expose_secret().as_bytes(), salt, &mut output[..])
        .map_err(|e| format!("key derivation failed ({e})"))?;
    let key = RandomizedNonceKey::new(&AES_256_GCM, &output[..KEY_LEN])
        .map_err(|_| "the derived key was refused".to_string())?;
    let mut check = [0u8; CHECK_LEN];
    check.copy_from_slice(&output[KEY_LEN..]);
    Ok(DerivedKey { key, check })
}

#[cfg(test)]
mod tests;
