//! The local backend: one JSON file, replaced atomically on every write.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::Backend;
use crate::{Error, FORMAT_VERSION, State};

/// State in a JSON file such as `terraform.tfstate`-style `pingform.tfstate`.
#[derive(Clone, Debug)]
pub struct LocalBackend {
    path: PathBuf,
}

impl LocalBackend {
    /// A backend for the file at `path` (it need not exist yet).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The state file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn write_err(&self, source: std::io::Error) -> Error {
        Error::Write {
            path: self.path.clone(),
            source,
        }
    }
}

impl Backend for LocalBackend {
    fn load(&self) -> Result<Option<State>, Error> {
        let text = match fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(Error::Read {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        parse(&self.path, &text).map(Some)
    }

    fn store(&self, state: &State) -> Result<(), Error> {
        let mut bytes = serde_json::to_vec_pretty(state).map_err(|e| self.write_err(e.into()))?;
        bytes.push(b'\n');
        write_atomically(&self.path, &bytes).map_err(|e| self.write_err(e))
    }

    fn describe(&self) -> String {
        format!("local file `{}`", self.path.display())
    }
}

/// Checks the format version before the full parse so that a newer file gets
/// an "upgrade pingform" message instead of a field-level parse error.
fn parse(path: &Path, text: &str) -> Result<State, Error> {
    let parse_err = |source| Error::Parse {
        path: path.to_path_buf(),
        source,
    };
    let raw: serde_json::Value = serde_json::from_str(text).map_err(parse_err)?;
    let found = raw
        .get("format_version")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    if found > u64::from(FORMAT_VERSION) {
        return Err(Error::UnsupportedVersion {
            path: path.to_path_buf(),
            found: u32::try_from(found).unwrap_or(u32::MAX),
            supported: FORMAT_VERSION,
        });
    }
    serde_json::from_value(raw).map_err(parse_err)
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
        fs::write(&path, r#"{"format_version": 99, "lineage": "x", "serial": 1}"#).unwrap();
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
}
