//! Provider aliases end to end: one configuration manages two PingOne
//! organizations (two emulators with different credentials) through a default
//! and an aliased `provider "pingone"` block; each object lands in, is refreshed
//! from and is deleted in the organization of the configuration that manages it.

mod common;

use common::{Run, Served, pingform, run, serve};

/// The default configuration comes from `PINGONE_*` (organization A); the `eu`
/// one is written out in its block (organization B). `extra` is appended.
fn config(b: &Served, extra: &str) -> String {
    let c = &b.credentials;
    format!(
        r#"variable "env_a" {{}}
variable "env_b" {{}}

provider "pingone" {{
  alias          = "eu"
  client_id      = "{client_id}"
  client_secret  = "{client_secret}"
  environment_id = "{environment_id}"
  region_code    = "{region_code}"
  api_url        = "{api_url}"
  auth_url       = "{auth_url}"
}}

resource "pingone_population" "home" {{
  environment_id = var.env_a
  name           = "home"
}}
{extra}"#,
        client_id = c.client_id,
        client_secret = c.client_secret,
        environment_id = c.environment_id,
        region_code = c.region_code,
        api_url = c.api_url,
        auth_url = c.auth_url,
    )
}

/// Resources managed by organization B: a data source read there, and a
/// population named after what it read.
const AWAY: &str = r#"
data "pingone_environment" "b" {
  provider       = pingone.eu
  environment_id = var.env_b
}

resource "pingone_population" "away" {
  provider       = pingone.eu
  environment_id = var.env_b
  name           = "away in ${data.pingone_environment.b.name}"
}
"#;

/// `pingform ARGS` against organization A's environment variables.
fn pingform_with(dir: &std::path::Path, a: &Served, b: &Served, args: &[&str]) -> Run {
    let mut cmd = pingform(dir);
    cmd.envs(a.env())
        .env("TF_VAR_env_a", &a.credentials.environment_id)
        .env("TF_VAR_env_b", &b.credentials.environment_id)
        .args(args);
    run(&mut cmd)
}

/// The names of the populations in the emulator's own environment.
fn populations(served: &Served) -> Vec<String> {
    let env = &served.credentials.environment_id;
    let listed = served.get(&format!("/environments/{env}/populations"));
    let mut names: Vec<String> = listed["_embedded"]["populations"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .filter(|name| name != "Default")
        .collect();
    names.sort();
    names
}

#[test]
fn one_configuration_manages_two_organizations_through_an_alias() {
    let data = tempfile::tempdir().unwrap();
    let a = serve(&data.path().join("a"));
    let b = serve(&data.path().join("b"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let write = |text: String| std::fs::write(path.join("main.tf"), text).unwrap();
    write(config(&b, AWAY));
    let b_name = b.get(&format!("/environments/{}", b.credentials.environment_id))["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let plan = pingform_with(path, &a, &b, &["plan", "--json"]);
    assert_eq!(plan.code, 0, "{plan}");
    let doc: serde_json::Value = serde_json::from_str(&plan.stdout).expect("JSON plan");
    let configuration = &doc["configuration"];
    assert_eq!(
        configuration["provider_config"]["pingone.eu"],
        serde_json::json!({"name": "pingone", "alias": "eu"})
    );
    let keys: Vec<(&str, &str)> = configuration["root_module"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let address = r["address"].as_str().unwrap_or_default();
            (
                address,
                r["provider_config_key"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert!(
        keys.contains(&("pingone_population.away", "pingone.eu"))
            && keys.contains(&("pingone_population.home", "pingone")),
        "{keys:?}"
    );

    let plan = pingform_with(path, &a, &b, &["plan"]);
    assert!(
        plan.stdout
            .contains("# (by the provider configuration pingone.eu)"),
        "{plan}"
    );

    let apply = pingform_with(path, &a, &b, &["apply", "--auto-approve"]);
    assert_eq!(apply.code, 0, "{apply}");
    assert_eq!(populations(&a), ["home"]);
    assert_eq!(populations(&b), [format!("away in {b_name}")]);
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path.join("pingform.tfstate")).unwrap())
            .unwrap();
    assert_eq!(state["format_version"], 4);
    let recorded: Vec<(&str, &str)> = state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["name"].as_str().unwrap(), r["provider"].as_str().unwrap()))
        .collect();
    assert_eq!(recorded, [("away", "pingone.eu"), ("home", "pingone")]);

    let listed = pingform_with(path, &a, &b, &["providers"]);
    assert_eq!(listed.code, 0, "{listed}");
    assert!(
        listed.stdout.contains("  pingone.eu  (declared at main.tf:4:1)\n    data.pingone_environment.b\n    pingone_population.away\n")
            && listed.stdout.contains("  pingone.eu  (1 object)"),
        "{listed}"
    );

    // Refreshed through each configuration: nothing to do.
    let again = pingform_with(path, &a, &b, &["plan", "--detailed-exitcode"]);
    assert_eq!(again.code, 0, "{again}");

    // Each configuration reports what it does not manage in its own organization.
    let b_env = &b.credentials.environment_id;
    let stray = b.request(
        reqwest::Method::POST,
        &format!("/environments/{b_env}/populations"),
        Some(serde_json::json!({"name": "Made by hand in B"})),
    );
    let report = pingform_with(
        path,
        &a,
        &b,
        &["plan", "--refresh-only", "--report-unmanaged"],
    );
    assert_eq!(report.code, 0, "{report}");
    assert!(
        report
            .stdout
            .contains("pingone_population \"Made by hand in B\"")
            && !report.stdout.contains("\"home\" (id")
            && !report.stdout.contains("\"away in"),
        "{report}"
    );
    // Importing to an aliased resource reads through, and records, its configuration.
    let stray_id = stray["id"].as_str().unwrap_or_default();
    let stray_block = "resource \"pingone_population\" \"stray\" {\n  provider       = pingone.eu\n  \
                       environment_id = var.env_b\n  name           = \"Made by hand in B\"\n}\n";
    write(config(&b, &format!("{AWAY}{stray_block}")));
    let import_id = format!("{b_env}/{stray_id}");
    let import = pingform_with(
        path,
        &a,
        &b,
        &["import", "pingone_population.stray", &import_id],
    );
    assert_eq!(import.code, 0, "{import}");
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path.join("pingform.tfstate")).unwrap())
            .unwrap();
    let stray_state = state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "stray")
        .cloned()
        .unwrap_or_default();
    assert_eq!(stray_state["provider"], "pingone.eu", "{state}");
    let adopted = pingform_with(path, &a, &b, &["plan", "--detailed-exitcode"]);
    assert_eq!(adopted.code, 0, "{adopted}");

    // The aliased block may not go while it still manages an object.
    let without_block = config(&b, "")
        .split("provider \"pingone\"")
        .next()
        .unwrap_or_default()
        .to_string()
        + "resource \"pingone_population\" \"home\" {\n  environment_id = var.env_a\n  name           = \"home\"\n}\n";
    write(without_block);
    let stopped = pingform_with(path, &a, &b, &["plan"]);
    assert_eq!(stopped.code, 1, "{stopped}");
    assert!(
        stopped.stderr.contains(
            "`pingone_population.away` is managed by the provider configuration `pingone.eu`"
        ) && stopped
            .stderr
            .contains("keep its `provider \"pingone\" { alias = \"eu\" ... }` block"),
        "{stopped}"
    );

    // With the block kept, removing the aliased resource deletes it from B only.
    write(config(&b, ""));
    let removed = pingform_with(path, &a, &b, &["apply", "--auto-approve"]);
    assert_eq!(removed.code, 0, "{removed}");
    assert!(populations(&b).is_empty(), "{:?}", populations(&b));
    assert_eq!(populations(&a), ["home"]);

    // An undeclared alias is refused at validate, with the one that is declared.
    write(config(
        &b,
        "resource \"pingone_group\" \"g\" {\n  provider       = pingone.ue\n  environment_id = var.env_b\n  name           = \"g\"\n}\n",
    ));
    let invalid = run(pingform(path).arg("validate"));
    assert_eq!(invalid.code, 1, "{invalid}");
    assert!(
        invalid
            .stderr
            .contains("Reference to undeclared provider configuration")
            && invalid.stderr.contains("did you mean `pingone.eu`?")
            && invalid.stderr.contains("main.tf:"),
        "{invalid}"
    );

    // Destroy deletes each object through the configuration that manages it.
    write(config(&b, AWAY));
    let applied = pingform_with(path, &a, &b, &["apply", "--auto-approve"]);
    assert_eq!(applied.code, 0, "{applied}");
    assert_eq!(populations(&b).len(), 1);
    let destroyed = pingform_with(path, &a, &b, &["destroy", "--auto-approve"]);
    assert_eq!(destroyed.code, 0, "{destroyed}");
    assert!(populations(&a).is_empty() && populations(&b).is_empty());
}

