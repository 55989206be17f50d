//! `pingform force-unlock ID`: release a state lock by its ID.

use std::path::Path;

use state::lock::{ForceUnlocked, force_unlock};

use crate::Status;
use crate::cli::ForceUnlockArgs;
use crate::report::CliError;
use crate::session::state_error;

pub(crate) fn run(dir: &Path, args: ForceUnlockArgs) -> Result<Status, CliError> {
    let config = engine::config::load_dir(dir).map_err(|e| {
        CliError::from_error("could not load the configuration to find its backend", &e)
    })?;
    if config.backend.as_ref().is_some_and(|b| b.kind == "pg") {
        return Err(CliError::msg("force-unlock does not apply to the PostgreSQL backend").with_hint(
            "its lock is a PostgreSQL session lock: the server releases it when the holding run's connection \
             ends; to end a stuck run's session, use pg_terminate_backend on the server",
        ));
    }
    let workspace = crate::backend::current_workspace(dir);
    let backend = state::LocalBackend::new(crate::backend::local_state_path(dir, &workspace));
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
