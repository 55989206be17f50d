//! The local state file under stress: a second run while the lock is held,
//! a lock left by a dead run, `force-unlock`, damaged state files, and a
//! directory that cannot be written.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{populations_config, run, serve, state_json};
use state::lock::{LockInfo, StateLock};

fn lock_path(dir: &Path) -> std::path::PathBuf {
    dir.join("pingform.tfstate.lock.info")
}

#[test]
fn a_held_lock_stops_a_second_run_naming_the_holder_until_force_unlocked() {
    let dir = populations_config(1, "locked");
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    // This test process plays the other run, holding the lock as pingform would.
    let held = StateLock::acquire(
        &lock_path(dir.path()),
        LockInfo::new("apply", "pingform.tfstate"),
        Duration::ZERO,
    )
    .unwrap();
    let id = held.lock.info().id.clone();

    let refused = run(&mut served.pingform(
        dir.path(),
        &["apply", "--auto-approve", "--lock-timeout", "300ms"],
    ));
    assert_eq!(refused.code, 1, "{refused}");
    for expected in [
        id.as_str(),
        "operation `apply`",
        &format!("pid {}", std::process::id()),
        "still running",
    ] {
        assert!(
            refused.stderr.contains(expected),
            "missing {expected:?}: {refused}"
        );
    }
    assert!(
        refused
            .stderr
            .contains(&format!("pingform force-unlock {id}")),
        "{refused}"
    );
    assert_eq!(
        served.population_names(),
        ["Default"],
        "nothing was changed"
    );

    let wrong = run(common::pingform(dir.path()).args(["force-unlock", "not-the-id"]));
    assert_eq!(wrong.code, 1, "{wrong}");
    assert!(
        wrong.stderr.contains(&id),
        "the mismatch names the real holder: {wrong}"
    );

    let unlocked = run(common::pingform(dir.path()).args(["force-unlock", &id]));
    assert_eq!(unlocked.code, 0, "{unlocked}");
    assert!(
        unlocked.stdout.contains("Broke the state lock"),
        "{unlocked}"
    );
    assert!(!held.lock.still_held());

    let applied = run(&mut served.pingform(dir.path(), &["apply", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    drop(held);
    let plan = run(&mut served.pingform(dir.path(), &["plan", "--detailed-exitcode"]));
    assert_eq!(
        plan.code, 0,
        "the old holder's release did not disturb anything: {plan}"
    );
}

#[test]
fn a_lock_left_by_a_dead_run_is_reported_and_taken_over() {
    let dir = populations_config(1, "stale");
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    let mut dead = LockInfo::new("apply", "pingform.tfstate");
    dead.pid = u32::MAX; // No process has this ID.
    std::fs::write(lock_path(dir.path()), serde_json::to_string(&dead).unwrap()).unwrap();

    let applied = run(&mut served.pingform(dir.path(), &["apply", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    assert!(
        applied.stderr.contains("ended without releasing"),
        "{applied}"
    );
    assert!(
        applied.stderr.contains(&dead.id) && applied.stderr.contains("no longer running"),
        "{applied}"
    );
    let info = std::fs::read_to_string(lock_path(dir.path())).unwrap();
    assert!(
        info.is_empty(),
        "a finished run leaves the lock released: {info:?}"
    );
}

#[test]
fn damaged_state_files_are_named_explained_and_never_overwritten() {
    let dir = populations_config(1, "damaged");
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    let state_file = dir.path().join("pingform.tfstate");
    let cases = [
        ("", "is empty"),
        (
            "{\n  \"format_version\": 1,\n  \"lineage\": \"x\",",
            "truncated",
        ),
        (
            r#"{"version": 4, "terraform_version": "1.9.5", "serial": 1, "resources": []}"#,
            "Terraform state file",
        ),
        (
            r#"{"format_version": 7, "lineage": "x", "serial": 1}"#,
            "format version 7",
        ),
    ];
    for (text, expected) in cases {
        std::fs::write(&state_file, text).unwrap();
        for args in [&["plan"][..], &["apply", "--auto-approve"]] {
            let failed = run(&mut served.pingform(dir.path(), args));
            assert_eq!(failed.code, 1, "{failed}");
            assert!(
                failed.stderr.contains("pingform.tfstate"),
                "names the file: {failed}"
            );
            assert!(
                failed.stderr.contains(expected),
                "says what is wrong ({expected}): {failed}"
            );
            assert!(failed.stderr.contains("hint:"), "says what to do: {failed}");
            assert_eq!(
                std::fs::read_to_string(&state_file).unwrap(),
                text,
                "left as it was"
            );
        }
    }
    assert_eq!(served.population_names(), ["Default"]);
}

#[test]
fn apply_keeps_the_previous_state_as_a_backup() {
    let dir = populations_config(1, "backup");
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    let applied = run(&mut served.pingform(dir.path(), &["apply", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    let first = state_json(dir.path());
    common::write_populations(dir.path(), 2, "backup");
    let applied = run(&mut served.pingform(dir.path(), &["apply", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    let backup: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("pingform.tfstate.backup")).unwrap(),
    )
    .unwrap();
    assert_eq!(backup, first);
    assert_eq!(
        state_json(dir.path())["resources"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert!(
        !dir.path().join("pingform.tfstate.journal").exists(),
        "compacted at the end"
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_directory_fails_before_changing_anything_and_keeps_the_state() {
    use std::os::unix::fs::PermissionsExt;

    let dir = populations_config(1, "readonly");
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    let applied = run(&mut served.pingform(dir.path(), &["apply", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    let state_file = dir.path().join("pingform.tfstate");
    let before = std::fs::read(&state_file).unwrap();
    common::write_populations(dir.path(), 2, "readonly");

    let user = common::unprivileged_user();
    if let Some((uid, gid)) = user {
        // root writes anywhere, so the run is made as an ordinary user who owns the files.
        common::chown_tree(dir.path(), uid, gid);
    }
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let mut cmd = served.pingform(dir.path(), &["apply", "--auto-approve"]);
    let failed = run(common::as_user(&mut cmd, user));
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();

    assert_eq!(failed.code, 1, "{failed}");
    assert!(
        failed.stderr.contains("pingform.tfstate.journal"),
        "names the file: {failed}"
    );
    assert!(
        failed.stderr.contains("writable"),
        "says what to do: {failed}"
    );
    assert_eq!(
        std::fs::read(&state_file).unwrap(),
        before,
        "the old state is intact"
    );
    assert_eq!(
        served.population_names(),
        ["Default", "readonly-00"],
        "nothing was created"
    );
}

/// Runs `cmd` with `dir` on a tmpfs of `size` left almost full (a private mount
/// namespace made with `unshare`, so no privilege is needed beyond user namespaces),
/// then copies what the run left there to `out`. The room left (40 KiB) holds the
/// intents and a few dozen journal records, so the disk fills part way through.
#[cfg(target_os = "linux")]
fn on_a_full_disk(cmd: &std::process::Command, dir: &Path, out: &Path) -> common::Run {
    const SCRIPT: &str = r#"set -e
dir=$1; stage=$2; out=$3; shift 3
mount -t tmpfs -o size=1m tmpfs "$dir"
cp -a "$stage"/. "$dir"/
dd if=/dev/zero of="$dir/filler" bs=4k 2>/dev/null || true
truncate -s -40k "$dir/filler"
set +e
"$@"; code=$?
cp -a "$dir"/. "$out"/
rm -f "$out/filler"
exit $code
"#;
    let stage = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(dir).expect("read the directory") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, stage.path().join(path.file_name().expect("name"))).expect("copy");
    }
    let mut wrapped = std::process::Command::new("unshare");
    wrapped
        .args([
            "--user",
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            SCRIPT,
            "sh",
        ])
        .arg(dir)
        .arg(stage.path())
        .arg(out)
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .stdin(std::process::Stdio::null());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => wrapped.env(key, value),
            None => wrapped.env_remove(key),
        };
    }
    run(&mut wrapped)
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_stops_the_apply_cleanly_and_the_next_run_finishes_without_duplicates() {
    let dir = populations_config(1, "full");
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    let applied = run(&mut served.pingform(dir.path(), &["apply", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    let before = std::fs::read(dir.path().join("pingform.tfstate")).unwrap();
    common::write_populations(dir.path(), 60, "full");

    let out = tempfile::tempdir().unwrap();
    let cmd = served.pingform(dir.path(), &["apply", "--auto-approve", "--parallelism=1"]);
    let failed = on_a_full_disk(&cmd, dir.path(), out.path());
    assert_eq!(failed.code, 1, "{failed}");
    assert!(
        failed.stderr.contains("No space left on device"),
        "says why: {failed}"
    );
    assert!(
        failed.stderr.contains("pingform.tfstate"),
        "names the file: {failed}"
    );
    assert_eq!(
        std::fs::read(out.path().join("pingform.tfstate")).unwrap(),
        before,
        "the snapshot is untouched"
    );
    let created = served.population_names().len() - 2;
    assert!(
        (1..59).contains(&created),
        "the disk filled part way through: {created} created"
    );

    // With room again, the next run picks up what the journal recorded and finishes.
    for entry in std::fs::read_dir(out.path()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    let finished = run(&mut served.pingform(dir.path(), &["apply", "--auto-approve"]));
    assert_eq!(finished.code, 0, "{finished}");
    let mut expected: Vec<String> = (0..60).map(|i| format!("full-{i:02}")).collect();
    expected.push("Default".into());
    expected.sort();
    assert_eq!(served.population_names(), expected, "each exactly once");
    let again = run(&mut served.pingform(dir.path(), &["plan", "--detailed-exitcode"]));
    assert_eq!(again.code, 0, "{again}");
}
