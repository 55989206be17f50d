//! Sensitive values stay hidden in plans, also where other resources derive from them.

mod common;

use common::{example, pingform, run};

#[test]
fn sensitive_variables_and_what_derives_from_them_are_masked() {
    let dir = example("quickstart");
    let main_tf = dir.path().join("main.tf");
    let text = std::fs::read_to_string(&main_tf).expect("read");
    let marked = text.replace(
        "variable \"team\" {\n  type    = string\n",
        "variable \"team\" {\n  type      = string\n  sensitive = true\n",
    );
    assert_ne!(text, marked);
    std::fs::write(&main_tf, marked).expect("write");
    let plan = run(pingform(dir.path()).args(["plan", "--emulator", "--var", "team=Secret"]));
    assert_eq!(plan.code, 0, "{plan}");
    assert!(!plan.stdout.contains("Secret"), "{plan}");
    assert!(!plan.stdout.contains("secret"), "{plan}");
    // Both populations' names and descriptions derive from the variable.
    assert_eq!(
        plan.stdout.matches("(sensitive value)").count(),
        4,
        "{plan}"
    );
}
