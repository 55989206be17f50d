//! The tenant store: the data behind a lock, persisted after every change.
//!
//! A change is applied to a copy of the tenant, the copy is written to the data file, and only
//! then does it replace the live tenant: a failed write leaves the emulator unchanged.

use std::path::PathBuf;
use std::sync::{PoisonError, RwLock};

use crate::api_error::ApiError;
use crate::model::TenantData;
use crate::persist;

/// The tenant data and where it is persisted.
#[derive(Debug)]
pub(crate) struct Store {
    data: RwLock<TenantData>,
    path: Option<PathBuf>,
}

impl Store {
    /// A store over `data`, persisted to `path` if given.
    pub(crate) fn new(data: TenantData, path: Option<PathBuf>) -> Self {
        Store {
            data: RwLock::new(data),
            path,
        }
    }

    /// The data file, if any.
    pub(crate) fn path(&self) -> Option<&std::path::Path> {
        self.path.as_deref()
    }

    /// Runs `f` on the current tenant.
    pub(crate) fn read<R>(&self, f: impl FnOnce(&TenantData) -> R) -> R {
        f(&self.data.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Applies `f` to the tenant; if it succeeds, persists the result and makes it current.
    pub(crate) fn write<R>(
        &self,
        f: impl FnOnce(&mut TenantData) -> Result<R, ApiError>,
    ) -> Result<R, ApiError> {
        let mut guard = self.data.write().unwrap_or_else(PoisonError::into_inner);
        let mut next = guard.clone();
        let result = f(&mut next)?;
        if let Some(path) = &self.path {
            persist::save(path, &next).map_err(|error| {
                tracing::error!(%error, "could not persist the emulator's data file");
                ApiError::unexpected()
            })?;
        }
        *guard = next;
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;
    use axum::http::StatusCode;

    #[test]
    fn failed_changes_leave_the_tenant_unchanged() {
        let store = Store::new(seed::tenant().expect("seed"), None);
        let result: Result<(), _> = store.write(|data| {
            data.populations.clear();
            Err(ApiError::invalid_request("no"))
        });
        assert!(result.is_err());
        assert_eq!(store.read(|d| d.populations.len()), 1);
    }

    #[test]
    fn failed_writes_leave_the_tenant_unchanged() {
        let dir = tempfile::tempdir().expect("tempdir");
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"x").expect("write");
        let store = Store::new(
            seed::tenant().expect("seed"),
            Some(blocker.join("tenant.json")),
        );
        let result = store.write(|data| {
            data.populations.clear();
            Ok(())
        });
        assert_eq!(
            result.err().map(|e| e.status()),
            Some(StatusCode::INTERNAL_SERVER_ERROR)
        );
        assert_eq!(store.read(|d| d.populations.len()), 1);
    }

    #[test]
    fn successful_changes_are_persisted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("tenant.json");
        let store = Store::new(seed::tenant().expect("seed"), Some(path.clone()));
        store
            .write(|data| {
                data.populations[0].name = "Renamed".into();
                Ok(())
            })
            .expect("write");
        let loaded = persist::load(&path).expect("load").expect("present");
        assert_eq!(loaded.populations[0].name, "Renamed");
    }
}
