//! `pingform fmt` end to end: rewriting, `--check` (exit 3), `--diff`, `--recursive`,
//! explicit paths, standard input, and files with syntax errors left untouched.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use common::{example, pingform, run};

const MESSY: &str = "resource \"pingone_group\" \"g\" {\nname=\"g\"\n    description = \"d\"\n}\n";
const TIDY: &str =
    "resource \"pingone_group\" \"g\" {\n  name        = \"g\"\n  description = \"d\"\n}\n";

fn write(dir: &Path, name: &str, text: &str) {
    if let Some(parent) = dir.join(name).parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(dir.join(name), text).expect("write");
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).expect("read")
}

#[test]
fn formats_the_directory_and_lists_what_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "main.tf", MESSY);
    write(dir.path(), "ok.tf", TIDY);
    write(dir.path(), "terraform.tfvars", "a=1\nbbb=2\n");
    write(dir.path(), "notes.txt", "x=1\n");
    write(dir.path(), "sub/inner.tf", MESSY);
    let out = run(pingform(dir.path()).arg("fmt"));
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout, "main.tf\nterraform.tfvars\n", "{out}");
    assert_eq!(read(dir.path(), "main.tf"), TIDY);
    assert_eq!(read(dir.path(), "terraform.tfvars"), "a   = 1\nbbb = 2\n");
    assert_eq!(read(dir.path(), "notes.txt"), "x=1\n");
    assert_eq!(read(dir.path(), "sub/inner.tf"), MESSY, "not recursive");

    let again = run(pingform(dir.path()).arg("fmt"));
    assert_eq!((again.code, again.stdout.as_str()), (0, ""), "{again}");
}

#[test]
fn recursive_descends_but_skips_hidden_directories() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "sub/deeper/inner.tf", MESSY);
    write(dir.path(), ".terraform/modules/m.tf", MESSY);
    let out = run(pingform(dir.path()).args(["fmt", "--recursive"]));
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout, "sub/deeper/inner.tf\n", "{out}");
    assert_eq!(read(dir.path(), "sub/deeper/inner.tf"), TIDY);
    assert_eq!(read(dir.path(), ".terraform/modules/m.tf"), MESSY);
}

#[test]
fn check_changes_nothing_and_exits_3() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "main.tf", MESSY);
    write(dir.path(), "ok.tf", TIDY);
    let out = run(pingform(dir.path()).args(["fmt", "--check"]));
    assert_eq!(out.code, 3, "{out}");
    assert_eq!(out.stdout, "main.tf\n");
    assert_eq!(read(dir.path(), "main.tf"), MESSY);

    write(dir.path(), "main.tf", TIDY);
    let out = run(pingform(dir.path()).args(["fmt", "--check"]));
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{out}");
}

#[test]
fn diff_prints_a_unified_diff() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "main.tf", MESSY);
    let out = run(pingform(dir.path()).args(["fmt", "--check", "--diff"]));
    assert_eq!(out.code, 3, "{out}");
    assert_eq!(
        out.stdout,
        "main.tf\n--- old/main.tf\n+++ new/main.tf\n@@ -1,4 +1,4 @@\n resource \"pingone_group\" \"g\" {\n\
         -name=\"g\"\n-    description = \"d\"\n+  name        = \"g\"\n+  description = \"d\"\n }\n"
    );
    assert_eq!(read(dir.path(), "main.tf"), MESSY, "--check wrote nothing");
}

#[test]
fn explicit_files_and_directories() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.tf", MESSY);
    write(dir.path(), "b.tf", MESSY);
    write(dir.path(), "mod/c.tf", MESSY);
    let out = run(pingform(dir.path()).args(["fmt", "a.tf", "mod"]));
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout, "a.tf\nmod/c.tf\n");
    assert_eq!(read(dir.path(), "b.tf"), MESSY);

    let missing = run(pingform(dir.path()).args(["fmt", "nope.tf"]));
    assert_eq!(missing.code, 1, "{missing}");
    assert!(
        missing.stderr.contains("cannot format `nope.tf`"),
        "{missing}"
    );
}

#[test]
fn syntax_errors_are_reported_with_location_and_the_file_is_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = "resource \"pingone_group\" \"g\" {\n  name = [\"a\",\n}\n";
    write(dir.path(), "broken.tf", broken);
    write(dir.path(), "main.tf", MESSY);
    let out = run(pingform(dir.path()).arg("fmt"));
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("Invalid syntax"), "{out}");
    assert!(out.stderr.contains("broken.tf:3:1"), "{out}");
    assert_eq!(read(dir.path(), "broken.tf"), broken);
    assert_eq!(
        read(dir.path(), "main.tf"),
        TIDY,
        "other files still formatted"
    );
}

#[test]
fn standard_input_to_standard_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = pingform(dir.path())
        .args(["fmt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(MESSY.as_bytes())
        .expect("write stdin");
    let output = child.wait_with_output().expect("wait");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stdout), TIDY);
}

#[test]
fn examples_are_formatted() {
    for name in ["quickstart", "drift-nightly", "pull-request"] {
        let dir = example(name);
        let out = run(pingform(dir.path()).args(["fmt", "--check", "--recursive"]));
        assert_eq!(out.code, 0, "examples/{name}: {out}");
    }
}

#[cfg(unix)]
#[test]
fn rewriting_keeps_permissions_and_follows_symlinks() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "real/main.tf", MESSY);
    let real = dir.path().join("real/main.tf");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    std::os::unix::fs::symlink(&real, dir.path().join("link.tf")).expect("symlink");
    let out = run(pingform(dir.path()).args(["fmt", "link.tf"]));
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(read(dir.path(), "real/main.tf"), TIDY);
    let link = std::fs::symlink_metadata(dir.path().join("link.tf")).expect("stat");
    assert!(link.file_type().is_symlink());
    let mode = std::fs::metadata(&real).expect("stat").permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("real"))
        .expect("list")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".pingform-fmt"))
        .collect();
    assert!(leftovers.is_empty());
}
