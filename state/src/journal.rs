//! The operation journal: one line per object operation, appended and synced,
//! so that persisting after each operation costs the same whatever the size of
//! the state. The journal is folded into the snapshot (compaction) at the end
//! of a run and, after a crash, at the start of the next one.
//!
//! Each line is a [`Record`] in JSON. A last line without its newline is the
//! torn write of a process that died mid-append; it was never acknowledged, so
//! it is dropped. Any other unreadable line means the file was damaged, which
//! is reported rather than guessed around. With encryption on, each line is
//! an envelope of its own (see `encryption`); a journal may mix plain and
//! encrypted lines after encryption is turned on.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::{IndexKey, ModuleStep, PendingCreate, ResourceState, State};
use crate::{Encryption, Error};

/// One change to the state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    /// An object was created, updated, refreshed or adopted.
    Upsert {
        /// The object as it now is.
        resource: ResourceState,
    },
    /// An object was deleted (or found gone).
    Remove {
        /// The module instance (empty for the root module).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        module: Vec<ModuleStep>,
        /// The resource type.
        #[serde(rename = "type")]
        type_name: String,
        /// The resource name.
        name: String,
        /// The instance key, for a resource with `count` or `for_each`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index_key: Option<IndexKey>,
    },
    /// A create is about to be sent.
    BeginCreate {
        /// What is being created, with its natural key.
        intent: PendingCreate,
    },
    /// A recorded create intent is settled without an object (it was not found).
    EndCreate {
        /// The module instance (empty for the root module).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        module: Vec<ModuleStep>,
        /// The resource type.
        #[serde(rename = "type")]
        type_name: String,
        /// The resource name.
        name: String,
        /// The instance key, for a resource with `count` or `for_each`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index_key: Option<IndexKey>,
    },
    /// The whole state was replaced (such as after a refresh).
    Replace {
        /// The new state.
        state: Box<State>,
    },
}

impl Operation {
    /// Whether the record must reach the disk before the run goes on, rather
    /// than merely the operating system (which keeps it if the process is
    /// killed, but not if the machine loses power).
    ///
    /// Only the intent before a create must: it is what lets the next run find
    /// an object whose creation was not recorded. Every other record can be
    /// rebuilt if lost with the machine: a lost create result is adopted
    /// through its intent, and a lost update or delete is seen by the next
    /// refresh. Syncing one record also syncs every record written before it.
    pub fn must_be_durable(&self) -> bool {
        matches!(self, Operation::BeginCreate { .. })
    }

    /// Applies this operation to `state` (the serial is the caller's business).
    pub fn apply_to(&self, state: &mut State) {
        match self {
            Operation::Upsert { resource } => state.upsert(resource.clone()),
            Operation::Remove {
                module,
                type_name,
                name,
                index_key,
            } => {
                state.remove(module, type_name, name, index_key.as_ref());
            }
            Operation::BeginCreate { intent } => state.begin_create(intent.clone()),
            Operation::EndCreate {
                module,
                type_name,
                name,
                index_key,
            } => state.end_create(module, type_name, name, index_key.as_ref()),
            Operation::Replace { state: new } => {
                let (lineage, serial) = (state.lineage.clone(), state.serial);
                *state = (**new).clone();
                state.lineage = lineage;
                state.serial = serial;
            }
        }
    }
}

/// One journal line: an operation and the serial the state had after it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The lineage of the state this record belongs to.
    pub lineage: String,
    /// The state's serial after this operation.
    pub serial: u64,
    /// What changed.
    #[serde(flatten)]
    pub operation: Operation,
}

/// An open journal file, appended to under the state lock.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    encryption: Arc<Encryption>,
}

impl Journal {
    /// Opens (creating, readable only by the owner) the journal at `path` for
    /// appending records encrypted as `encryption` says.
    pub fn open(path: &Path, encryption: Arc<Encryption>) -> Result<Self, Error> {
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(path).map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Self {
            path: path.to_path_buf(),
            file,
            encryption,
        })
    }

    /// Appends `record` as one line, and waits until it is on disk when the
    /// record [must be durable](Operation::must_be_durable).
    pub fn append(&mut self, record: &Record) -> Result<(), Error> {
        self.append_all(std::slice::from_ref(record))
    }

    /// Appends `records`, one line each, with one sync when any must be durable.
    pub fn append_all(&mut self, records: &[Record]) -> Result<(), Error> {
        let mut lines = Vec::new();
        for record in records {
            let line = serde_json::to_vec(record).map_err(|e| self.write_err(e.into()))?;
            lines.extend(self.encryption.encrypt(line)?);
            lines.push(b'\n');
        }
        // One write call: a crash leaves at most a torn last line.
        self.file.write_all(&lines).map_err(|e| self.write_err(e))?;
        if records.iter().any(|r| r.operation.must_be_durable()) {
            self.file.sync_data().map_err(|e| self.write_err(e))?;
        }
        Ok(())
    }

    fn write_err(&self, source: std::io::Error) -> Error {
        Error::Write {
            path: self.path.clone(),
            source,
        }
    }
}

