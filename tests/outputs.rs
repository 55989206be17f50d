//! `apply` prints `output` values computed from locals and the applied resources, hiding
//! sensitive ones.

mod common;

use common::{example, pingform, run};

#[test]
fn apply_prints_outputs_and_hides_sensitive_ones() {
    let dir = example("quickstart");
    let path = dir.path();
    std::fs::write(
        path.join("outputs.tf"),
        r#"
variable "token" {
  default   = "hunter2"
  sensitive = true
}

locals {
  label = upper("staff")
}

output "label" {
  value = "${local.label}: ${pingone_population.staff.name}"
}

output "token" {
  value     = var.token
  sensitive = true
}
"#,
    )
    .expect("write outputs.tf");
    let applied = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    assert!(applied.stdout.contains("Outputs:"), "{applied}");
    assert!(
        applied
            .stdout
            .contains("label = \"STAFF: Engineering staff\""),
        "{applied}"
    );
    assert!(applied.stdout.contains("token = <sensitive>"), "{applied}");
    assert!(!applied.stdout.contains("hunter2"), "{applied}");
}
