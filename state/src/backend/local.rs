//! The local backend: a JSON snapshot replaced atomically, an append-only
//! journal of operations beside it, the previous snapshot kept as a backup,
//! and an OS file lock held for the whole command.
//!
//! Files, for a state at `pingform.tfstate`:
//! - `pingform.tfstate`: the snapshot (0600);
//! - `pingform.tfstate.journal`: operations since the snapshot, one line each;
//! - `pingform.tfstate.backup`: the snapshot before the last one;
//! - `pingform.tfstate.lock.info`: the lock, and who holds it.
//!
//! With a passphrase set (see `encryption`), the snapshot and each journal
//! line are encrypted; the backup is the previous snapshot as it was written.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::Backend;
use crate::error::backup_path;
use crate::journal::{self, Journal, Record};
use crate::lock::{LockInfo, StateLock};
use crate::{Encryption, Error, FORMAT_VERSION, Operation, State};

/// State in a JSON file such as `pingform.tfstate`.
#[derive(Debug)]
pub struct LocalBackend {
    path: PathBuf,
    lock: Mutex<Option<StateLock>>,
    journal: Mutex<Option<Journal>>,
    encryption: Arc<Encryption>,
}

impl LocalBackend {
    /// A backend for the file at `path` (it need not exist yet).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            lock: Mutex::new(None),
            journal: Mutex::new(None),
            encryption: Arc::default(),
        }
    }

    /// The same backend, reading and writing state encrypted as `encryption` says.
    pub fn with_encryption(mut self, encryption: Arc<Encryption>) -> Self {
        self.encryption = encryption;
        self
    }

    /// The state file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The journal beside the state file.
    pub fn journal_path(&self) -> PathBuf {
        sibling(&self.path, ".journal")
    }

    /// The backup of the previous snapshot.
    pub fn backup_path(&self) -> PathBuf {
        backup_path(&self.path)
    }

    /// The lock file beside the state file.
    pub fn lock_path(&self) -> PathBuf {
        sibling(&self.path, ".lock.info")
    }

    fn write_err(&self, source: std::io::Error) -> Error {
        Error::Write {
            path: self.path.clone(),
            source,
        }
    }

    /// Fails if this backend was locked and someone force-unlocked it since.
    fn check_lock(&self) -> Result<(), Error> {
        match &*guard(&self.lock) {
            Some(lock) if !lock.still_held() => Err(Error::LockLost {
                path: self.lock_path(),
            }),
            _ => Ok(()),
        }
    }

    fn read_snapshot(&self) -> Result<Option<State>, Error> {
        let stored = match fs::read(&self.path) {
            Ok(stored) => stored,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(Error::Read {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        decode(&self.path, &stored, &self.encryption).map(Some)
    }

    fn open_journal(&self) -> Result<Journal, Error> {
        Journal::open(&self.journal_path(), self.encryption.clone())
    }

    /// Keeps the current snapshot as the backup. A hard link costs nothing:
    /// snapshots are only ever replaced by rename, never changed in place.
    fn keep_backup(&self) -> Result<(), Error> {
        if !self.path.exists() {
            return Ok(());
        }
        if self.encryption.encrypts()
            && !self
                .snapshot_is_encrypted()
                .map_err(|e| self.write_err(e))?
        {
            // Turning encryption on: the plain copy must not linger as the backup.
            let current = fs::read(&self.path).map_err(|e| self.write_err(e))?;
            let sealed = self.encryption.encrypt(current)?;
            return write_atomically(&self.backup_path(), &sealed).map_err(|e| self.write_err(e));
        }
        self.link_backup().map_err(|e| self.write_err(e))
    }

    /// Whether the snapshot on disk is encrypted (its first bytes tell).
    fn snapshot_is_encrypted(&self) -> std::io::Result<bool> {
        use std::io::Read;
        let mut head = Vec::with_capacity(64);
        File::open(&self.path)?.take(64).read_to_end(&mut head)?;
        Ok(crate::encryption::is_encrypted(&head))
    }

    fn link_backup(&self) -> std::io::Result<()> {
        let backup = self.backup_path();
        let tmp = sibling(&self.path, &format!(".backup.{}.tmp", std::process::id()));
        let _ = fs::remove_file(&tmp);
        fs::hard_link(&self.path, &tmp)
            .or_else(|_| fs::copy(&self.path, &tmp).map(drop))
            .and_then(|()| fs::rename(&tmp, &backup))
            .inspect_err(|_| {
                let _ = fs::remove_file(&tmp);
            })
    }
}

impl LocalBackend {
    /// The state with the journal replayed, and how many records that took.
    fn load_counting(&self) -> Result<(Option<State>, usize), Error> {
        let snapshot = self.read_snapshot()?;
        let records = journal::read(&self.journal_path(), &self.encryption)?;
        let Some(first) = records.first() else {
            return Ok((snapshot, 0));
        };
        // A journal without a snapshot belongs to a first run that never compacted.
        let mut state = snapshot.unwrap_or_else(|| State {
            lineage: first.lineage.clone(),
            ..State::new()
        });
        let replayed = journal::replay(&mut state, &records);
        Ok((Some(state), replayed))
    }
}

fn guard<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `<path><suffix>`, such as `pingform.tfstate.journal`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

impl Backend for LocalBackend {
    fn lock(&self, operation: &str, timeout: Duration) -> Result<Option<LockInfo>, Error> {
        let info = LockInfo::new(operation, &self.path.display().to_string());
        let acquired = StateLock::acquire(&self.lock_path(), info, timeout)?;
        *guard(&self.lock) = Some(acquired.lock);
        Ok(acquired.abandoned_by)
    }

    fn load(&self) -> Result<Option<State>, Error> {
        self.load_counting().map(|(state, _)| state)
    }

    fn recover(&self) -> Result<Option<State>, Error> {
        let (state, replayed) = self.load_counting()?;
        match &state {
            Some(state) if replayed > 0 => self.store(state)?,
            // A run killed after its final snapshot but before removing the journal
            // leaves records the snapshot already holds: drop them now (under the lock).
            _ if self.check_lock().is_ok() && self.journal_path().exists() => {
                fs::remove_file(self.journal_path()).map_err(|e| self.write_err(e))?;
            }
            _ => {}
        }
        Ok(state)
    }

    fn check_writable(&self) -> Result<(), Error> {
        self.check_lock()?;
        let mut journal = guard(&self.journal);
        if journal.is_none() {
            *journal = Some(self.open_journal()?);
        }
        Ok(())
    }

    fn store(&self, state: &State) -> Result<(), Error> {
        self.check_lock()?;
        let bytes = serde_json::to_vec_pretty(state).map_err(|e| self.write_err(e.into()))?;
        let mut bytes = self.encryption.encrypt(bytes)?;
        bytes.push(b'\n');
        self.keep_backup()?;
        write_atomically(&self.path, &bytes).map_err(|e| self.write_err(e))?;
        // The snapshot now holds every recorded operation; replays would skip them anyway.
        let mut journal = guard(&self.journal);
        *journal = None;
        match fs::remove_file(self.journal_path()) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(self.write_err(e)),
            _ => Ok(()),
        }
    }

    fn record(&self, after: &State, operation: &Operation) -> Result<(), Error> {
        self.record_all(after, std::slice::from_ref(operation))
    }

    fn record_all(&self, after: &State, operations: &[Operation]) -> Result<(), Error> {
        self.check_lock()?;
        let mut journal = guard(&self.journal);
        if journal.is_none() {
            *journal = Some(self.open_journal()?);
        }
        let first = after.serial + 1 - operations.len() as u64;
        let records: Vec<Record> = operations
            .iter()
            .zip(first..)
            .map(|(operation, serial)| Record {
                lineage: after.lineage.clone(),
                serial,
                operation: operation.clone(),
            })
            .collect();
        journal.as_mut().expect("opened above").append_all(&records)
    }

    fn describe(&self) -> String {
        format!("local file `{}`", self.path.display())
    }
}

/// The state stored as `stored` at `path`: decrypted when it is encrypted, then parsed.
pub fn decode(path: &Path, stored: &[u8], encryption: &Encryption) -> Result<State, Error> {
    let plain = encryption.decrypt(path, stored)?;
    match std::str::from_utf8(&plain) {
        Ok(text) => parse(path, text),
        Err(e) => Err(Error::Foreign {
            path: path.to_path_buf(),
            problem: format!("it is not UTF-8 text ({e})"),
        }),
    }
}

/// Checks the shape before the full parse, so that an empty, truncated,
/// foreign or newer file gets a message saying which, not a field-level error.
pub fn parse(path: &Path, text: &str) -> Result<State, Error> {
    let at = |problem: String| (path.to_path_buf(), problem);
    if text.trim().is_empty() {
        let (path, problem) = at("empty".into());
        return Err(Error::Truncated { path, problem });
    }
    let raw: serde_json::Value = serde_json::from_str(text).map_err(|source| {
        if source.is_eof() {
            let (path, problem) = at(format!(
                "truncated: the document stops at line {} column {}",
                source.line(),
                source.column()
            ));
            Error::Truncated { path, problem }
        } else {
            Error::Parse {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    let found = match raw.get("format_version").map(serde_json::Value::as_u64) {
        Some(Some(found)) => found,
        _ => {
            let (path, problem) = at(foreign_problem(&raw));
            return Err(Error::Foreign { path, problem });
        }
    };
    if found > u64::from(FORMAT_VERSION) {
        return Err(Error::UnsupportedVersion {
            path: path.to_path_buf(),
            found: u32::try_from(found).unwrap_or(u32::MAX),
            supported: FORMAT_VERSION,
        });
    }
    if found == 0 {
        let (path, problem) = at("format version 0 was never written by pingform".into());
        return Err(Error::Foreign { path, problem });
    }
    let mut raw = raw;
    crate::upgrade::upgrade(&mut raw, found);
    let mut state: State = serde_json::from_value(raw).map_err(|source| Error::Parse {
        path: path.to_path_buf(),
        source,
    })?;
    // Writes keep resources sorted; a hand-edited file may not be.
    state
        .resources
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Ok(state)
}

fn foreign_problem(raw: &serde_json::Value) -> String {
    if raw.get("terraform_version").is_some() {
        let version = raw
            .get("version")
            .map(ToString::to_string)
            .unwrap_or_default();
        return format!("it is a Terraform state file (version {version})");
    }
    match raw {
        serde_json::Value::Object(o) if o.contains_key("pingform_encrypted") => {
            "it is an encrypted pingform state whose envelope is out of order".to_string()
        }
        serde_json::Value::Object(_) => "it has no `format_version`".to_string(),
        _ => "it is JSON, but not an object".to_string(),
    }
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, renames it over
/// `path` and syncs the directory, so a crash never leaves a torn file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".to_string());
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = open_private(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)?;
        File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Opens a new file readable only by its owner: state can name users and apps.
fn open_private(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
#[path = "local_encryption_tests.rs"]
mod encryption_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_loads_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let backend = LocalBackend::new(dir.path().join("s.json"));
        assert!(backend.load().unwrap().is_none());
    }

    #[test]
    fn store_then_load_round_trips_with_private_mode() {
        let dir = tempfile::tempdir().unwrap();
        let backend = LocalBackend::new(dir.path().join("s.json"));
        let mut state = State::new();
        state.serial = 7;
        backend.store(&state).unwrap();
        assert_eq!(backend.load().unwrap(), Some(state));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(backend.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn newer_format_is_refused_with_upgrade_hint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        fs::write(
            &path,
            r#"{"format_version": 99, "lineage": "x", "serial": 1}"#,
        )
        .unwrap();
        let err = LocalBackend::new(&path).load().unwrap_err();
        assert!(matches!(err, Error::UnsupportedVersion { found: 99, .. }));
        assert!(err.to_string().contains("upgrade pingform"));
    }

    #[test]
    fn garbage_is_a_parse_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        fs::write(&path, "{not json").unwrap();
        let err = LocalBackend::new(&path).load().unwrap_err();
        assert!(err.to_string().contains("s.json"));
    }

    fn object(name: &str) -> crate::ResourceState {
        crate::ResourceState {
            module: Vec::new(),
            type_name: "t".into(),
            name: name.into(),
            index_key: None,
            provider: "p".into(),
            attributes: serde_json::json!({"id": name}),
            dependencies: vec![],
        }
    }

    #[test]
    fn the_previous_snapshot_is_kept_as_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let backend = LocalBackend::new(dir.path().join("s.json"));
        let mut state = State::new();
        state.serial = 1;
        backend.store(&state).unwrap();
        assert!(
            !backend.backup_path().exists(),
            "nothing to back up the first time"
        );
        state.serial = 2;
        backend.store(&state).unwrap();
        let backup: State =
            serde_json::from_str(&fs::read_to_string(backend.backup_path()).unwrap()).unwrap();
        assert_eq!(backup.serial, 1);
    }

    #[test]
    fn recorded_operations_survive_a_crash_and_are_compacted_on_recovery() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let mut state = State::new();
        {
            let backend = LocalBackend::new(&path);
            backend.lock("apply", Duration::ZERO).unwrap();
            for name in ["a", "b", "c"] {
                let op = Operation::Upsert {
                    resource: object(name),
                };
                op.apply_to(&mut state);
                state.serial += 1;
                backend.record(&state, &op).unwrap();
            }
            assert!(!path.exists(), "recording does not rewrite the snapshot");
            // Dropped here without compaction, as a killed process would leave it.
        }
        let backend = LocalBackend::new(&path);
        let abandoned = backend.lock("apply", Duration::ZERO).unwrap();
        assert!(abandoned.is_none(), "the drop released the lock cleanly");
        let recovered = backend.recover().unwrap().unwrap();
        assert_eq!(recovered, state);
        assert!(
            !backend.journal_path().exists(),
            "recovery compacts the journal"
        );
        assert_eq!(backend.load().unwrap().unwrap(), state);
    }

    #[test]
    fn a_store_after_force_unlock_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let backend = LocalBackend::new(dir.path().join("s.json"));
        backend.lock("apply", Duration::ZERO).unwrap();
        let id = crate::lock::read_info(&backend.lock_path())
            .unwrap()
            .unwrap()
            .id;
        crate::lock::force_unlock(&backend.lock_path(), &id).unwrap();
        let err = backend.store(&State::new()).unwrap_err();
        assert!(matches!(err, Error::LockLost { .. }), "{err}");
        assert!(!backend.path().exists());
    }

    #[test]
    fn empty_truncated_and_foreign_files_are_named_and_explained() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let mut good = serde_json::to_string_pretty(&State::new()).unwrap();
        let cases = [
            ("", "is empty"),
            (&good[..good.len() / 2], "truncated"),
            (
                r#"{"version": 4, "terraform_version": "1.9.0", "serial": 3}"#,
                "Terraform state file",
            ),
            ("[1, 2]", "not an object"),
            (
                r#"{"format_version": 1, "serial": "x"}"#,
                "not valid pingform state",
            ),
        ];
        for (text, expected) in cases {
            fs::write(&path, text).unwrap();
            let err = LocalBackend::new(&path).load().unwrap_err();
            let message = err.to_string();
            assert!(
                message.contains("s.json") && message.contains(expected),
                "{message}"
            );
            assert!(err.hint().unwrap().contains("s.json.backup"), "{message}");
        }
        good.push('\n');
        fs::write(&path, &good).unwrap();
        assert!(LocalBackend::new(&path).load().is_ok());
    }
}
