//! The tenant store: the data behind a lock, changed in place, persisted by a background
//! writer.
//!
//! A change runs under the write lock on the live tenant. Change functions validate first and
//! mutate only once nothing can fail, so a refused change leaves the tenant untouched without
//! the cost of copying it (the old design cloned the whole tenant per change: O(tenant) per
//! user create).
//!
//! Persistence is group commit: every successful change gets a sequence number and wakes the
//! writer thread, which serializes one snapshot (under the read lock) and writes it atomically
//! (`persist::write_bytes`). [`Store::write`] then waits until a snapshot at least as new as its
//! change is on disk, so a change is durable before its response is sent, while concurrent
//! changes share one file write. If the write fails the change stays in memory (it will be in
//! the next successful snapshot) and the request gets a 500.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};
use std::thread::JoinHandle;

use tokio::sync::watch;

use crate::api_error::ApiError;
use crate::model::TenantData;
use crate::persist;

/// The tenant data and where it is persisted.
#[derive(Debug)]
pub(crate) struct Store {
    shared: Arc<Shared>,
    writer: Option<JoinHandle<()>>,
}

#[derive(Debug)]
struct Shared {
    /// The tenant, and the sequence number of its last change.
    data: RwLock<(TenantData, u64)>,
    path: Option<PathBuf>,
    wanted: Mutex<Wanted>,
    wake: Condvar,
    written: watch::Sender<Written>,
}

#[derive(Debug, Default)]
struct Wanted {
    seq: u64,
    stop: bool,
}

/// What the writer has achieved: the newest snapshot on disk, and the newest it failed on.
#[derive(Debug, Clone, Copy, Default)]
struct Written {
    seq: u64,
    failed: u64,
}

