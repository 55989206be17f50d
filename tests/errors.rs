//! What a user sees when something is wrong: precise, one place, no panic.

mod common;

use common::{pingform, run};

#[test]
fn syntax_error_points_at_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"pingone_population\" \"p\" {\n  environment_id = \"e\"\n  name = [\"a\",\n}\n",
    )
    .unwrap();
    for command in [&["validate"][..], &["plan", "--emulator"]] {
        let out = run(pingform(dir.path()).args(command));
        assert_eq!(out.code, 1, "{out}");
        assert!(out.stderr.contains("main.tf:4:1"), "{out}");
        assert!(!out.stderr.contains("panicked"), "{out}");
    }
}

#[test]
fn unreachable_endpoint_names_the_url_on_one_line() {
    let dir = common::example("quickstart");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener); // nothing listens there now
    let url = format!("http://127.0.0.1:{port}");
    let out = run(pingform(dir.path())
        .arg("plan")
        .env("PINGONE_CLIENT_ID", "9c052a8a-0000-4000-8000-000000000001")
        .env("PINGONE_CLIENT_SECRET", "not-a-real-secret-value")
        .env(
            "PINGONE_ENVIRONMENT_ID",
            "9c052a8a-0000-4000-8000-000000000002",
        )
        .env("PINGONE_REGION_CODE", "NA")
        .env("PINGONE_API_URL", &url)
        .env("PINGONE_AUTH_URL", &url));
    assert_eq!(out.code, 1, "{out}");
    let first = out.stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("error: "), "{out}");
    assert!(first.contains(&url), "the first line names the URL: {out}");
    assert!(!out.stderr.contains("not-a-real-secret-value"), "{out}");
}

#[test]
fn missing_credentials_say_what_to_set() {
    let dir = common::example("quickstart");
    let out = run(pingform(dir.path()).arg("plan"));
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("PINGONE_CLIENT_ID"), "{out}");
    assert!(out.stderr.contains("--emulator"), "{out}");
}

#[test]
fn apply_without_terminal_or_auto_approve_refuses() {
    let dir = common::example("quickstart");
    let out = run(pingform(dir.path()).args(["apply", "--emulator"]));
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("--auto-approve"), "{out}");
    assert!(
        !dir.path().join("pingform.tfstate").exists(),
        "nothing was applied"
    );
}

#[test]
fn validate_reports_unknown_attribute_with_location() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"pingone_population\" \"p\" {\n  environment_id = \"e\"\n  name = \"n\"\n  descripton = \"typo\"\n}\n",
    )
    .unwrap();
    let out = run(pingform(dir.path()).arg("validate"));
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("main.tf:4:3"), "{out}");
    assert!(out.stderr.contains("description"), "did you mean: {out}");
}
