//! SAML, WS-Fed and external-link applications written in HCL, applied to the embedded
//! emulator: edits inside an options object update in place, switching the kind of
//! application replaces it, and the configuration converges (no changes after apply).

mod common;

use common::{pingform, run};

const SAML: &str = r#"resource "pingone_application" "payroll" {
  environment_id = "a2b4c6d8-0000-4000-8000-00000000e001"
  name           = "Payroll"
  enabled        = true

  saml_options = {
    acs_urls           = ["https://payroll.example.com/acs"]
    assertion_duration = 3600
    sp_entity_id       = "sp:payroll"

    idp_signing_key = {
      key_id    = "0f8bd2c1-2a3b-4c5d-8e9f-0a1b2c3d4e5f"
      algorithm = "SHA256withRSA"
    }

    sp_verification = {
      certificate_ids      = ["1e8bd2c1-2a3b-4c5d-8e9f-0a1b2c3d4e5f"]
      authn_request_signed = true
    }
  }
}

resource "pingone_application" "intranet" {
  environment_id = "a2b4c6d8-0000-4000-8000-00000000e001"
  name           = "Intranet"
  enabled        = true

  external_link_options = {
    home_page_url = "https://intranet.example.com/"
  }
}
"#;

const WSFED: &str = r#"  wsfed_options = {
    type        = "WEB_APP"
    domain_name = "corp.example.com"
    reply_url   = "https://login.example.com/login.srf"

    idp_signing_key = {
      key_id    = "0f8bd2c1-2a3b-4c5d-8e9f-0a1b2c3d4e5f"
      algorithm = "SHA384withRSA"
    }
  }
}
"#;

/// `pingform plan --detailed-exitcode` against the embedded emulator.
fn plan(path: &std::path::Path) -> common::Run {
    run(pingform(path).args(["plan", "--emulator", "--detailed-exitcode"]))
}

#[test]
fn saml_wsfed_and_external_link_applications_converge_and_replace_on_kind_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    std::fs::write(path.join("main.tf"), SAML).unwrap();
    let apply = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(apply.code, 0, "{apply}");
    let again = plan(path);
    assert_eq!(again.code, 0, "converged after apply: {again}");

    let edited = SAML.replace("payroll.example.com/acs", "payroll.example.com/acs2");
    std::fs::write(path.join("main.tf"), &edited).unwrap();
    let update = plan(path);
    assert_eq!(update.code, 2, "{update}");
    assert!(
        update
            .stdout
            .contains("pingone_application.payroll will be updated in-place"),
        "{update}"
    );

    let start = edited.find("  saml_options").unwrap();
    let end = edited
        .find("resource \"pingone_application\" \"intranet\"")
        .unwrap();
    let switched = format!("{}{WSFED}\n{}", &edited[..start], &edited[end..]);
    std::fs::write(path.join("main.tf"), &switched).unwrap();
    let replace = plan(path);
    assert_eq!(replace.code, 2, "{replace}");
    assert!(
        replace
            .stdout
            .contains("pingone_application.payroll must be replaced"),
        "{replace}"
    );
    assert!(replace.stdout.contains("# forces replacement"), "{replace}");
    assert!(!replace.stdout.contains("intranet"), "{replace}");

    let apply = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(apply.code, 0, "{apply}");
    let again = plan(path);
    assert_eq!(again.code, 0, "converged after the replacement: {again}");

    let destroy = run(pingform(path).args(["destroy", "--emulator", "--auto-approve"]));
    assert_eq!(destroy.code, 0, "{destroy}");
}

#[test]
fn an_application_of_no_kind_is_refused_with_the_attributes_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let config = r#"resource "pingone_application" "nothing" {
  environment_id = "a2b4c6d8-0000-4000-8000-00000000e001"
  name           = "Nothing"
}
"#;
    std::fs::write(path.join("main.tf"), config).unwrap();
    let apply = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(apply.code, 1, "{apply}");
    assert!(
        apply.stderr.contains(
            "exactly one of oidc_options, saml_options, wsfed_options or external_link_options"
        ),
        "{apply}"
    );
}
