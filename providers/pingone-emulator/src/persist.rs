//! The data file: loading it at start and rewriting it atomically after every change.
//!
//! A write goes to a temporary file in the same directory (mode 0600: the file holds the
//! client secret and the signing key), is fsynced, renamed over the data file, and the
//! directory is fsynced, so a crash leaves either the old or the new tenant, never half of one.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::model::{FORMAT_VERSION, TenantData};

/// Reads the data file; `Ok(None)` if it does not exist.
pub(crate) fn load(path: &Path) -> Result<Option<TenantData>, Error> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(Error::Io {
                path: path.to_owned(),
                source,
            });
        }
    };
    let data: TenantData = serde_json::from_slice(&bytes).map_err(|source| Error::Corrupt {
        path: path.to_owned(),
        source,
    })?;
    if data.format_version != FORMAT_VERSION {
        return Err(Error::UnsupportedFormat {
            path: path.to_owned(),
            found: data.format_version,
            expected: FORMAT_VERSION,
        });
    }
    Ok(Some(data))
}

/// Writes the data file atomically.
pub(crate) fn save(path: &Path, data: &TenantData) -> Result<(), Error> {
    write_bytes(path, &encode(data)?)
}

/// The data file's content for a tenant.
pub(crate) fn encode(data: &TenantData) -> Result<Vec<u8>, Error> {
    let mut bytes = serde_json::to_vec_pretty(data).map_err(Error::Serialize)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Writes encoded content to the data file atomically.
pub(crate) fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = parent_dir(path);
    fs::create_dir_all(&dir).map_err(|source| Error::Io {
        path: dir.clone(),
        source,
    })?;
    let temp = temp_path(path);
    let result = write_synced(&temp, bytes).and_then(|()| {
        fs::rename(&temp, path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })
    });
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result?;
    sync_dir(&dir)
}

/// The directory holding `path` (`.` for a bare file name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    }
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let unique = uuid::Uuid::new_v4().simple().to_string();
    parent_dir(path).join(format!(".{name}.{unique}.tmp"))
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = private_file_options().open(path).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.sync_all().map_err(io)
}

#[cfg(unix)]
fn private_file_options() -> OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = OpenOptions::new();
    options.write(true).create_new(true).mode(0o600);
    options
}

#[cfg(not(unix))]
fn private_file_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    options
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: dir.to_owned(),
        source,
    };
    File::open(dir).map_err(io)?.sync_all().map_err(io)
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> Result<(), Error> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;

    #[test]
    fn missing_file_loads_as_none() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(matches!(load(&dir.path().join("absent.json")), Ok(None)));
    }

    #[test]
    fn saved_data_loads_back_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nested").join("tenant.json");
        let data = seed::tenant().expect("seed");
        save(&path, &data).expect("save");
        save(&path, &data).expect("save again");
        let loaded = load(&path).expect("load").expect("present");
        assert_eq!(loaded.organization.id, data.organization.id);
        let entries = fs::read_dir(path.parent().expect("parent"))
            .expect("read_dir")
            .count();
        assert_eq!(entries, 1);
    }

    #[cfg(unix)]
    #[test]
    fn data_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("tenant.json");
        save(&path, &seed::tenant().expect("seed")).expect("save");
        let mode = fs::metadata(&path).expect("metadata").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn corrupt_files_name_the_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("tenant.json");
        fs::write(&path, b"{not json").expect("write");
        let error = load(&path).expect_err("error");
        assert!(matches!(error, Error::Corrupt { .. }));
        assert!(error.to_string().contains("tenant.json"));
    }

    #[test]
    fn other_format_versions_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("tenant.json");
        let mut data = seed::tenant().expect("seed");
        data.format_version = 99;
        save(&path, &data).expect("save");
        assert!(matches!(
            load(&path),
            Err(Error::UnsupportedFormat { found: 99, .. })
        ));
    }
}
