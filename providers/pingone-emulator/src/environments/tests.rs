//! Unit tests of the environment rules.

use super::*;
use crate::seed::ADMIN_ENVIRONMENT_ID;

fn body(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

fn tenant() -> (TenantData, String, String) {
    let data = seed::tenant().expect("seed");
    let license = data.licenses[0].id.clone();
    let worker = data.admin_application_id.clone();
    (data, license, worker)
}

fn input(name: &str, kind: &str, license: &str) -> EnvironmentInput {
    let b = body(json!({"name": name, "type": kind, "region": "EU", "license": {"id": license}}));
    EnvironmentInput::parse(&b, true).expect("input")
}

#[test]
fn bad_region_names_the_target_and_allowed_values() {
    let b = body(json!({"name": "x", "type": "SANDBOX", "region": "MARS", "license": {"id": "l"}}));
    let detail = EnvironmentInput::parse(&b, true).expect_err("error").body()["details"][0].clone();
    assert_eq!(detail["target"], "region");
    assert_eq!(detail["innerError"]["allowedValues"], json!(REGIONS));
}

#[test]
fn license_is_required_and_must_exist() {
    let b = body(json!({"name": "x", "type": "SANDBOX", "region": "NA"}));
    let error = EnvironmentInput::parse(&b, true).expect_err("required");
    assert_eq!(error.body()["details"][0]["target"], "license");
    let (mut data, _, worker) = tenant();
    let missing = create(
        &mut data,
        input("x", "SANDBOX", "nope"),
        &worker,
        ADMIN_ENVIRONMENT_ID,
    );
    assert_eq!(
        missing.expect_err("missing").body()["details"][0]["target"],
        "license.id"
    );
}

#[test]
fn create_furnishes_the_environment_and_assigns_the_creator() {
    let (mut data, license, worker) = tenant();
    let env = create(
        &mut data,
        input("Dev", "SANDBOX", &license),
        &worker,
        ADMIN_ENVIRONMENT_ID,
    )
    .expect("create");
    let population = data.populations_of(&env.id).next().expect("population");
    assert_eq!(
        (population.name.as_str(), population.default),
        ("Default", true)
    );
    let policies: Vec<_> = data
        .password_policies
        .iter()
        .filter(|p| p.environment_id == env.id)
        .map(|p| (p.name.as_str(), p.default))
        .collect();
    assert_eq!(
        policies,
        [("Standard", true), ("Passphrase", false), ("Basic", false)]
    );
    let granted: Vec<_> = data
        .role_assignments
        .iter_in(&worker, None)
        .filter(|a| a.scope_id == env.id)
        .map(|a| (a.role_id.as_str(), a.read_only))
        .collect();
    assert_eq!(
        granted,
        [
            (roles::ENVIRONMENT_ADMIN, true),
            (roles::IDENTITY_DATA_ADMIN, true),
            (roles::CLIENT_APPLICATION_DEVELOPER, true)
        ]
    );
    let clash = create(
        &mut data,
        input("dev", "SANDBOX", &license),
        &worker,
        ADMIN_ENVIRONMENT_ID,
    );
    assert_eq!(
        clash.expect_err("clash").body()["details"][0]["code"],
        "UNIQUENESS_VIOLATION"
    );
}

#[test]
fn production_needs_a_license_that_allows_it() {
    let (mut data, license, worker) = tenant();
    data.licenses[0].allow_production = false;
    let error = create(
        &mut data,
        input("P", "PRODUCTION", &license),
        &worker,
        ADMIN_ENVIRONMENT_ID,
    )
    .expect_err("refused");
    assert_eq!(error.status(), StatusCode::FORBIDDEN);
    let env = create(
        &mut data,
        input("S", "SANDBOX", &license),
        &worker,
        ADMIN_ENVIRONMENT_ID,
    )
    .expect("sandbox");
    let promote = set_type(&mut data, &env.id, &body(json!({"type": "PRODUCTION"})));
    assert_eq!(
        promote.expect_err("promote").status(),
        StatusCode::FORBIDDEN
    );
}

#[test]
fn region_is_immutable() {
    let (mut data, license, worker) = tenant();
    let env = create(
        &mut data,
        input("Dev", "SANDBOX", &license),
        &worker,
        ADMIN_ENVIRONMENT_ID,
    )
    .expect("create");
    let b = body(json!({"name": "Dev2", "type": "SANDBOX", "region": "NA"}));
    let error = replace(
        &mut data,
        &env.id,
        EnvironmentInput::parse(&b, false).expect("input"),
    )
    .expect_err("region");
    assert_eq!(error.body()["details"][0]["target"], "region");
    let b = body(json!({"name": "Dev2", "type": "SANDBOX"}));
    let replaced = replace(
        &mut data,
        &env.id,
        EnvironmentInput::parse(&b, false).expect("input"),
    )
    .expect("replace");
    assert_eq!(
        (
            replaced.name.as_str(),
            replaced.region.as_str(),
            replaced.description
        ),
        ("Dev2", "EU", None)
    );
}

#[test]
fn only_sandboxes_are_deleted_with_their_content() {
    let (mut data, license, worker) = tenant();
    let env = create(
        &mut data,
        input("Dev", "PRODUCTION", &license),
        &worker,
        ADMIN_ENVIRONMENT_ID,
    )
    .expect("create");
    let refused = delete(&mut data, &env.id, ADMIN_ENVIRONMENT_ID).expect_err("production");
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    set_type(&mut data, &env.id, &body(json!({"type": "SANDBOX"}))).expect("demote");
    delete(&mut data, &env.id, ADMIN_ENVIRONMENT_ID).expect("delete");
    assert!(data.environment(&env.id).is_none());
    assert_eq!(data.populations_of(&env.id).count(), 0);
    assert!(data.role_assignments.iter().all(|a| a.scope_id != env.id));
    assert_eq!(
        delete(&mut data, &env.id, ADMIN_ENVIRONMENT_ID)
            .err()
            .map(|e| e.status()),
        Some(StatusCode::NOT_FOUND)
    );
}

#[test]
fn status_changes_need_a_license_to_restore() {
    let (mut data, license, worker) = tenant();
    let env = create(
        &mut data,
        input("Dev", "PRODUCTION", &license),
        &worker,
        ADMIN_ENVIRONMENT_ID,
    )
    .expect("create");
    let pending = set_status(
        &mut data,
        &env.id,
        &body(json!({"status": "DELETE_PENDING"})),
    )
    .expect("pending");
    assert!(pending.soft_deleted_at.is_some());
    let error =
        set_status(&mut data, &env.id, &body(json!({"status": "ACTIVE"}))).expect_err("license");
    assert_eq!(error.body()["details"][0]["target"], "license.id");
    let active = set_status(
        &mut data,
        &env.id,
        &body(json!({"status": "ACTIVE", "license": {"id": license}})),
    )
    .expect("active");
    assert_eq!(active.status.as_deref(), Some("ACTIVE"));
}

#[test]
fn bill_of_materials_products_are_checked() {
    let (mut data, license, worker) = tenant();
    let env = create(
        &mut data,
        input("Dev", "SANDBOX", &license),
        &worker,
        ADMIN_ENVIRONMENT_ID,
    )
    .expect("create");
    let bad = set_bill_of_materials(
        &mut data,
        &env.id,
        &body(json!({"products": [{"type": "NOPE"}]})),
    );
    assert_eq!(
        bad.expect_err("bad").body()["details"][0]["code"],
        "INVALID_VALUE"
    );
    let good = set_bill_of_materials(
        &mut data,
        &env.id,
        &body(json!({"products": [{"type": "PING_ONE_MFA"}]})),
    );
    assert!(good.is_ok());
}
