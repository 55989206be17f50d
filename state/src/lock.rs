//! The local state lock: an OS file lock (`flock`) on `<state>.lock.info`,
//! held for a whole command, whose content tells who holds it.
//!
//! The kernel releases a `flock` when its holder dies, however it dies, so a
//! lock can never be left held by a dead process. What a dead holder does leave
//! is its description in the file (a clean release empties it); the next holder
//! finds it, reports that the previous run died, and takes over.
//!
//! `force-unlock` of a live holder unlinks the file: the holder keeps a lock on
//! a file nobody else opens any more, and notices ([`StateLock::still_held`])
//! before its next write. Acquirers therefore check, after locking, that the
//! path still names the file they locked.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::Error;

/// Who holds (or held) a lock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LockInfo {
    /// A UUID naming this holding of the lock; `force-unlock` takes it.
    #[serde(rename = "ID")]
    pub id: String,
    /// What the holder is doing, such as `apply`.
    #[serde(rename = "Operation")]
    pub operation: String,
    /// The holder's user and host, as `user@host`.
    #[serde(rename = "Who")]
    pub who: String,
    /// The holder's process ID on that host.
    #[serde(rename = "Pid")]
    pub pid: u32,
    /// The pingform version of the holder.
    #[serde(rename = "Version")]
    pub version: String,
    /// When the lock was taken (RFC 3339, UTC).
    #[serde(rename = "Created")]
    pub created: String,
    /// The state the lock guards.
    #[serde(rename = "Path")]
    pub path: String,
}