impl Store {
    /// A store over `data`, persisted to `path` if given.
    pub(crate) fn new(mut data: TenantData, path: Option<PathBuf>) -> Self {
        data.reindex();
        let shared = Arc::new(Shared {
            data: RwLock::new((data, 0)),
            path,
            wanted: Mutex::new(Wanted::default()),
            wake: Condvar::new(),
            written: watch::Sender::new(Written::default()),
        });
        let writer = shared.path.is_some().then(|| {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || shared.run_writer())
        });
        Store { shared, writer }
    }

    /// The data file, if any.
    pub(crate) fn path(&self) -> Option<&Path> {
        self.shared.path.as_deref()
    }

    /// Runs `f` on the current tenant.
    pub(crate) fn read<R>(&self, f: impl FnOnce(&TenantData) -> R) -> R {
        let guard = self
            .shared
            .data
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        f(&guard.0)
    }

    /// Applies `f` to the tenant in place and schedules persistence, without waiting for it.
    /// `f` must leave the tenant unchanged when it fails.
    pub(crate) fn write_now<R>(
        &self,
        f: impl FnOnce(&mut TenantData) -> Result<R, ApiError>,
    ) -> Result<(R, u64), ApiError> {
        let seq = {
            let mut guard = self
                .shared
                .data
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            let result = f(&mut guard.0)?;
            guard.1 += 1;
            (result, guard.1)
        };
        if self.shared.path.is_some() {
            let mut wanted = self
                .shared
                .wanted
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            wanted.seq = wanted.seq.max(seq.1);
            self.shared.wake.notify_one();
        }
        Ok(seq)
    }

    /// Applies `f` to the tenant and returns once the change is persisted.
    pub(crate) async fn write<R>(
        &self,
        f: impl FnOnce(&mut TenantData) -> Result<R, ApiError>,
    ) -> Result<R, ApiError> {
        let (result, seq) = self.write_now(f)?;
        if self.shared.path.is_some() {
            self.persisted(seq).await?;
        }
        Ok(result)
    }

    /// Waits until a snapshot including change `seq` is on disk.
    async fn persisted(&self, seq: u64) -> Result<(), ApiError> {
        let mut receiver = self.shared.written.subscribe();
        loop {
            let written = *receiver.borrow_and_update();
            if written.seq >= seq {
                return Ok(());
            }
            if written.failed >= seq {
                return Err(ApiError::unexpected());
            }
            if receiver.changed().await.is_err() {
                return Err(ApiError::unexpected());
            }
        }
    }

    /// Blocks until every change so far is persisted (or the last attempt failed).
    #[cfg(test)]
    pub(crate) fn flush(&self) {
        let seq = self
            .shared
            .data
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .1;
        while self.shared.path.is_some() {
            let written = *self.shared.written.borrow();
            if written.seq >= seq || written.failed >= seq {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }
}

impl Shared {
    /// The writer thread: waits for changes, writes one snapshot per wake-up, and exits (after
    /// a last write) when the store is dropped.
    fn run_writer(&self) {
        let Some(path) = self.path.as_deref() else {
            return;
        };
        let mut done = 0u64;
        let mut failed = 0u64;
        loop {
            {
                let mut wanted = self.wanted.lock().unwrap_or_else(PoisonError::into_inner);
                // After a failure, wait for a new change (or the end) before trying again.
                while !wanted.stop && wanted.seq <= done.max(failed) {
                    wanted = self
                        .wake
                        .wait(wanted)
                        .unwrap_or_else(PoisonError::into_inner);
                }
                if wanted.stop && wanted.seq <= done {
                    return;
                }
            }
            let (bytes, seq) = {
                let guard = self.data.read().unwrap_or_else(PoisonError::into_inner);
                (persist::encode(&guard.0), guard.1)
            };
            match bytes.and_then(|bytes| persist::write_bytes(path, &bytes)) {
                Ok(()) => done = seq,
                Err(error) => {
                    tracing::error!(%error, "could not persist the emulator's data file");
                    failed = seq;
                    if self.wanted.lock().map(|w| w.stop).unwrap_or(true) {
                        return;
                    }
                }
            }
            self.written.send_replace(Written { seq: done, failed });
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(writer) = self.writer.take() {
            if let Ok(mut wanted) = self.shared.wanted.lock() {
                wanted.stop = true;
            }
            self.shared.wake.notify_one();
            let _ = writer.join();
        }
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
        let result: Result<((), u64), _> =
            store.write_now(|_| Err(ApiError::invalid_request("no")));
        assert!(result.is_err());
        assert_eq!(store.read(|d| d.populations.len()), 1);
    }

    #[tokio::test]
    async fn failed_writes_are_reported() {
        let dir = tempfile::tempdir().expect("tempdir");
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"x").expect("write");
        let store = Store::new(
            seed::tenant().expect("seed"),
            Some(blocker.join("tenant.json")),
        );
        let result = store
            .write(|data| {
                data.populations[0].name = "Renamed".into();
                Ok(())
            })
            .await;
        assert_eq!(
            result.err().map(|e| e.status()),
            Some(StatusCode::INTERNAL_SERVER_ERROR)
        );
    }

    #[tokio::test]
    async fn successful_changes_are_persisted_before_write_returns() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("tenant.json");
        let store = Store::new(seed::tenant().expect("seed"), Some(path.clone()));
        store
            .write(|data| {
                data.populations[0].name = "Renamed".into();
                Ok(())
            })
            .await
            .expect("write");
        let loaded = persist::load(&path).expect("load").expect("present");
        assert_eq!(loaded.populations[0].name, "Renamed");
    }

    #[test]
    fn dropping_the_store_flushes_pending_changes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("tenant.json");
        let store = Store::new(seed::tenant().expect("seed"), Some(path.clone()));
        for i in 0..20 {
            store
                .write_now(|data| {
                    data.populations[0].name = format!("n{i}");
                    Ok(())
                })
                .expect("write");
        }
        store.flush();
        drop(store);
        let loaded = persist::load(&path).expect("load").expect("present");
        assert_eq!(loaded.populations[0].name, "n19");
    }
}