/// The records in the journal at `path` (none when it does not exist),
/// decrypted with `encryption` where encrypted.
pub fn read(path: &Path, encryption: &Encryption) -> Result<Vec<Record>, Error> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(Error::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let mut reader = BufReader::new(file);
    let mut records = Vec::new();
    let mut line = Vec::new();
    for number in 1.. {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|source| Error::Read {
                path: path.to_path_buf(),
                source,
            })?;
        if n == 0 || line.last() != Some(&b'\n') {
            break; // The end, or a torn last write that was never acknowledged.
        }
        let line = encryption.decrypt(path, &line)?;
        let record = serde_json::from_slice(&line).map_err(|source| Error::Journal {
            path: path.to_path_buf(),
            line: number,
            source,
        })?;
        records.push(record);
    }
    Ok(records)
}

/// Applies to `state` the records that belong to it and are newer than it.
/// Returns how many were applied.
pub fn replay(state: &mut State, records: &[Record]) -> usize {
    let mut applied = 0;
    for record in records {
        if record.lineage != state.lineage || record.serial <= state.serial {
            continue; // Already in the snapshot, or left by another state's history.
        }
        record.operation.apply_to(state);
        state.serial = record.serial;
        applied += 1;
    }
    applied
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thing(name: &str) -> ResourceState {
        ResourceState {
            module: Vec::new(),
            type_name: "t".into(),
            name: name.into(),
            index_key: None,
            provider: "p".into(),
            attributes: serde_json::json!({"id": name}),
            dependencies: vec![],
        }
    }

    fn record(state: &State, serial: u64, operation: Operation) -> Record {
        Record {
            lineage: state.lineage.clone(),
            serial,
            operation,
        }
    }

    #[test]
    fn appended_records_replay_onto_the_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        let mut state = State::new();
        let mut journal = Journal::open(&path, Arc::default()).unwrap();
        journal
            .append(&record(
                &state,
                1,
                Operation::Upsert {
                    resource: thing("a"),
                },
            ))
            .unwrap();
        journal
            .append(&record(
                &state,
                2,
                Operation::Upsert {
                    resource: thing("b"),
                },
            ))
            .unwrap();
        let remove = Operation::Remove {
            module: Vec::new(),
            type_name: "t".into(),
            name: "a".into(),
            index_key: None,
        };
        journal.append(&record(&state, 3, remove)).unwrap();
        let records = read(&path, &Encryption::none()).unwrap();
        assert_eq!(replay(&mut state, &records), 3);
        assert_eq!(state.serial, 3);
        let names: Vec<_> = state.resources.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["b"]);
    }

    #[test]
    fn a_torn_last_line_is_dropped_and_older_or_foreign_records_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        let mut state = State::new();
        state.serial = 5;
        let other = State::new();
        let mut text = String::new();
        for r in [
            record(
                &state,
                5,
                Operation::Upsert {
                    resource: thing("old"),
                },
            ),
            record(
                &other,
                6,
                Operation::Upsert {
                    resource: thing("foreign"),
                },
            ),
            record(
                &state,
                6,
                Operation::Upsert {
                    resource: thing("new"),
                },
            ),
        ] {
            text.push_str(&serde_json::to_string(&r).unwrap());
            text.push('\n');
        }
        text.push_str(r#"{"lineage":"x","ser"#);
        std::fs::write(&path, text).unwrap();
        let records = read(&path, &Encryption::none()).unwrap();
        assert_eq!(records.len(), 3);
        assert_eq!(replay(&mut state, &records), 1);
        assert_eq!(state.resources[0].name, "new");
    }

    #[test]
    fn a_damaged_line_in_the_middle_is_an_error_naming_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        std::fs::write(&path, "garbage\n{}\n").unwrap();
        let err = read(&path, &Encryption::none()).unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }

    #[test]
    fn intents_are_recorded_and_settled_by_the_upsert() {
        let mut state = State::new();
        let intent = PendingCreate {
            module: Vec::new(),
            type_name: "t".into(),
            name: "a".into(),
            index_key: None,
            provider: "p".into(),
            planned: serde_json::json!({"name": "a"}),
            dependencies: vec![],
        };
        Operation::BeginCreate { intent }.apply_to(&mut state);
        assert_eq!(state.pending_creates.len(), 1);
        Operation::Upsert {
            resource: thing("a"),
        }
        .apply_to(&mut state);
        assert!(state.pending_creates.is_empty());
    }
}
