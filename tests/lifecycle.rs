//! `lifecycle { prevent_destroy, ignore_changes }` as a user relies on them.

mod common;

use common::{pingform, run};

const CONFIG: &str = r#"resource "pingone_population" "protected" {
  environment_id = "a2b4c6d8-0000-4000-8000-00000000e001"
  name           = "Protected"
  description    = "first"

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [description]
  }
}
"#;

#[test]
fn prevent_destroy_refuses_and_ignore_changes_keeps_the_live_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    std::fs::write(path.join("main.tf"), CONFIG).unwrap();
    assert_eq!(
        run(pingform(path).args(["apply", "--emulator", "--auto-approve"])).code,
        0
    );

    std::fs::write(
        path.join("main.tf"),
        CONFIG.replace("\"first\"", "\"second\""),
    )
    .unwrap();
    let plan = run(pingform(path).args(["plan", "--emulator", "--detailed-exitcode"]));
    assert_eq!(plan.code, 0, "ignored attribute: {plan}");

    let destroy = run(pingform(path).args(["destroy", "--emulator", "--auto-approve"]));
    assert_eq!(destroy.code, 1, "{destroy}");
    assert!(
        destroy.stderr.contains("Instance cannot be destroyed"),
        "{destroy}"
    );
    assert!(destroy.stderr.contains("main.tf:7:5"), "{destroy}");

    let renamed = CONFIG.replace("\"first\"", "\"second\"").replace(
        "environment_id = \"a2b4c6d8-0000-4000-8000-00000000e001\"",
        "environment_id = \"a2b4c6d8-0000-4000-8000-00000000e002\"",
    );
    std::fs::write(path.join("main.tf"), renamed).unwrap();
    let replace = run(pingform(path).args(["plan", "--emulator"]));
    assert_eq!(
        replace.code, 1,
        "a forced replacement is refused too: {replace}"
    );
    assert!(replace.stderr.contains("would replace it"), "{replace}");
}
