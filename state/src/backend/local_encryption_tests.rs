//! The local backend with encryption: snapshot, backup and journal encrypted,
//! migration from a plain state, key rotation, and tampering refused.

use std::sync::Arc;

use secrecy::SecretString;

use super::*;
use crate::ResourceState;

fn keys(current: Option<&str>, previous: Option<&str>) -> Arc<Encryption> {
    Arc::new(Encryption::new(
        current.map(SecretString::from),
        previous.map(SecretString::from),
    ))
}

fn backend(path: &Path, current: Option<&str>, previous: Option<&str>) -> LocalBackend {
    LocalBackend::new(path).with_encryption(keys(current, previous))
}

fn object(name: &str) -> ResourceState {
    ResourceState {
        module: Vec::new(),
        type_name: "pingone_user".into(),
        name: name.into(),
        index_key: None,
        provider: "pingone".into(),
        attributes: serde_json::json!({"id": name, "email": format!("{name}@example.com")}),
        dependencies: vec![],
    }
}

fn state_with(names: &[&str]) -> State {
    let mut state = State::new();
    for name in names {
        state.upsert(object(name));
    }
    state.serial = names.len() as u64;
    state
}

fn text(path: &Path) -> String {
    fs::read_to_string(path).unwrap()
}

#[test]
fn snapshot_backup_and_journal_are_encrypted_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    let mut state = state_with(&["alice"]);
    {
        let b = backend(&path, Some("A"), None);
        b.lock("apply", Duration::ZERO).unwrap();
        b.store(&state).unwrap();
        state.serial += 1;
        b.store(&state).unwrap();
        let op = Operation::Upsert {
            resource: object("bob"),
        };
        op.apply_to(&mut state);
        state.serial += 1;
        b.record(&state, &op).unwrap();
        // Dropped without compaction: the journal holds bob.
    }
    for file in [path.clone(), backend(&path, None, None).backup_path()] {
        let stored = text(&file);
        assert!(stored.starts_with(r#"{"pingform_encrypted":1"#), "{stored}");
        assert!(!stored.contains("alice"), "{}", file.display());
    }
    let journal = text(&backend(&path, None, None).journal_path());
    assert!(journal.starts_with(r#"{"pingform_encrypted":1"#) && !journal.contains("bob"));

    assert_eq!(backend(&path, Some("A"), None).load().unwrap(), Some(state));
    let err = LocalBackend::new(&path).load().unwrap_err();
    assert!(matches!(err, Error::PassphraseMissing { .. }), "{err}");
    assert!(err.to_string().contains("s.json"), "{err}");
    let err = backend(&path, Some("B"), None).load().unwrap_err();
    assert!(matches!(err, Error::WrongPassphrase { .. }), "{err}");
}

#[test]
fn a_plain_state_is_read_and_written_encrypted_backup_included() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    let mut state = state_with(&["alice"]);
    LocalBackend::new(&path).store(&state).unwrap();
    assert!(text(&path).contains("alice"));

    let b = backend(&path, Some("A"), None);
    assert_eq!(b.load().unwrap().as_ref(), Some(&state));
    state.serial += 1;
    b.store(&state).unwrap();
    assert!(!text(&path).contains("alice"));
    let backup = text(&b.backup_path());
    assert!(
        !backup.contains("alice"),
        "the plain snapshot does not linger as the backup: {backup}"
    );
    let old: State = serde_json::from_slice(
        &Encryption::new(Some(SecretString::from("A")), None)
            .decrypt(&b.backup_path(), backup.as_bytes())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(old.serial, state.serial - 1);
}

#[test]
fn rotation_reads_with_the_previous_passphrase_and_rewrites_with_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    let mut state = state_with(&["alice"]);
    backend(&path, Some("A"), None).store(&state).unwrap();

    let rotating = backend(&path, Some("B"), Some("A"));
    assert_eq!(rotating.load().unwrap().as_ref(), Some(&state));
    state.serial += 1;
    rotating.store(&state).unwrap();

    assert_eq!(
        backend(&path, Some("B"), None).load().unwrap().as_ref(),
        Some(&state)
    );
    let err = backend(&path, Some("A"), None).load().unwrap_err();
    assert!(matches!(err, Error::WrongPassphrase { .. }), "{err}");
}

#[test]
fn a_tampered_snapshot_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    backend(&path, Some("A"), None)
        .store(&state_with(&["alice"]))
        .unwrap();
    let mut envelope: serde_json::Value = serde_json::from_str(&text(&path)).unwrap();
    let ciphertext = envelope["ciphertext"].as_str().unwrap().to_string();
    // Another valid base64 text of the same length: one character changed.
    let changed = if ciphertext.starts_with('A') {
        "B"
    } else {
        "A"
    };
    envelope["ciphertext"] = format!("{changed}{}", &ciphertext[1..]).into();
    let tampered = serde_json::to_string(&envelope).unwrap();
    fs::write(&path, &tampered).unwrap();

    let b = backend(&path, Some("A"), None);
    b.lock("apply", Duration::ZERO).unwrap();
    let err = b.recover().unwrap_err();
    assert!(matches!(err, Error::Tampered { .. }), "{err}");
    assert!(err.hint().unwrap().contains("s.json.backup"));
    assert_eq!(text(&path), tampered);
}

#[test]
fn a_journal_written_before_encryption_was_turned_on_is_still_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    let mut state = State::new();
    for (name, key) in [("plain", None), ("sealed", Some("A"))] {
        let b = backend(&path, key, None);
        b.lock("apply", Duration::ZERO).unwrap();
        let op = Operation::Upsert {
            resource: object(name),
        };
        op.apply_to(&mut state);
        state.serial += 1;
        b.record(&state, &op).unwrap();
    }
    let lines = text(&backend(&path, None, None).journal_path());
    assert!(
        lines.contains("plain") && !lines.contains("sealed"),
        "{lines}"
    );
    let b = backend(&path, Some("A"), None);
    b.lock("apply", Duration::ZERO).unwrap();
    assert_eq!(b.recover().unwrap(), Some(state));
    assert!(!text(&path).contains("plain"));
}
