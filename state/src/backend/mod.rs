//! Where state is stored. A backend holds one state document (or one per
//! workspace), a lock that keeps two runs apart, and a cheap way to persist a
//! single operation; the model is in `model`.

pub mod local;
pub mod postgres;
mod postgres_tls;

use std::time::Duration;

use crate::{Error, LockInfo, Operation, State};

/// A place that holds one state document.
pub trait Backend: Send + Sync {
    /// Takes the state lock for `operation` (such as `apply`), waiting up to
    /// `timeout` for another run to release it. Held until the backend is
    /// dropped. Returns the description a dead previous holder left, if any.
    fn lock(&self, operation: &str, timeout: Duration) -> Result<Option<LockInfo>, Error>;

    /// The stored state, with any operations recorded after the last snapshot
    /// applied, or `None` when nothing has been stored yet.
    fn load(&self) -> Result<Option<State>, Error>;

    /// Like [`Backend::load`], and folds operations left by a run that died into
    /// a new snapshot (call it with the lock held).
    fn recover(&self) -> Result<Option<State>, Error> {
        self.load()
    }

    /// Replaces the stored state with `state`, atomically: a crash leaves either
    /// the old or the new document, never a mix. Also the compaction step: the
    /// operations recorded so far are folded into this snapshot.
    fn store(&self, state: &State) -> Result<(), Error>;

    /// Persists one operation; `after` is the whole state once it is applied
    /// (with its serial already increased). The default stores `after` whole;
    /// backends with a journal append `operation` alone, so that the cost does
    /// not grow with the state.
    fn record(&self, after: &State, operation: &Operation) -> Result<(), Error> {
        let _ = operation;
        self.store(after)
    }

    /// Persists several operations at once; `after` is the state once all are
    /// applied, its serial increased by one per operation. One sync covers them
    /// all, which is what makes recording every create intent up front cheap.
    fn record_all(&self, after: &State, operations: &[Operation]) -> Result<(), Error> {
        let _ = operations;
        self.store(after)
    }

    /// Fails now if the state could not be written, so that a run stops before
    /// it changes anything it could not record (a read-only directory, say).
    fn check_writable(&self) -> Result<(), Error> {
        Ok(())
    }

    /// Where the state lives, for messages.
    fn describe(&self) -> String;
}
