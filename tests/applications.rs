//! SAML, WS-Fed and external-link applications written in HCL, applied to the embedded
//! emulator: edits inside an options object update in place, switching the kind of
//! application replaces it, and the configuration converges (no changes after apply).
//! A native app's Google Play keys are sent, kept in state only as sealed copies, and
//! masked in plans; changing one updates the app.

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

const NATIVE: &str = r#"resource "pingone_application" "mobile" {
  environment_id = "a2b4c6d8-0000-4000-8000-00000000e001"
  name           = "Mobile"
  enabled        = true

  oidc_options = {
    type                       = "NATIVE_APP"
    grant_types                = ["AUTHORIZATION_CODE"]
    response_types             = ["CODE"]
    redirect_uris              = ["com.example.mobile:/callback"]
    token_endpoint_auth_method = "NONE"

    mobile_app = {
      package_name = "com.example.mobile"
      integrity_detection = {
        enabled = true
        cache_duration = {
          amount = 30
          units  = "MINUTES"
        }
        google_play = {
          verification_type = "INTERNAL"
          decryption_key    = "DECRYPTION-KEY"
          verification_key  = "verification-key-1"
        }
      }
    }
  }
}
"#;

#[test]
fn google_play_keys_are_sent_sealed_in_state_masked_in_plans_and_updated_when_changed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path();
    std::fs::write(path.join("main.tf"), NATIVE).expect("write main.tf");
    let applied = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    assert!(
        !applied.stdout.contains("DECRYPTION-KEY"),
        "masked: {applied}"
    );
    let state = std::fs::read_to_string(path.join("pingform.tfstate")).expect("state");
    assert!(!state.contains("DECRYPTION-KEY"), "no key in state");
    assert!(!state.contains("verification-key-1"), "no key in state");
    assert!(
        state.contains("$pingform_sealed_sha256"),
        "sealed copies kept"
    );
    let again = plan(path);
    assert_eq!(again.code, 0, "unchanged keys are no change: {again}");

    let rotated = NATIVE.replace("verification-key-1", "verification-key-2");
    std::fs::write(path.join("main.tf"), rotated).expect("write main.tf");
    let changed = plan(path);
    assert_eq!(changed.code, 2, "a changed key updates the app: {changed}");
    assert!(changed.stdout.contains("1 to change"), "{changed}");
    assert!(
        !changed.stdout.contains("verification-key-2"),
        "masked: {changed}"
    );
    let applied = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    let state = std::fs::read_to_string(path.join("pingform.tfstate")).expect("state");
    assert!(!state.contains("verification-key-2"), "no key in state");
    assert_eq!(plan(path).code, 0, "converged");
}
