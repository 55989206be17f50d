//! `lifecycle { create_before_destroy, replace_triggered_by }` against the
//! emulator, through the real binary: a `+/-` replacement creates the new
//! object and updates what points to it before the old one is deleted; a name
//! PingOne keeps unique makes it fail clearly with the old object kept; a
//! failed delete leaves a deposed object that the next plan shows and the next
//! apply deletes; a change to a referenced resource replaces an instance.

mod common;

use common::{Served, run, serve, state_id, state_json};

const APP: &str = r#"variable "environment_id" {
  type = string
}

resource "pingone_application" "portal" {
  environment_id = var.environment_id
  name           = "Portal"
  enabled        = true

  OPTIONS

  lifecycle {
    create_before_destroy = true
  }
}

resource "pingone_group" "owners" {
  environment_id = var.environment_id
  name           = "Portal owners"
  description    = "owners of ${pingone_application.portal.id}"
}
"#;

const LINK: &str = r#"external_link_options = {
    home_page_url = "https://portal.example.com/"
  }"#;

const WSFED: &str = r#"wsfed_options = {
    type        = "WEB_APP"
    domain_name = "corp.example.com"
    reply_url   = "https://login.example.com/login.srf"

    idp_signing_key = {
      key_id    = "0f8bd2c1-2a3b-4c5d-8e9f-0a1b2c3d4e5f"
      algorithm = "SHA384withRSA"
    }
  }"#;

fn apply(served: &Served, dir: &std::path::Path, extra: &[&str]) -> common::Run {
    let mut args = vec!["apply", "--auto-approve", "--no-color"];
    args.extend_from_slice(extra);
    run(&mut served.pingform(dir, &args))
}

fn plan(served: &Served, dir: &std::path::Path, extra: &[&str]) -> common::Run {
    let mut args = vec!["plan", "--no-color", "--detailed-exitcode"];
    args.extend_from_slice(extra);
    run(&mut served.pingform(dir, &args))
}

/// The ids of the objects in the emulator's environment under `collection`.
fn live_ids(served: &Served, collection: &str) -> Vec<String> {
    let env = &served.credentials.environment_id;
    let list = served.get(&format!("/environments/{env}/{collection}?limit=1000"));
    let items = list["_embedded"][collection].as_array().cloned();
    let ids = items
        .unwrap_or_default()
        .into_iter()
        .map(|o| o["id"].as_str().unwrap_or_default().to_string());
    ids.collect()
}

#[test]
fn an_application_is_replaced_new_first_and_its_dependent_updated_before_the_old_is_deleted() {
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("emulator"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    std::fs::write(path.join("main.tf"), APP.replace("OPTIONS", LINK)).unwrap();
    let first = apply(&served, path, &[]);
    assert_eq!(first.code, 0, "{first}");
    let old = state_id(path, "pingone_application", "portal");

    std::fs::write(path.join("main.tf"), APP.replace("OPTIONS", WSFED)).unwrap();
    let planned = plan(&served, path, &[]);
    assert_eq!(planned.code, 2, "{planned}");
    assert!(
        planned
            .stdout
            .contains("# pingone_application.portal must be replaced"),
        "{planned}"
    );
    assert!(
        planned
            .stdout
            .contains("+/- resource \"pingone_application\" \"portal\""),
        "{planned}"
    );
    assert!(
        planned
            .stdout
            .contains("Plan: 1 to add, 1 to change, 1 to destroy."),
        "{planned}"
    );
    let json = run(&mut served.pingform(path, &["plan", "--json"]));
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("plan JSON");
    let portal = &doc["resource_changes"][0];
    assert_eq!(portal["address"], "pingone_application.portal", "{json}");
    assert_eq!(
        portal["change"]["actions"],
        serde_json::json!(["create", "delete"])
    );
    assert_eq!(portal["action_reason"], "replace_because_cannot_update");

    let replaced = apply(&served, path, &[]);
    assert_eq!(replaced.code, 0, "{replaced}");
    // The group's update (to the new id) is reported before the replacement,
    // which completes only when the old object is deleted.
    let updated = replaced
        .stdout
        .find("pingone_group.owners: Modifications complete");
    let done = replaced
        .stdout
        .find("pingone_application.portal: Replacement complete");
    assert!(
        updated.is_some() && done.is_some() && updated < done,
        "{replaced}"
    );
    let new = state_id(path, "pingone_application", "portal");
    assert_ne!(new, old);
    let apps = live_ids(&served, "applications");
    assert!(
        apps.contains(&new) && !apps.contains(&old),
        "the old application is gone: {apps:?}"
    );
    let state = state_json(path);
    assert!(state.get("deposed").is_none(), "{state}");
    assert_eq!(state["format_version"], 4);
    let converged = plan(&served, path, &[]);
    assert_eq!(converged.code, 0, "{converged}");
}

const GROUP: &str = r#"variable "environment_id" {
  type = string
}

