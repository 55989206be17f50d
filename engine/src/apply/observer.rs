//! How apply reports progress: the CLI draws it, tests record it. The engine never prints.

use std::time::Duration;

use crate::ResourceAddress;
use crate::plan::Action;

/// How one operation ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// It worked.
    Succeeded {
        /// The object's id, when it has one.
        id: Option<String>,
        /// How long it took.
        elapsed: Duration,
    },
    /// The provider refused or failed; the message is worded for the user.
    Failed {
        /// What went wrong.
        message: String,
    },
    /// Not started because the apply was interrupted.
    NotStarted,
    /// Not attempted because something it depends on failed.
    Skipped {
        /// The failed (or skipped) dependency.
        because: ResourceAddress,
    },
}

/// Receives apply progress.
pub trait ApplyObserver: Send + Sync {
    /// An operation is starting.
    fn started(&self, address: &ResourceAddress, action: Action);
    /// An operation ended (or was skipped).
    fn finished(&self, address: &ResourceAddress, action: Action, outcome: &Outcome);
}
