//! Version 0 provider syntax through `pingform validate` with the real PingOne schema:
//! an accepted construct warns and validates, a rejected one shows the rewrite.

mod common;

use common::{pingform, run};

fn validate(main_tf: &str) -> common::Run {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("main.tf"), main_tf).expect("write");
    run(pingform(dir.path()).arg("validate"))
}

#[test]
fn v0_region_validates_with_a_warning() {
    let out = validate(
        "provider \"pingone\" {\n  region                       = \"Europe\"\n  \
         force_delete_production_type = true\n}\n\nresource \"pingone_population\" \"p\" {\n  \
         environment_id = \"8d0c2f2a-0d4b-4c1e-9a51-6b1a2f3c4d5e\"\n  name           = \"p\"\n}\n",
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stderr.contains("write `region_code = \"EU\"`"), "{out}");
    assert!(out.stderr.contains("Removed provider setting"), "{out}");
    assert!(out.stdout.contains("The configuration is valid"), "{out}");
}

#[test]
fn v0_service_blocks_validate_with_a_warning_showing_the_rewrite() {
    let out = validate(
        "resource \"pingone_environment\" \"e\" {\n  name       = \"e\"\n  license_id = \
         \"8d0c2f2a-0d4b-4c1e-9a51-6b1a2f3c4d5e\"\n  service {\n    type = \"SSO\"\n  }\n}\n",
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stderr.contains("main.tf:4:3"), "{out}");
    assert!(
        out.stderr.contains("services = [{ type = \"SSO\" }]"),
        "{out}"
    );
    assert!(out.stdout.contains("The configuration is valid"), "{out}");
}

#[test]
fn a_wrong_service_type_in_a_v0_block_is_caught_with_its_span() {
    let out = validate(
        "resource \"pingone_environment\" \"e\" {\n  name       = \"e\"\n  license_id = \
         \"8d0c2f2a-0d4b-4c1e-9a51-6b1a2f3c4d5e\"\n  service {\n    type = \"sso\"\n  }\n}\n",
    );
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("main.tf:5:12"), "{out}");
    assert!(out.stderr.contains("did you mean `SSO`?"), "{out}");
}