/// A module called twice: once with the caller's default configuration, once
/// with `providers = { pingone = pingone.eu }`; a module resource naming an
/// alias the call does not pass is an error.
#[test]
fn a_module_uses_the_provider_configuration_its_call_passes() {
    let (data_a, data_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = serve(&data_a.path().join("a.json"));
    let b = serve(&data_b.path().join("b.json"));
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("modules/team");
    std::fs::create_dir_all(&module).unwrap();
    std::fs::write(
        module.join("main.tf"),
        "variable \"env\" {}\nresource \"pingone_population\" \"p\" {\n  environment_id = var.env\n  name           = \"team\"\n}\n",
    )
    .unwrap();
    let calls = r#"
module "here" {
  source = "./modules/team"
  env    = var.env_a
}

module "there" {
  source    = "./modules/team"
  env       = var.env_b
  providers = { pingone = pingone.eu }
}
"#;
    std::fs::write(dir.path().join("main.tf"), config(&b, calls)).unwrap();
    let applied = pingform_with(dir.path(), &a, &b, &["apply", "--auto-approve"]);
    assert_eq!(applied.code, 0, "{applied}");
    assert_eq!(populations(&a), ["home", "team"]);
    assert_eq!(populations(&b), ["team"]);
    let plan = pingform_with(dir.path(), &a, &b, &["plan", "--detailed-exitcode"]);
    assert_eq!(plan.code, 0, "{plan}");

    std::fs::write(
        module.join("main.tf"),
        "variable \"env\" {}\nresource \"pingone_population\" \"p\" {\n  provider       = pingone.west\n  environment_id = var.env\n  name           = \"team\"\n}\n",
    )
    .unwrap();
    let invalid = pingform_with(dir.path(), &a, &b, &["validate"]);
    assert_eq!(invalid.code, 1, "{invalid}");
    assert!(
        invalid
            .stderr
            .contains("Provider configuration not passed to the module"),
        "{invalid}"
    );
    assert!(
        invalid.stderr.contains("modules/team/main.tf:3:20"),
        "{invalid}"
    );
}
