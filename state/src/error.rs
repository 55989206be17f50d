//! Errors of loading and storing state.

use std::path::PathBuf;
use std::time::Duration;

use crate::lock::LockInfo;

/// A failure to load or store state.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The state file exists but could not be read.
    #[error("Failed to read state file at `{path}`")]
    Read {
        /// The state file.
        path: PathBuf,
        /// The I/O failure.
        #[source]
        source: std::io::Error,
    },
    /// The state file is empty or ends early (a truncated copy, a full disk).
    #[error("State file at `{path}` is {problem}; pingform will not overwrite it")]
    Truncated {
        /// The state file.
        path: PathBuf,
        /// "empty", or where the document stops.
        problem: String,
    },
    /// The file is JSON, but not a pingform state (such as a Terraform state).
    #[error(
        "State file at `{path}` is not a pingform state file: {problem}; pingform will not overwrite it"
    )]
    Foreign {
        /// The state file.
        path: PathBuf,
        /// What was found instead.
        problem: String,
    },
    /// The state file is not valid state JSON.
    #[error(
        "State file at `{path}` is not valid pingform state ({source}); pingform will not overwrite it"
    )]
    Parse {
        /// The state file.
        path: PathBuf,
        /// What the JSON parser found.
        #[source]
        source: serde_json::Error,
    },
    /// The state was written by a newer pingform.
    #[error(
        "State file at `{path}` has format version {found}, but this pingform reads only up to {supported}; upgrade pingform"
    )]
    UnsupportedVersion {
        /// The state file.
        path: PathBuf,
        /// The version in the file.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// A journal line other than the last is damaged.
    #[error("State journal at `{path}` is damaged at line {line}: {source}")]
    Journal {
        /// The journal file.
        path: PathBuf,
        /// The damaged line (from 1).
        line: usize,
        /// What the JSON parser found.
        #[source]
        source: serde_json::Error,
    },
    /// Another run holds the state lock.
    #[error("{}", locked_message(location, holder.as_deref(), *waited))]
    Locked {
        /// The lock: a file, or a backend's description.
        location: String,
        /// Who holds it, when the lock file says.
        holder: Option<Box<LockInfo>>,
        /// How long this run waited.
        waited: Duration,
    },
    /// The lock file could not be opened, locked or written.
    #[error("Failed to use the state lock file at `{path}`")]
    LockIo {
        /// The lock file.
        path: PathBuf,
        /// The I/O failure.
        #[source]
        source: std::io::Error,
    },
    /// `force-unlock` found no lock to release.
    #[error("The state lock at `{path}` is not held, so there is nothing to unlock")]
    NotLocked {
        /// The lock file.
        path: PathBuf,
    },
    /// `force-unlock` was given another ID than the holder's.
    #[error("The state lock at `{path}` is held with another ID than `{given}`: {}", holder.describe())]
    LockIdMismatch {
        /// The lock file.
        path: PathBuf,
        /// The ID given.
        given: String,
        /// The actual holder.
        holder: Box<LockInfo>,
    },
    /// This run's lock was broken by `force-unlock` while it ran.
    #[error(
        "The state lock at `{path}` was force-unlocked while this run held it; stopping before writing state"
    )]
    LockLost {
        /// The lock file.
        path: PathBuf,
    },
    /// The stored state is newer than the one being written: someone else wrote it.
    #[error(
        "State in {location} has serial {found}, but this run expected {expected}; another run changed it"
    )]
    Conflict {
        /// Where the state lives.
        location: String,
        /// The serial this run last saw.
        expected: u64,
        /// The serial stored now.
        found: u64,
    },
    /// The PostgreSQL backend failed to connect, query or store.
    #[error("PostgreSQL state backend ({location}): {message}")]
    Postgres {
        /// The schema and workspace.
        location: String,
        /// What failed, with PostgreSQL's own words.
        message: String,
    },
    /// `state push` would lose stored changes.
    #[error("Refusing to push: {0}")]
    PushRefused(String),
    /// A workspace operation that cannot be done.
    #[error("{0}")]
    Workspace(String),
    /// The state is encrypted, and no passphrase is set.
    #[error("State at `{path}` is encrypted; set {var} to the passphrase it was written with", var = crate::encryption::PASSPHRASE_ENV)]
    PassphraseMissing {
        /// The encrypted file (or backend location).
        path: PathBuf,
    },
    /// No passphrase that is set decrypts the state.
    #[error("State at `{path}` is encrypted with another passphrase: wrong passphrase in {tried}")]
    WrongPassphrase {
        /// The encrypted file (or backend location).
        path: PathBuf,
        /// The environment variables whose passphrases were tried.
        tried: String,
    },
    /// The passphrase is right, but the ciphertext fails authentication.
    #[error(
        "State at `{path}` is encrypted and fails authentication: it was changed or damaged after it was written; pingform will not use or overwrite it"
    )]
    Tampered {
        /// The encrypted file (or backend location).
        path: PathBuf,
    },
    /// An encrypted document this build cannot read.
    #[error("State at `{path}` is encrypted, but {problem}")]
    Envelope {
        /// The encrypted file (or backend location).
        path: PathBuf,
        /// What is wrong with its envelope.
        problem: String,
    },
    /// Encrypting state failed (no random numbers, say).
    #[error("Could not encrypt state: {0}")]
    Encrypt(String),
    /// The state could not be written.
    #[error("Failed to write state file at `{path}`")]
    Write {
        /// The state file.
        path: PathBuf,
        /// The I/O failure.
        #[source]
        source: std::io::Error,
    },
}

