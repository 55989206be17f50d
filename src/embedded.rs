//! The embedded emulator behind `--emulator`: a PingOne emulator on a loopback
//! port for the length of one command, its tenant kept in `.pingform/` beside
//! the state so repeated commands (and `pingform emulator serve`) see the same data.

use std::path::{Path, PathBuf};

use pingone_emulator::{Emulator, RunningEmulator};
use secrecy::SecretString;

use crate::report::CliError;

/// The data file's path for a working directory.
pub(crate) fn data_file(dir: &Path) -> PathBuf {
    dir.join(".pingform").join("emulator.json")
}

/// Starts the emulator on a free loopback port.
pub(crate) async fn start(dir: &Path) -> Result<RunningEmulator, CliError> {
    let data = data_file(dir);
    if let Some(parent) = data.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            CliError::from_error(format!("could not create `{}`", parent.display()), &e)
        })?;
    }
    let emulator = Emulator::open(Some(&data))
        .map_err(|e| CliError::from_error("could not open the embedded emulator's data", &e))?;
    pingone_emulator::spawn(emulator, "127.0.0.1:0")
        .await
        .map_err(|e| CliError::from_error("could not start the embedded emulator", &e))
}

/// Connection settings that point the PingOne provider at the emulator.
pub(crate) fn settings(running: &RunningEmulator) -> pingone::Settings {
    let c = running.credentials();
    pingone::Settings {
        client_id: Some(c.client_id),
        client_secret: Some(SecretString::from(c.client_secret)),
        environment_id: Some(c.environment_id),
        region_code: Some(c.region_code),
        api_url: Some(c.api_url),
        auth_url: Some(c.auth_url),
        ..Default::default()
    }
}
