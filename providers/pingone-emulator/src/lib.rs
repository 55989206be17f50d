//! A local PingOne emulator: the PingOne token endpoint and management API, as faithful to
//! PingOne's documentation as it allows, for tests and CI.
//!
//! ```no_run
//! # async fn demo() -> Result<(), pingone_emulator::Error> {
//! let emulator = pingone_emulator::Emulator::open(None)?;
//! let running = pingone_emulator::spawn(emulator, "127.0.0.1:0").await?;
//! let credentials = running.credentials();
//! // POST {auth_url}/{environment_id}/as/token, then call {api_url}/v1/...
//! # let _ = credentials;
//! running.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! One port serves both hosts PingOne has: the auth paths `/{envId}/as/...` and the management
//! API `/v1/...`. Calls under an environment that does not exist answer 403 `ACCESS_FAILED`, as
//! PingOne does (API.md §8.1); `GET /v1/environments/{id}` answers 404 for it.
//!
//! Every `/v1` call is checked against the calling application's role assignments (the
//! `permissions` module: one permission per route, scopes organization > environment >
//! population/application). The seeded admin worker holds Organization Admin at organization
//! scope and Environment Admin, Identity Data Admin and Client Application Developer on the
//! admin environment, and gets those three roles on every environment it creates, so it can do
//! everything; a worker created through the API can do what its role assignments allow.
//!
//! Tests can inject faults ([`Emulator::set_faults`]), change the rate limit
//! ([`Emulator::set_rate_limit`]) and count requests, responses per status and injected faults
//! ([`Emulator::counters`]), also over HTTP
//! under `/__emulator/` (see the `routes::admin` module).

mod api_error;
mod applications;
mod counters;
mod credentials;
mod environments;
mod error;
mod extract;
mod faults;
mod fields;
mod filter;
mod groups;
mod hal;
mod keys;
mod model;
mod permissions;
mod persist;
mod populations;
mod ratelimit;
mod role_assignments;
mod roles;
mod routes;
mod seed;
mod server;
mod store;
mod table;
mod token;
mod token_cache;
mod traffic;
mod users;

use std::fmt;
use std::path::Path;
use std::sync::Arc;

pub use counters::{FaultCounts, RequestCount, RequestCounts, UNMATCHED};
pub use credentials::Credentials;
pub use error::Error;
pub use faults::{ErrorRate, Faults, INJECTABLE_STATUSES};
pub use ratelimit::RateLimit;
pub use seed::ADMIN_ENVIRONMENT_ID;
pub use server::{RunningEmulator, serve, serve_with_shutdown, spawn};
pub use traffic::{InvalidSetting, MAX_BODY_BYTES};

/// The emulator: tenant data in memory, optionally persisted to a JSON data file.
///
/// Cloning is cheap: clones share the same tenant.
#[derive(Clone)]
pub struct Emulator {
    inner: Arc<Inner>,
}

struct Inner {
    store: store::Store,
    key: keys::SigningKey,
    traffic: traffic::Traffic,
    tokens: token_cache::TokenCache,
}

impl Emulator {
    /// Loads the data file if it exists, else seeds a new tenant (and writes the file if a path
    /// is given).
    pub fn open(data_file: Option<&Path>) -> Result<Emulator, Error> {
        let data = match data_file {
            Some(path) => match persist::load(path)? {
                Some(mut data) => {
                    seed::upgrade(&mut data);
                    data
                }
                None => {
                    let data = seed::tenant()?;
                    persist::save(path, &data)?;
                    data
                }
            },
            None => seed::tenant()?,
        };
        let key = keys::load(&data.signing_key)?;
        let store = store::Store::new(data, data_file.map(Path::to_owned));
        Ok(Emulator {
            inner: Arc::new(Inner {
                store,
                key,
                traffic: traffic::Traffic::new(),
                tokens: token_cache::TokenCache::default(),
            }),
        })
    }

    /// The axum router serving both the auth paths (`/{envId}/as/...`) and `/v1/...`.
    pub fn router(&self) -> axum::Router {
        routes::router(self.clone())
    }

    /// Credentials of the seeded admin worker app; `base_url` like `http://127.0.0.1:4567`.
    pub fn credentials(&self, base_url: &str) -> Credentials {
        self.inner
            .store
            .read(|data| Credentials::of_admin_worker(data, base_url))
    }

    pub(crate) fn store(&self) -> &store::Store {
        &self.inner.store
    }

    pub(crate) fn key(&self) -> &keys::SigningKey {
        &self.inner.key
    }

    pub(crate) fn traffic(&self) -> &traffic::Traffic {
        &self.inner.traffic
    }

    pub(crate) fn tokens(&self) -> &token_cache::TokenCache {
        &self.inner.tokens
    }
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("data_file", &self.inner.store.path())
            .field("kid", &self.inner.key.kid)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_without_a_file_seeds_a_tenant() {
        let emulator = Emulator::open(None).expect("open");
        let credentials = emulator.credentials("http://127.0.0.1:1/");
        assert_eq!(credentials.api_url, "http://127.0.0.1:1");
        assert!(!format!("{emulator:?}").contains(&credentials.client_secret));
    }

    #[test]
    fn open_twice_on_one_file_sees_the_same_tenant() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("tenant.json");
        let first = Emulator::open(Some(&path))
            .expect("first")
            .credentials("http://x");
        assert!(path.exists());
        let second = Emulator::open(Some(&path))
            .expect("second")
            .credentials("http://x");
        assert_eq!(first.client_secret, second.client_secret);
        assert_eq!(first.environment_id, second.environment_id);
    }

    #[test]
    fn corrupt_file_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("tenant.json");
        std::fs::write(&path, "[]").expect("write");
        assert!(matches!(
            Emulator::open(Some(&path)),
            Err(Error::Corrupt { .. })
        ));
    }
}
