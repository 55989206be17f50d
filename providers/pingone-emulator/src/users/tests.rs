//! Unit tests of the user rules.

use super::*;
use crate::seed::{self, ADMIN_ENVIRONMENT_ID as ENV};

fn body(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

fn input(value: Value, mode: Mode) -> UserInput {
    UserInput::parse(&body(value), mode).expect("input")
}

fn alice(data: &mut TenantData) -> User {
    let i = input(
        json!({"username": "alice", "email": "a@example.com", "name": {"given": "A"}}),
        Mode::Create,
    );
    create(data, ENV, i).expect("create")
}

#[test]
fn username_and_email_are_required_and_attributes_checked() {
    let error =
        UserInput::parse(&body(json!({"nickname": 3, "bogus": 1})), Mode::Create).expect_err("bad");
    let targets: Vec<_> = error.body()["details"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| d["target"].clone())
        .collect();
    for t in ["nickname", "bogus", "username", "email"] {
        assert!(targets.contains(&json!(t)), "{t}: {targets:?}");
    }
    let long = "x".repeat(129);
    assert!(
        UserInput::parse(
            &body(json!({"username": long, "email": "a@b"})),
            Mode::Create
        )
        .is_err()
    );
    assert!(
        UserInput::parse(
            &body(json!({"username": "a\u{7}", "email": "a@b"})),
            Mode::Create
        )
        .is_err()
    );
    assert!(UserInput::parse(&body(json!({"nickname": "n"})), Mode::Patch).is_ok());
}

#[test]
fn usernames_are_unique_per_environment_and_counts_exact() {
    let mut data = seed::tenant().expect("seed");
    let user = alice(&mut data);
    assert_eq!(data.populations[0].user_count, 1);
    let again = input(
        json!({"username": "ALICE", "email": "b@example.com"}),
        Mode::Create,
    );
    let error = create(&mut data, ENV, again).expect_err("duplicate");
    let detail = error.body()["details"][0].clone();
    assert_eq!(
        (
            detail["code"].clone(),
            detail["innerError"]["existingId"].clone()
        ),
        (json!("UNIQUENESS_VIOLATION"), json!(user.id))
    );
    delete(&mut data, ENV, &user.id).expect("delete");
    assert_eq!(data.populations[0].user_count, 0);
    assert!(data.user_by_username(ENV, "alice").is_none());
}

#[test]
fn put_replaces_patch_merges_and_neither_touches_enabled_or_population() {
    let mut data = seed::tenant().expect("seed");
    let user = alice(&mut data);
    let patch = input(
        json!({"nickname": "Al", "enabled": false, "population": {"id": "x"}}),
        Mode::Patch,
    );
    let patched = update(&mut data, ENV, &user.id, patch, Mode::Patch).expect("patch");
    assert_eq!(
        (patched.attributes.get("name").is_some(), patched.enabled),
        (true, true)
    );
    assert_eq!(patched.population_id, user.population_id);
    let put = input(
        json!({"username": "alice2", "email": "a@example.com"}),
        Mode::Replace,
    );
    let replaced = update(&mut data, ENV, &user.id, put, Mode::Replace).expect("put");
    assert!(
        replaced.attributes.get("name").is_none() && replaced.attributes.get("nickname").is_none()
    );
    assert_eq!(replaced.attributes["lifecycle"]["status"], "ACCOUNT_OK");
    assert!(
        data.user_by_username(ENV, "alice2").is_some()
            && data.user_by_username(ENV, "alice").is_none()
    );
}

#[test]
fn passwords_are_salted_hashes() {
    let mut data = seed::tenant().expect("seed");
    let i = input(
        json!({"username": "b", "email": "b@example.com", "password": {"value": "S3cret!pw", "forceChange": true}}),
        Mode::Import,
    );
    let user = create(&mut data, ENV, i).expect("import");
    let record = user.password.expect("password");
    assert!(verify_password(&record, "S3cret!pw") && !verify_password(&record, "other"));
    assert!(record.force_change);
    let json = serde_json::to_string(&data.users).expect("json");
    assert!(!json.contains("S3cret!pw"));
    assert_ne!(
        hash_password("p", false).salt,
        hash_password("p", false).salt
    );
}

#[test]
fn moving_users_keeps_population_counts() {
    let mut data = seed::tenant().expect("seed");
    let user = alice(&mut data);
    let staff =
        crate::populations::PopulationInput::parse(&body(json!({"name": "Staff"}))).expect("pop");
    let staff = crate::populations::create(&mut data, ENV, staff).expect("staff");
    move_to(&mut data, ENV, &user.id, &staff.id).expect("move");
    let counts: Vec<_> = data.populations_of(ENV).map(|p| p.user_count).collect();
    assert_eq!(counts, [0, 1]);
    assert!(move_to(&mut data, ENV, &user.id, "nope").is_err());
}
