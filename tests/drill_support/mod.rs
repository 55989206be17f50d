//! Helpers shared by the fault drills (`tests/drill_*.rs`): a generated configuration of
//! populations, groups and users, the emulator's admin API (faults, counters), counting the
//! objects the emulator holds by name, so duplicates show, and the IDs state records for them.

#![allow(dead_code, unreachable_pub)]

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::Served;

/// How many objects of each type a generated configuration declares.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// `pingone_population` resources.
    pub populations: usize,
    /// `pingone_group` resources.
    pub groups: usize,
    /// `pingone_user` resources, spread over the populations.
    pub users: usize,
}

impl Shape {
    /// Every object the configuration declares.
    pub fn total(&self) -> usize {
        self.populations + self.groups + self.users
    }
}

/// Writes `dir/main.tf` declaring `shape`'s objects, named `<prefix>-p00`, `<prefix>-g000`,
/// `<prefix>-u0000`, ... in `var.environment_id`.
pub fn write_config(dir: &Path, shape: Shape, prefix: &str) {
    let mut text = String::from("variable \"environment_id\" {\n  type = string\n}\n");
    for i in 0..shape.populations {
        text.push_str(&format!(
            "\nresource \"pingone_population\" \"p{i:02}\" {{\n  environment_id = var.environment_id\n  name           = \"{prefix}-p{i:02}\"\n}}\n"
        ));
    }
    for i in 0..shape.groups {
        text.push_str(&format!(
            "\nresource \"pingone_group\" \"g{i:03}\" {{\n  environment_id = var.environment_id\n  name           = \"{prefix}-g{i:03}\"\n}}\n"
        ));
    }
    for i in 0..shape.users {
        let population = i % shape.populations.max(1);
        text.push_str(&format!(
            "\nresource \"pingone_user\" \"u{i:04}\" {{\n  environment_id = var.environment_id\n  username       = \"{prefix}-u{i:04}\"\n  email          = \"u{i:04}@example.com\"\n  population_id  = pingone_population.p{population:02}.id\n}}\n"
        ));
    }
    std::fs::write(dir.join("main.tf"), text).expect("write main.tf");
}

/// The names `write_config` gives, by collection (`populations`, `groups`, `users`), sorted.
pub fn expected_names(shape: Shape, prefix: &str) -> BTreeMap<&'static str, Vec<String>> {
    let mut populations: Vec<String> = (0..shape.populations)
        .map(|i| format!("{prefix}-p{i:02}"))
        .collect();
    populations.push("Default".into());
    populations.sort();
    BTreeMap::from([
        ("populations", populations),
        (
            "groups",
            (0..shape.groups)
                .map(|i| format!("{prefix}-g{i:03}"))
                .collect(),
        ),
        (
            "users",
            (0..shape.users)
                .map(|i| format!("{prefix}-u{i:04}"))
                .collect(),
        ),
    ])
}

/// What the emulator holds in the admin environment, by collection: every object's name
/// (a user's username), sorted, duplicates kept.
pub fn live_names(served: &Served) -> BTreeMap<&'static str, Vec<String>> {
    [
        ("populations", "name"),
        ("groups", "name"),
        ("users", "username"),
    ]
    .into_iter()
    .map(|(plural, key)| (plural, names_in(served, plural, key)))
    .collect()
}

fn names_in(served: &Served, plural: &str, key: &str) -> Vec<String> {
    let mut names: Vec<String> = listed(served, plural, key)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    names.sort();
    names
}

/// Every object of `plural` in the admin environment as (name under `key`, id), in the
/// emulator's order.
fn listed(served: &Served, plural: &str, key: &str) -> Vec<(String, String)> {
    let env = &served.credentials.environment_id;
    let page = served.get(&format!("/environments/{env}/{plural}?limit=1000"));
    assert!(
        page["_links"]["next"].is_null(),
        "{plural}: more than one page; raise the limit"
    );
    let text =
        |item: &serde_json::Value, key: &str| item[key].as_str().unwrap_or_default().to_string();
    page["_embedded"][plural]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| (text(item, key), text(item, "id")))
                .collect()
        })
        .unwrap_or_default()
}

