//! PingOne's eventual-consistency answers (API.md §8.3–8.4), retried for a bounded time.
//!
//! - role assignments not yet propagated: "The actor attempting to perform the request is
//!   not authorized.", "The request could not be completed. You do not have access to this
//!   resource.", or a detail "Must have role at the same or broader scope";
//! - an environment created moments ago: its sub-resources may answer 403 or 404 for a
//!   few seconds (the SDKs retry for 17–30 s after `createdAt`).
//!
//! Environments created through this client are remembered with their creation time,
//! so a 404 or 403 under one of them is retried only while it is new. At the organization
//! level (creating or listing environments) a "not authorized" answer is retried only
//! shortly after this process granted a role: otherwise it is final, and a worker that
//! lacks the role learns so at once rather than after the whole settle window. (Roles
//! granted by another run moments before are not waited for there: run again.)

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::ClientError;

/// Messages PingOne gives while new role assignments propagate.
const PROPAGATION: &[&str] = &[
    "The actor attempting to perform the request is not authorized",
    "The request could not be completed. You do not have access to this resource",
    "Must have role at the same or broader scope",
];

/// How long after creation an environment may answer 403/404 for its contents.
pub(super) const NEW_ENVIRONMENT: Duration = Duration::from_secs(30);

/// True when `error` is a "permissions not propagated yet" answer, or PingOne's
/// transient "Role assignment … cannot be deleted as it is read only" (which the SDKs
/// retry: the platform may briefly report a fresh assignment as read-only).
pub fn is_propagation(error: &ClientError) -> bool {
    matches!(error.status(), Some(400 | 401 | 403))
        && error.messages().iter().any(|m| {
            PROPAGATION.iter().any(|p| m.starts_with(p))
                || (m.starts_with("Role assignment ")
                    && m.contains("cannot be deleted as it is read only"))
        })
}

/// Environments this client created, with when.
#[derive(Debug, Default)]
pub struct NewEnvironments {
    created: Mutex<HashMap<String, Instant>>,
}

impl NewEnvironments {
    /// Remembers that `id` was just created.
    pub fn created(&self, id: &str) {
        let mut created = self
            .created
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        created.insert(id.to_string(), Instant::now());
    }

    /// Forgets `id` (deleted: its contents' 404s are now real).
    pub fn deleted(&self, id: &str) {
        let mut created = self
            .created
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        created.remove(id);
    }

    /// True when `path` (`/v1/environments/{id}/...`) is under an environment created
    /// less than [`NEW_ENVIRONMENT`] ago.
    pub fn is_new(&self, path: &str) -> bool {
        let mut parts = path.trim_start_matches('/').split('/');
        let (Some("v1"), Some("environments"), Some(id), Some(_)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        let created = self
            .created
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        created
            .get(id)
            .is_some_and(|at| at.elapsed() < NEW_ENVIRONMENT)
    }
}

/// The environment a path (`/v1/environments/{id}/...`) is under; `None` at the
/// organization level (`/v1/environments`, `/v1/organizations/...`).
pub(super) fn environment_of(path: &str) -> Option<&str> {
    let mut parts = path.trim_start_matches('/').split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("v1"), Some("environments"), Some(id)) if !id.is_empty() => Some(id),
        _ => None,
    }
}

/// When a client of this process last created a role assignment. Process-wide, since
/// one provider configuration (an `admin` alias) may grant the roles another (the worker
/// it configures) is about to use.
#[derive(Debug, Default)]
pub(super) struct RecentGrant {
    at: Mutex<Option<Instant>>,
}

/// The process's [`RecentGrant`].
pub(super) static RECENT_GRANT: RecentGrant = RecentGrant::new();

impl RecentGrant {
    /// No grant yet.
    pub(super) const fn new() -> Self {
        Self {
            at: Mutex::new(None),
        }
    }

    /// Remembers that a role was granted just now.
    pub(super) fn granted(&self) {
        *self
            .at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Instant::now());
    }

    /// True when a role was granted less than `window` ago.
    pub(super) fn within(&self, window: Duration) -> bool {
        self.at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some_and(|at| at.elapsed() < window)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{ApiError, ErrorDetail};

    fn error(status: u16, message: &str, detail: Option<&str>) -> ClientError {
        ClientError::from(ApiError {
            method: "GET".into(),
            path: "/v1/x".into(),
            status,
            code: "ACCESS_FAILED".into(),
            message: message.into(),
            details: detail
                .map(|m| {
                    vec![ErrorDetail {
                        message: Some(m.into()),
                        ..ErrorDetail::default()
                    }]
                })
                .unwrap_or_default(),
            id: None,
        })
    }

    #[test]
    fn propagation_messages_are_recognised() {
        assert!(is_propagation(&error(
            403,
            "The actor attempting to perform the request is not authorized.",
            None
        )));
        assert!(is_propagation(&error(
            403,
            "nope",
            Some("Must have role at the same or broader scope")
        )));
        assert!(!is_propagation(&error(
            403,
            "You do not have permissions or are not licensed to make this request.",
            None
        )));
        assert!(!is_propagation(&error(
            404,
            "The actor attempting to perform the request is not authorized.",
            None
        )));
    }

    #[test]
    fn paths_are_under_an_environment_or_the_organization() {
        assert_eq!(environment_of("/v1/environments/e1/users"), Some("e1"));
        assert_eq!(environment_of("/v1/environments/e1"), Some("e1"));
        assert_eq!(environment_of("/v1/environments"), None);
        assert_eq!(environment_of("/v1/environments/"), None);
        assert_eq!(environment_of("/v1/organizations/o1/licenses"), None);
    }

    #[test]
    fn a_grant_is_recent_only_within_the_window() {
        let grant = RecentGrant::new();
        assert!(!grant.within(Duration::from_secs(60)));
        grant.granted();
        assert!(grant.within(Duration::from_secs(60)));
        assert!(!grant.within(Duration::ZERO));
    }

    #[test]
    fn only_new_environments_settle() {
        let new = NewEnvironments::default();
        new.created("e1");
        assert!(new.is_new("/v1/environments/e1/populations"));
        assert!(!new.is_new("/v1/environments/e2/populations"));
        // The environment itself answering 404 is not "settling".
        assert!(!new.is_new("/v1/environments/e1"));
        new.deleted("e1");
        assert!(!new.is_new("/v1/environments/e1/populations"));
    }
}
