//! `pingform state pull` and `pingform state push FILE`.

use std::io::Read;
use std::path::Path;

use crate::Status;
use crate::cli::StateCommand;
use crate::report::CliError;
use crate::session::state_error;

pub(crate) fn run(dir: &Path, command: StateCommand) -> Result<Status, CliError> {
    let config = engine::config::load_dir(dir).map_err(|e| {
        CliError::from_error("could not load the configuration to find its backend", &e)
    })?;
    let workspace = crate::backend::current_workspace(dir);
    let backend = crate::backend::open(dir, &config, &workspace)?.into_backend();
    match command {
        StateCommand::Pull(args) => {
            backend
                .lock("state pull", args.lock_timeout)
                .map_err(|e| state_error("could not lock the state", &e))?;
            let state = backend
                .recover()
                .map_err(|e| state_error("could not load state", &e))?
                .unwrap_or_default();
            let text = serde_json::to_string_pretty(&state).expect("state serializes");
            println!("{text}");
        }
        StateCommand::Push(args) => {
            let (origin, text) = read_input(&args.path)?;
            let pushed = state::parse(&origin, &text)
                .map_err(|e| state_error("could not read the state to push", &e))?;
            backend
                .lock("state push", args.lock.lock_timeout)
                .map_err(|e| state_error("could not lock the state", &e))?;
            let current = backend
                .recover()
                .map_err(|e| state_error("could not load state", &e))?;
            state::transfer::check_push(current.as_ref(), &pushed, args.force)
                .map_err(|e| state_error("state push refused", &e))?;
            backend
                .store(&pushed)
                .map_err(|e| state_error("could not store the pushed state", &e))?;
            println!(
                "Pushed state serial {} ({} object(s)) to {}.",
                pushed.serial,
                pushed.resources.len(),
                backend.describe()
            );
        }
    }
    Ok(Status::Success)
}

/// The file's text, or standard input's for `-`.
fn read_input(path: &Path) -> Result<(std::path::PathBuf, String), CliError> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::from_error("could not read standard input", &e))?;
        return Ok(("<standard input>".into(), text));
    }
    std::fs::read_to_string(path)
        .map(|text| (path.to_path_buf(), text))
        .map_err(|e| CliError::from_error(format!("could not read `{}`", path.display()), &e))
}