/// The ID of every population, group and user in the admin environment, by name (a user's
/// username). Call it once `live_names` has shown the names unique.
pub fn live_ids(served: &Served) -> BTreeMap<String, String> {
    [
        ("populations", "name"),
        ("groups", "name"),
        ("users", "username"),
    ]
    .into_iter()
    .flat_map(|(plural, key)| listed(served, plural, key))
    .collect()
}

/// The ID state records for every resource, by its object's name (a user's username), read
/// with `pingform state pull` (the journal replayed).
pub fn state_ids(dir: &Path) -> BTreeMap<String, String> {
    let pulled = crate::common::run(crate::common::pingform(dir).args(["state", "pull"]));
    assert_eq!(pulled.code, 0, "{pulled}");
    let state: serde_json::Value = serde_json::from_str(&pulled.stdout).expect("state JSON");
    let resources = state["resources"].as_array().cloned().unwrap_or_default();
    resources
        .iter()
        .map(|r| {
            let attributes = &r["attributes"];
            let name = attributes["name"]
                .as_str()
                .or_else(|| attributes["username"].as_str())
                .unwrap_or_default();
            let id = attributes["id"].as_str().unwrap_or_default();
            (name.to_string(), id.to_string())
        })
        .collect()
}

/// Replaces the emulator's fault settings (`PUT /__emulator/faults`).
pub fn set_faults(served: &Served, faults: serde_json::Value) {
    let url = format!("{}/__emulator/faults", served.credentials.api_url);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let response = reqwest::Client::new()
            .put(&url)
            .json(&faults)
            .send()
            .await
            .expect("PUT /__emulator/faults");
        assert!(
            response.status().is_success(),
            "faults refused: {}",
            response.text().await.unwrap_or_default()
        );
    });
}

/// The request counters' total (`GET /__emulator/counters`).
pub fn request_total(served: &Served) -> u64 {
    counters(served)["total"].as_u64().unwrap_or_default()
}

/// Every counter (`GET /__emulator/counters`): requests, statuses answered, faults injected.
pub fn counts(served: &Served) -> pingone_emulator::RequestCounts {
    serde_json::from_value(counters(served)).expect("the counters read back")
}

/// How many `method` requests the emulator counted on the route template `route`, such as
/// `/v1/environments/{env_id}/users/{user_id}`.
pub fn route_count(served: &Served, method: &str, route: &str) -> u64 {
    counters(served)["counts"]
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|c| c["method"] == method && c["route"] == route)
        })
        .and_then(|c| c["count"].as_u64())
        .unwrap_or_default()
}

/// Sets the emulator's request counters back to zero.
pub fn reset_counters(served: &Served) {
    admin(served, reqwest::Method::POST, "counters/reset");
}

fn counters(served: &Served) -> serde_json::Value {
    admin(served, reqwest::Method::GET, "counters")
}

/// Sends `method` to `/__emulator/<path>`; returns the JSON answer (`Null` when empty).
fn admin(served: &Served, method: reqwest::Method, path: &str) -> serde_json::Value {
    let url = format!("{}/__emulator/{path}", served.credentials.api_url);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let response = reqwest::Client::new()
            .request(method, &url)
            .send()
            .await
            .expect("admin request");
        assert!(
            response.status().is_success(),
            "{url}: {}",
            response.status()
        );
        let text = response.text().await.expect("admin answer");
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
    })
}

/// The addresses `pingform state list` prints for `dir` (the state file with its journal
/// replayed), sorted.
pub fn state_addresses(dir: &Path) -> Vec<String> {
    let listed = crate::common::run(crate::common::pingform(dir).args(["state", "list"]));
    assert_eq!(listed.code, 0, "{listed}");
    let mut addresses: Vec<String> = listed
        .stdout
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    addresses.sort();
    addresses
}

/// The addresses `write_config` declares, sorted.
pub fn expected_addresses(shape: Shape) -> Vec<String> {
    let mut all: Vec<String> = (0..shape.populations)
        .map(|i| format!("pingone_population.p{i:02}"))
        .chain((0..shape.groups).map(|i| format!("pingone_group.g{i:03}")))
        .chain((0..shape.users).map(|i| format!("pingone_user.u{i:04}")))
        .collect();
    all.sort();
    all
}