fn locked_message(location: &str, holder: Option<&LockInfo>, waited: Duration) -> String {
    let who = holder.map_or_else(
        || "a run that has not yet described itself".to_string(),
        LockInfo::describe,
    );
    format!(
        "State is locked by another pingform run (waited {:.1} s for {location}): {who}",
        waited.as_secs_f64(),
    )
}

impl Error {
    /// What the user can do about this error, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Error::Truncated { path, .. } | Error::Foreign { path, .. } | Error::Parse { path, .. } => format!(
                "restore it from `{}` (the previous version) or from version control, or move it \
                 away if this directory should start with no state",
                backup_path(path).display()
            ),
            Error::UnsupportedVersion { .. } => "install a newer pingform".to_string(),
            Error::PassphraseMissing { .. } => format!(
                "export {}=... (the passphrase used when it was written) and run the command again",
                crate::encryption::PASSPHRASE_ENV
            ),
            Error::WrongPassphrase { .. } => format!(
                "set {} to the passphrase the state was written with; while rotating to a new one, \
                 set the old one as {}",
                crate::encryption::PASSPHRASE_ENV,
                crate::encryption::PREVIOUS_PASSPHRASE_ENV
            ),
            Error::Tampered { path } => format!(
                "restore it from `{}` (the previous version) or from version control",
                backup_path(path).display()
            ),
            Error::Journal { path, .. } => format!(
                "the snapshot beside it is intact; move `{}` away to fall back to that snapshot \
                 (changes recorded after it would be forgotten)",
                path.display()
            ),
            Error::Locked { holder, .. } => match holder {
                Some(h) => format!(
                    "wait for it and retry, pass `--lock-timeout 5m` to wait longer, or, if you are \
                     sure it is not running, `pingform force-unlock {}`",
                    h.id
                ),
                None => "wait for it and retry, or pass `--lock-timeout 5m` to wait longer".to_string(),
            },
            Error::LockIdMismatch { holder, .. } => {
                format!("pass the holder's ID: `pingform force-unlock {}`", holder.id)
            }
            Error::LockLost { .. } => {
                "run `pingform plan` to see what this run changed before it stopped".to_string()
            }
            Error::PushRefused(_) => {
                "run `pingform state pull` to see the stored state; pass --force to overwrite it anyway".to_string()
            }
            Error::Conflict { .. } => "run the command again to plan against the new state".to_string(),
            Error::Postgres { .. } => {
                "check conn_str (or PINGFORM_PG_CONN_STR) and that the server is reachable and accepts this user"
                    .to_string()
            }
            Error::Write { .. } | Error::LockIo { .. } => {
                "check that the directory is writable and the disk is not full; the previous state is intact"
                    .to_string()
            }
            _ => return None,
        })
    }
}

/// The backup beside a state file: `<state>.backup`.
pub fn backup_path(path: &std::path::Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".backup");
    path.with_file_name(name)
}