resource "pingone_population" "a" {
  environment_id = var.environment_id
  name           = "Team A"
}

resource "pingone_group" "team" {
  environment_id = var.environment_id
  name           = "Team"

  lifecycle {
    create_before_destroy = true
  }
}

resource "pingone_group" "watchers" {
  environment_id = var.environment_id
  name           = "Watchers"

  lifecycle {
    replace_triggered_by = [pingone_population.a.name]
  }
}
"#;

#[test]
fn a_unique_name_kept_refuses_create_before_destroy_and_triggers_replace_what_references_them() {
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("emulator"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    std::fs::write(path.join("main.tf"), GROUP).unwrap();
    let first = apply(&served, path, &[]);
    assert_eq!(first.code, 0, "{first}");
    let team = state_id(path, "pingone_group", "team");

    // Group names are unique in PingOne: the replacement cannot exist beside the old group.
    let refused = apply(&served, path, &["--replace", "pingone_group.team"]);
    assert_eq!(refused.code, 1, "{refused}");
    assert!(
        refused
            .stdout
            .contains("+/- resource \"pingone_group\" \"team\""),
        "{refused}"
    );
    let text = &refused.stderr;
    assert!(
        text.contains("has `lifecycle { create_before_destroy = true }`"),
        "{refused}"
    );
    assert!(text.contains("same unique name"), "{refused}");
    assert!(
        text.contains("Change the name in the configuration"),
        "{refused}"
    );
    assert!(text.contains("remove create_before_destroy"), "{refused}");
    assert_eq!(
        state_id(path, "pingone_group", "team"),
        team,
        "the old group is kept"
    );
    assert!(state_json(path).get("deposed").is_none());
    assert!(live_ids(&served, "groups").contains(&team));
    assert_eq!(plan(&served, path, &[]).code, 0, "nothing left to do");

    // A new name lets old and new coexist.
    let renamed = GROUP.replace("\"Team\"", "\"Team (new)\"");
    std::fs::write(path.join("main.tf"), &renamed).unwrap();
    let replaced = apply(&served, path, &["--replace", "pingone_group.team"]);
    assert_eq!(replaced.code, 0, "{replaced}");
    assert!(!live_ids(&served, "groups").contains(&team));

    // replace_triggered_by: renaming population a replaces the watchers group.
    let watchers = state_id(path, "pingone_group", "watchers");
    std::fs::write(
        path.join("main.tf"),
        renamed.replace("\"Team A\"", "\"Team A2\""),
    )
    .unwrap();
    let planned = plan(&served, path, &[]);
    assert_eq!(planned.code, 2, "{planned}");
    assert!(
        planned
            .stdout
            .contains("# (replaced because pingone_population.a.name changed)"),
        "{planned}"
    );
    assert!(
        planned
            .stdout
            .contains("-/+ resource \"pingone_group\" \"watchers\""),
        "{planned}"
    );
    let json = run(&mut served.pingform(path, &["plan", "--json"]));
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("plan JSON");
    let changes = doc["resource_changes"].as_array().expect("changes");
    let change = changes
        .iter()
        .find(|c| c["address"] == "pingone_group.watchers")
        .expect("watchers");
    assert_eq!(change["action_reason"], "replace_by_triggers", "{change}");
    let applied = apply(&served, path, &[]);
    assert_eq!(applied.code, 0, "{applied}");
    assert_ne!(state_id(path, "pingone_group", "watchers"), watchers);
    assert_eq!(plan(&served, path, &[]).code, 0);

    let invalid = GROUP.replace("[pingone_population.a.name]", "[var.environment_id]");
    std::fs::write(path.join("main.tf"), invalid).unwrap();
    let validated = run(&mut served.pingform(path, &["validate", "--no-color"]));
    assert_eq!(validated.code, 1, "{validated}");
    assert!(
        validated
            .stderr
            .contains("Invalid `replace_triggered_by` reference"),
        "{validated}"
    );
    assert!(validated.stderr.contains("main.tf:24:29"), "{validated}");
}

const POPULATION: &str = r#"variable "environment_id" {
  type = string
}