impl LockInfo {
    /// A description of a new holding of the lock by this process.
    pub fn new(operation: &str, path: &str) -> Self {
        Self {
            id: uuid::Uuid::new_v4().to_string(),
            operation: operation.to_string(),
            who: format!("{}@{}", user_name(), host_name()),
            pid: std::process::id(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            created: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            path: path.to_string(),
        }
    }

    /// Whether the holder's process still runs, when that can be told from here
    /// (same host, and a `/proc` to look in).
    pub fn process_alive(&self) -> Option<bool> {
        let same_host = self.who.rsplit('@').next() == Some(host_name().as_str());
        let proc = Path::new("/proc");
        (same_host && proc.join("self").exists()).then(|| proc.join(self.pid.to_string()).exists())
    }

    /// One line for messages: ID, operation, who, pid and start time.
    pub fn describe(&self) -> String {
        let alive = match self.process_alive() {
            Some(true) => ", still running",
            Some(false) => ", no longer running",
            None => "",
        };
        format!(
            "ID {}, operation `{}`, by {} (pid {}{alive}), since {}",
            self.id, self.operation, self.who, self.pid, self.created
        )
    }
}

/// A held lock; released (and its description cleared) when dropped.
#[derive(Debug)]
pub struct StateLock {
    file: File,
    path: PathBuf,
    info: LockInfo,
}

/// A lock just acquired, and the description a dead previous holder left, if any.
#[derive(Debug)]
pub struct Acquired {
    /// The lock, held until dropped.
    pub lock: StateLock,
    /// The previous holder, which ended without releasing the lock.
    pub abandoned_by: Option<LockInfo>,
}

/// The holder's description. A run that has just taken the lock writes it a
/// moment later, so a run that finds it empty waits briefly for it: the error
/// should name who holds the state.
fn described_holder(path: &Path) -> Option<LockInfo> {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        if let Some(info) = read_info(path).ok().flatten() {
            return Some(info);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// How often a waiting run tries again.
const RETRY_EVERY: Duration = Duration::from_millis(100);

impl StateLock {
    /// Takes the lock at `path`, waiting up to `timeout` for another holder to let go.
    pub fn acquire(path: &Path, info: LockInfo, timeout: Duration) -> Result<Acquired, Error> {
        let started = Instant::now();
        loop {
            let file = open(path)?;
            match file.try_lock() {
                Ok(()) if same_file(path, &file) => return Self::hold(file, path, info),
                // Force-unlocked between our open and our lock: try the new file.
                Ok(()) => continue,
                Err(fs::TryLockError::WouldBlock) => {}
                Err(fs::TryLockError::Error(source)) => {
                    return Err(Error::LockIo {
                        path: path.to_path_buf(),
                        source,
                    });
                }
            }
            let waited = started.elapsed();
            if waited >= timeout {
                return Err(Error::Locked {
                    location: format!("`{}`", path.display()),
                    holder: described_holder(path).map(Box::new),
                    waited,
                });
            }
            std::thread::sleep(RETRY_EVERY.min(timeout - waited));
        }
    }

    fn hold(mut file: File, path: &Path, info: LockInfo) -> Result<Acquired, Error> {
        let io = |source| Error::LockIo {
            path: path.to_path_buf(),
            source,
        };
        let mut old = String::new();
        file.read_to_string(&mut old).map_err(io)?;
        let abandoned_by = serde_json::from_str(&old).ok();
        let text = serde_json::to_vec_pretty(&info).expect("lock info serializes");
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        file.write_all(&text)
            .and_then(|()| file.sync_data())
            .map_err(io)?;
        let lock = StateLock {
            file,
            path: path.to_path_buf(),
            info,
        };
        Ok(Acquired { lock, abandoned_by })
    }

    /// This holding's description.
    pub fn info(&self) -> &LockInfo {
        &self.info
    }

    /// Whether the path still names the locked file (it does unless someone
    /// ran `force-unlock`).
    pub fn still_held(&self) -> bool {
        same_file(&self.path, &self.file)
    }
}

impl Drop for StateLock {
    fn drop(&mut self) {
        // An empty file tells the next holder that this one let go cleanly.
        if self.still_held() {
            let _ = self.file.set_len(0);
        }
        let _ = self.file.unlock();
    }
}

/// What `force_unlock` did.
#[derive(Debug, PartialEq)]
pub enum ForceUnlocked {
    /// No process held the lock; only a dead holder's description was cleared.
    Stale(LockInfo),
    /// A running process held it; the lock was broken under it.
    Broken(LockInfo),
}

/// Releases the lock at `path` if its holder's ID is `id`.
pub fn force_unlock(path: &Path, id: &str) -> Result<ForceUnlocked, Error> {
    let holder = read_info(path)?.ok_or_else(|| Error::NotLocked {
        path: path.to_path_buf(),
    })?;
    if holder.id != id {
        return Err(Error::LockIdMismatch {
            path: path.to_path_buf(),
            given: id.to_string(),
            holder: Box::new(holder),
        });
    }
    let file = open(path)?;
    let io = |source| Error::LockIo {
        path: path.to_path_buf(),
        source,
    };
    match file.try_lock() {
        Ok(()) => {
            file.set_len(0).map_err(io)?;
            Ok(ForceUnlocked::Stale(holder))
        }
        Err(fs::TryLockError::WouldBlock) => {
            fs::remove_file(path).map_err(io)?;
            Ok(ForceUnlocked::Broken(holder))
        }
        Err(fs::TryLockError::Error(source)) => Err(io(source)),
    }
}

/// The description in the lock file, if any (`None` when absent or released).
pub fn read_info(path: &Path) -> Result<Option<LockInfo>, Error> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(Error::LockIo {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    // A holder may be halfway through writing it; an unreadable description is no description.
    Ok(serde_json::from_str(&text).ok())
}

fn open(path: &Path) -> Result<File, Error> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(|source| Error::LockIo {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(unix)]
fn same_file(path: &Path, file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(path), file.metadata()) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(path: &Path, _file: &File) -> bool {
    path.exists()
}

fn host_name() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown-host".to_string())
}

fn user_name() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown-user".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(op: &str) -> LockInfo {
        LockInfo::new(op, "state")
    }

    #[test]
    fn a_second_holder_is_refused_with_the_first_ones_description() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.lock.info");
        let first = StateLock::acquire(&path, info("apply"), Duration::ZERO).unwrap();
        assert!(first.abandoned_by.is_none());
        let err = StateLock::acquire(&path, info("plan"), Duration::from_millis(250)).unwrap_err();
        let Error::Locked { holder, waited, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(holder.as_deref(), Some(first.lock.info()));
        assert!(*waited >= Duration::from_millis(250));
        let text = err.to_string();
        assert!(
            text.contains(&first.lock.info().id) && text.contains("`apply`"),
            "{text}"
        );
        assert!(text.contains("still running"), "{text}");
        drop(first);
        let second = StateLock::acquire(&path, info("plan"), Duration::ZERO).unwrap();
        assert!(
            second.abandoned_by.is_none(),
            "a clean release leaves no description"
        );
    }

    #[test]
    fn a_waiting_run_gets_the_lock_when_the_holder_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.lock.info");
        let first = StateLock::acquire(&path, info("apply"), Duration::ZERO).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = {
            let path = path.clone();
            std::thread::spawn(move || {
                tx.send(()).unwrap();
                StateLock::acquire(&path, info("plan"), Duration::from_secs(60))
                    .map(|a| a.lock.info().clone())
            })
        };
        rx.recv().unwrap();
        drop(first);
        assert_eq!(waiter.join().unwrap().unwrap().operation, "plan");
    }

    #[test]
    fn a_dead_holders_description_is_reported_and_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.lock.info");
        let mut dead = info("apply");
        dead.pid = u32::MAX; // No such process.
        fs::write(&path, serde_json::to_string(&dead).unwrap()).unwrap();
        let taken = StateLock::acquire(&path, info("plan"), Duration::ZERO).unwrap();
        let previous = taken.abandoned_by.clone().unwrap();
        assert_eq!(previous.id, dead.id);
        assert_eq!(previous.process_alive(), Some(false));
    }

    #[test]
    fn force_unlock_checks_the_id_and_breaks_a_live_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.lock.info");
        assert!(matches!(
            force_unlock(&path, "x"),
            Err(Error::NotLocked { .. })
        ));
        let held = StateLock::acquire(&path, info("apply"), Duration::ZERO).unwrap();
        let id = held.lock.info().id.clone();
        assert!(matches!(
            force_unlock(&path, "wrong"),
            Err(Error::LockIdMismatch { .. })
        ));
        assert!(matches!(
            force_unlock(&path, &id),
            Ok(ForceUnlocked::Broken(_))
        ));
        assert!(!held.lock.still_held());
        let next = StateLock::acquire(&path, info("plan"), Duration::ZERO).unwrap();
        assert!(next.lock.still_held());
        drop(held); // Must not disturb the new holder.
        assert_eq!(read_info(&path).unwrap().unwrap().id, next.lock.info().id);
    }

    #[test]
    fn force_unlock_clears_a_stale_description() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.lock.info");
        let dead = info("apply");
        fs::write(&path, serde_json::to_string(&dead).unwrap()).unwrap();
        assert!(matches!(
            force_unlock(&path, &dead.id),
            Ok(ForceUnlocked::Stale(_))
        ));
        assert_eq!(read_info(&path).unwrap(), None);
    }
}
