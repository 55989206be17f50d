//! State encrypted at rest with `PINGFORM_STATE_PASSPHRASE`: a plain state is
//! migrated, a missing or wrong passphrase is named as such, a key rotation
//! with `PINGFORM_STATE_PASSPHRASE_PREVIOUS` rewrites with the new one, `state
//! pull` prints plain JSON and `state push` encrypts, tampering is refused;
//! and the same for the PostgreSQL backend.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Run, Served, run, serve, write_populations};
use state::testing::TestServer;

const CURRENT: &str = "PINGFORM_STATE_PASSPHRASE";
const PREVIOUS: &str = "PINGFORM_STATE_PASSPHRASE_PREVIOUS";
const A: &str = "first passphrase A-5d1c";
const B: &str = "second passphrase B-93e0";

/// `pingform <args>` against `served` with the given passphrases set.
fn with_keys(
    served: &Served,
    dir: &Path,
    args: &[&str],
    current: Option<&str>,
    previous: Option<&str>,
) -> Run {
    let mut cmd: Command = served.pingform(dir, args);
    if let Some(key) = current {
        cmd.env(CURRENT, key);
    }
    if let Some(key) = previous {
        cmd.env(PREVIOUS, key);
    }
    let result = run(&mut cmd);
    for secret in [A, B] {
        assert!(
            !result.stdout.contains(secret) && !result.stderr.contains(secret),
            "a passphrase was printed: {result}"
        );
    }
    result
}

/// A failure that says the state is encrypted and which variable to set.
fn assert_needs_passphrase(result: &Run) {
    assert_eq!(result.code, 1, "{result}");
    let expected = "is encrypted; set PINGFORM_STATE_PASSPHRASE";
    assert!(result.stderr.contains(expected), "{result}");
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn assert_encrypted(path: &Path, names: &[&str]) {
    let stored = text(path);
    assert!(
        stored.starts_with(r#"{"pingform_encrypted":1"#),
        "{} is not encrypted: {stored}",
        path.display()
    );
    for name in names {
        assert!(!stored.contains(name), "{name} in {}", path.display());
    }
}

#[test]
fn local_state_is_migrated_rotated_pulled_pushed_and_guarded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    let state_file = path.join("pingform.tfstate");
    let apply = ["apply", "--auto-approve"];

    write_populations(path, 1, "enc");
    let plain = with_keys(&served, path, &apply, None, None);
    assert_eq!(plain.code, 0, "{plain}");
    assert!(text(&state_file).contains("enc-00"), "written in the clear");

    // Migration: the plain state is read, and written encrypted (backup too).
    write_populations(path, 2, "enc");
    let applied = with_keys(&served, path, &apply, Some(A), None);
    assert_eq!(applied.code, 0, "{applied}");
    assert_encrypted(&state_file, &["enc-00", "enc-01"]);
    assert_encrypted(&path.join("pingform.tfstate.backup"), &["enc-00"]);

    assert_needs_passphrase(&with_keys(&served, path, &["plan"], None, None));
    let wrong = with_keys(&served, path, &["plan"], Some(B), None);
    assert_eq!(wrong.code, 1, "{wrong}");
    assert!(wrong.stderr.contains("wrong passphrase"), "{wrong}");
    assert!(
        wrong.stderr.contains(PREVIOUS),
        "the hint names rotation: {wrong}"
    );

    // Rotation: B reads with A as the previous passphrase, and writes with B.
    write_populations(path, 3, "enc");
    let rotated = with_keys(&served, path, &apply, Some(B), Some(A));
    assert_eq!(rotated.code, 0, "{rotated}");
    assert_encrypted(&state_file, &["enc-02"]);
    let settled = with_keys(
        &served,
        path,
        &["plan", "--detailed-exitcode"],
        Some(B),
        None,
    );
    assert_eq!(
        settled.code, 0,
        "read with B alone, nothing to do: {settled}"
    );
    let old_key = with_keys(&served, path, &["plan"], Some(A), None);
    assert!(old_key.stderr.contains("wrong passphrase"), "{old_key}");
    assert_eq!(
        served.population_names(),
        ["Default", "enc-00", "enc-01", "enc-02"]
    );

    // Pull prints plain JSON; push stores it encrypted.
    let pulled = with_keys(&served, path, &["state", "pull"], Some(B), None);
    assert_eq!(pulled.code, 0, "{pulled}");
    let mut state: serde_json::Value = serde_json::from_str(&pulled.stdout).unwrap();
    assert_eq!(state["resources"].as_array().unwrap().len(), 3);
    state["serial"] = (state["serial"].as_u64().unwrap() + 1).into();
    let pushed_file = path.join("pushed.json");
    std::fs::write(&pushed_file, state.to_string()).unwrap();
    let pushed = with_keys(
        &served,
        path,
        &["state", "push", pushed_file.to_str().unwrap()],
        Some(B),
        None,
    );
    assert_eq!(pushed.code, 0, "{pushed}");
    assert_encrypted(&state_file, &["enc-00"]);
    let again = with_keys(&served, path, &["state", "pull"], Some(B), None);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&again.stdout).unwrap(),
        state
    );

    // A changed ciphertext is refused, and the file is left as it is.
    let mut envelope: serde_json::Value = serde_json::from_str(&text(&state_file)).unwrap();
    let ciphertext = envelope["ciphertext"].as_str().unwrap().to_string();
    let first = if ciphertext.starts_with('A') {
        "B"
    } else {
        "A"
    };
    envelope["ciphertext"] = format!("{first}{}", &ciphertext[1..]).into();
    let tampered = envelope.to_string();
    std::fs::write(&state_file, &tampered).unwrap();
    let refused = with_keys(&served, path, &apply, Some(B), None);
    assert_eq!(refused.code, 1, "{refused}");
    assert!(refused.stderr.contains("fails authentication"), "{refused}");
    assert!(
        refused.stderr.contains("pingform.tfstate.backup"),
        "{refused}"
    );
    assert_eq!(text(&state_file), tampered);
}

#[test]
fn postgres_state_is_stored_encrypted() {
    let Some(server) = TestServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    write_populations(path, 1, "pgenc");
    let main = path.join("main.tf");
    let backend = format!(
        "\nterraform {{\n  backend \"pg\" {{\n    conn_str = \"{}\"\n  }}\n}}\n",
        server.conn_str()
    );
    std::fs::write(&main, text(&main) + &backend).unwrap();
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));

    let applied = with_keys(&served, path, &["apply", "--auto-approve"], Some(A), None);
    assert_eq!(applied.code, 0, "{applied}");
    assert_needs_passphrase(&with_keys(&served, path, &["state", "pull"], None, None));
    let rotated = with_keys(&served, path, &["state", "list"], Some(B), Some(A));
    assert_eq!(rotated.stdout, "pingone_population.p00\n", "{rotated}");
    let pulled = with_keys(&served, path, &["state", "pull"], Some(A), None);
    assert_eq!(pulled.code, 0, "{pulled}");
    assert!(pulled.stdout.contains("pgenc-00"), "{pulled}");
}
