//! Variable values from `.tfvars` files, `--var-file` and `--var`, in Terraform's precedence,
//! and their type and validation errors.

mod common;

use common::{example, pingform, run};

#[test]
fn tfvars_var_files_and_flags_set_variables() {
    let dir = example("quickstart");
    let path = dir.path();
    std::fs::write(path.join("terraform.tfvars"), "team = \"Ops\"\n").expect("write");
    let plan = run(pingform(path).args(["plan", "--emulator"]));
    assert_eq!(plan.code, 0, "{plan}");
    assert!(plan.stdout.contains("\"Ops staff\""), "{plan}");

    std::fs::write(path.join("prod.tfvars"), "team = \"Prod\"\n").expect("write");
    let plan = run(pingform(path).args(["plan", "--emulator", "--var-file", "prod.tfvars"]));
    assert!(plan.stdout.contains("\"Prod staff\""), "{plan}");

    let plan = run(pingform(path).args([
        "plan",
        "--emulator",
        "--var-file",
        "prod.tfvars",
        "--var",
        "team=Flag",
    ]));
    assert!(plan.stdout.contains("\"Flag staff\""), "{plan}");
}

#[test]
fn invalid_variable_values_are_diagnostics() {
    let dir = example("quickstart");
    let path = dir.path();
    std::fs::write(
        path.join("extra.tf"),
        "variable \"size\" {\n  type    = number\n  default = 1\n  validation {\n    condition     = var.size < 10\n    error_message = \"The size must be below 10.\"\n  }\n}\n",
    )
    .expect("write");
    let plan = run(pingform(path).args(["plan", "--emulator", "--var", "size=12"]));
    assert_eq!(plan.code, 1, "{plan}");
    assert!(plan.stderr.contains("The size must be below 10."), "{plan}");
    assert!(plan.stderr.contains("extra.tf:5:21"), "{plan}");

    let plan = run(pingform(path).args(["plan", "--emulator", "--var", "size=big"]));
    assert_eq!(plan.code, 1, "{plan}");
    assert!(
        plan.stderr.contains("Invalid value for input variable"),
        "{plan}"
    );
}
