//! `pingform force-unlock ID`: release a state lock by its ID.

use std::path::Path;

use state::lock::{ForceUnlocked, force_unlock};

use crate::Status;
use crate::cli::ForceUnlockArgs;
use crate::report::CliError;
use crate::session::{state_error, state_path};

pub(crate) fn run(dir: &Path, args: ForceUnlockArgs) -> Result<Status, CliError> {
    let backend = state::LocalBackend::new(state_path(dir));
    let lock = backend.lock_path();
    match force_unlock(&lock, &args.id)
        .map_err(|e| state_error("could not force-unlock the state", &e))?
    {
        ForceUnlocked::Stale(holder) => println!(
            "The state lock was not held by any running process; cleared the description left by {}.",
            holder.describe()
        ),
        ForceUnlocked::Broken(holder) => println!(
            "Broke the state lock held by {}.\nThat run stops before its next state write; run \
             `pingform plan` afterwards to see what it changed.",
            holder.describe()
        ),
    }
    Ok(Status::Success)
}