resource "pingone_population" "staff" {
  environment_id = var.environment_id
  name           = "NAME"

  lifecycle {
    create_before_destroy = true
  }
}
"#;

#[test]
fn a_failed_delete_leaves_a_deposed_object_that_the_next_plan_shows_and_apply_deletes() {
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("emulator"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    std::fs::write(path.join("main.tf"), POPULATION.replace("NAME", "Staff")).unwrap();
    assert_eq!(apply(&served, path, &[]).code, 0);
    let old = state_id(path, "pingone_population", "staff");
    // A user added by hand: PingOne refuses to delete a population that holds users.
    let env = served.credentials.environment_id.clone();
    let user = served.request(
        reqwest::Method::POST,
        &format!("/environments/{env}/users"),
        Some(serde_json::json!({
            "username": "ann",
            "email": "ann@example.com",
            "population": {"id": old}
        })),
    );
    let user_id = user["id"].as_str().expect("user id").to_string();

    std::fs::write(path.join("main.tf"), POPULATION.replace("NAME", "Staff 2")).unwrap();
    let failed = apply(&served, path, &["--replace", "pingone_population.staff"]);
    assert_eq!(failed.code, 1, "{failed}");
    assert!(
        failed
            .stderr
            .contains("deleting the old object (deposed object"),
        "{failed}"
    );
    let state = state_json(path);
    let deposed = state["deposed"]
        .as_array()
        .expect("a deposed object")
        .clone();
    assert_eq!(deposed.len(), 1, "{state}");
    assert_eq!(deposed[0]["attributes"]["id"], old.as_str());
    let key = deposed[0]["key"].as_str().expect("key").to_string();
    let new = state_id(path, "pingone_population", "staff");
    let live = live_ids(&served, "populations");
    assert!(
        live.contains(&old) && live.contains(&new),
        "old and new coexist: {live:?}"
    );

    let planned = plan(&served, path, &[]);
    assert_eq!(planned.code, 2, "{planned}");
    let header = format!("# pingone_population.staff (deposed object {key}) will be destroyed");
    assert!(planned.stdout.contains(&header), "{planned}");
    assert!(
        planned
            .stdout
            .contains("Plan: 0 to add, 0 to change, 1 to destroy."),
        "{planned}"
    );

    served.request(
        reqwest::Method::DELETE,
        &format!("/environments/{env}/users/{user_id}"),
        None,
    );
    let cleaned = apply(&served, path, &[]);
    assert_eq!(cleaned.code, 0, "{cleaned}");
    assert!(state_json(path).get("deposed").is_none());
    let live = live_ids(&served, "populations");
    assert!(!live.contains(&old) && live.contains(&new), "{live:?}");
    assert_eq!(plan(&served, path, &[]).code, 0);
}
