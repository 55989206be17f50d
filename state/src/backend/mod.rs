//! Where state is stored. Backends move whole documents; the model is in `model`.

pub mod local;

use crate::{Error, State};

/// A place that holds one state document.
pub trait Backend: Send + Sync {
    /// The stored state, or `None` when nothing has been stored yet.
    fn load(&self) -> Result<Option<State>, Error>;

    /// Replaces the stored state with `state`, atomically: a crash leaves either
    /// the old or the new document, never a mix.
    fn store(&self, state: &State) -> Result<(), Error>;

    /// Where the state lives, for messages.
    fn describe(&self) -> String;
}
