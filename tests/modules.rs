//! `module` blocks: a local module called with `for_each`, its objects created in
//! the right PingOne environment and recorded under their module address, instances
//! removed when their key goes, objects moved into a module without being recreated,
//! and the errors a wrong call gives.

mod common;

use std::path::Path;

use common::{example, pingform, run, serve, state_json};

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_module_called_for_each_team_creates_removes_and_records_its_objects() {
    let dir = example("modules");
    let path = dir.path();
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));

    let applied = run(&mut served.pingform(path, &["apply", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    assert!(
        applied
            .stdout
            .contains(r#"module.team["eng"].pingone_user.member["ada"]: Creation complete"#),
        "{applied}"
    );
    let names = served.population_names();
    for team in ["Engineering team", "Sales team"] {
        assert_eq!(names.iter().filter(|n| *n == team).count(), 1, "{names:?}");
    }
    // The root's group reads the module outputs of both instances.
    let env = &served.credentials.environment_id;
    let groups = served.get(&format!("/environments/{env}/groups?limit=1000"));
    let everyone = groups["_embedded"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "Everyone")
        .cloned()
        .unwrap();
    assert_eq!(
        everyone["description"], "Teams: Engineering team, Sales team",
        "{everyone}"
    );

    let state = state_json(path);
    assert_eq!(state["format_version"], 4, "{state}");
    let member = state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "pingone_user" && r["index_key"] == "grace")
        .cloned()
        .unwrap();
    assert_eq!(
        member["module"],
        serde_json::json!([{ "name": "team", "index_key": "sales" }]),
        "{member}"
    );

    let plan = run(&mut served.pingform(path, &["plan", "--detailed-exitcode"]));
    assert_eq!(plan.code, 0, "{plan}");

    // Dropping a key drops that module instance's objects, and says why.
    let one_team = ["--var", r#"teams={eng="Engineering"}"#];
    let plan = run(&mut served.pingform(path, &["plan", one_team[0], one_team[1]]));
    assert_eq!(plan.code, 0, "{plan}");
    assert!(
        plan.stdout
            .contains(r#"is in module.team["sales"], which is not in configuration"#),
        "{plan}"
    );
    assert!(
        plan.stdout
            .contains("Plan: 0 to add, 1 to change, 3 to destroy."),
        "{plan}"
    );
    let applied =
        run(&mut served.pingform(path, &["apply", "--auto-approve", one_team[0], one_team[1]]));
    assert_eq!(applied.code, 0, "{applied}");
    assert!(
        !served
            .population_names()
            .contains(&"Sales team".to_string())
    );

    let destroyed = run(&mut served.pingform(path, &["destroy", "--auto-approve"]));
    assert_eq!(destroyed.code, 0, "{destroyed}");
    assert!(
        !served
            .population_names()
            .iter()
            .any(|n| n.ends_with(" team"))
    );
}

const TEAM_MODULE: &str = r#"variable "environment_id" {
  type = string
}
variable "name" {
  type = string
}
resource "pingone_population" "this" {
  environment_id = var.environment_id
  name           = var.name
}
output "id" {
  value = pingone_population.this.id
}
"#;

#[test]
fn a_moved_block_takes_an_object_into_a_module_without_recreating_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let env = "a2b4c6d8-0000-4000-8000-00000000e001";
    write(
        path,
        "main.tf",
        &format!(
            r#"resource "pingone_population" "staff" {{
  environment_id = "{env}"
  name           = "Moved staff"
}}
"#
        ),
    );
    let applied = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");

    write(path, "modules/team/main.tf", TEAM_MODULE);
    write(
        path,
        "main.tf",
        &format!(
            r#"module "staff" {{
  source         = "./modules/team"
  environment_id = "{env}"
  name           = "Moved staff"
}}

moved {{
  from = pingone_population.staff
  to   = module.staff.pingone_population.this
}}

resource "pingone_group" "g" {{
  environment_id = "{env}"
  name           = "Staff group"
  depends_on     = [module.staff]
}}
"#
        ),
    );
    let plan = run(pingform(path).args(["plan", "--emulator"]));
    assert_eq!(plan.code, 0, "{plan}");
    assert!(
        plan.stdout.contains(
            "# pingone_population.staff has moved to module.staff.pingone_population.this"
        ),
        "{plan}"
    );
    assert!(
        plan.stdout
            .contains("Plan: 1 to add, 0 to change, 0 to destroy."),
        "{plan}"
    );
    let graph = run(pingform(path).arg("graph"));
    assert!(
        graph
            .stdout
            .contains(r#""module.staff.pingone_population.this" -> "pingone_group.g""#),
        "{graph}"
    );
}

/// `validate` on a root module calling `modules/team` with `call`.
fn validate_call(call: &str, module: &str) -> common::Run {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "modules/team/main.tf", module);
    write(dir.path(), "main.tf", call);
    run(pingform(dir.path()).arg("validate"))
}

#[test]
fn wrong_module_calls_are_reported_with_where_and_what_to_do() {
    let missing = validate_call(
        "module \"t\" {\n  source = \"./modules/team\"\n  nmae   = \"x\"\n}\n",
        TEAM_MODULE,
    );
    assert_eq!(missing.code, 1, "{missing}");
    for expected in [
        "Unsupported argument",
        "main.tf:3:3",
        "did you mean `name`?",
        "Missing required argument",
        "`environment_id` is not set",
    ] {
        assert!(missing.stderr.contains(expected), "{expected}: {missing}");
    }

    let output = validate_call(
        "module \"t\" {\n  source = \"./modules/team\"\n  environment_id = \"e\"\n  name = \"n\"\n}\noutput \"x\" {\n  value = module.t.idd\n}\n",
        TEAM_MODULE,
    );
    assert_eq!(output.code, 1, "{output}");
    assert!(
        output.stderr.contains("declares no output `idd`"),
        "{output}"
    );
    assert!(
        output.stderr.contains("did you mean `module.t.id`?"),
        "{output}"
    );

    let registry = validate_call(
        "module \"t\" {\n  source  = \"pingidentity/environment/pingone\"\n  version = \"1.0\"\n}\n",
        TEAM_MODULE,
    );
    assert_eq!(registry.code, 1, "{registry}");
    assert!(registry.stderr.contains("not a local path"), "{registry}");
    assert!(
        registry.stderr.contains("only for registry modules"),
        "{registry}"
    );

    let absent = validate_call(
        "module \"t\" {\n  source = \"./modules/nope\"\n}\n",
        TEAM_MODULE,
    );
    assert_eq!(absent.code, 1, "{absent}");
    assert!(absent.stderr.contains("Module not found"), "{absent}");

    let inner = TEAM_MODULE.replace("var.name", "var.nam");
    let inside = validate_call(
        "module \"t\" {\n  source = \"./modules/team\"\n  environment_id = \"e\"\n  name = \"n\"\n}\n",
        &inner,
    );
    assert_eq!(inside.code, 1, "{inside}");
    assert!(
        inside.stderr.contains("modules/team/main.tf:9:20"),
        "{inside}"
    );
    assert!(
        inside.stderr.contains("did you mean `var.name`?"),
        "{inside}"
    );

    let own_provider = format!("provider \"pingone\" {{}}\n{TEAM_MODULE}");
    let provider = validate_call(
        "module \"t\" {\n  source = \"./modules/team\"\n  environment_id = \"e\"\n  name = \"n\"\n}\n",
        &own_provider,
    );
    assert_eq!(provider.code, 1, "{provider}");
    assert!(
        provider
            .stderr
            .contains("Provider configuration in a module"),
        "{provider}"
    );

    let looping = validate_call(
        "module \"t\" {\n  source = \"./modules/team\"\n}\n",
        "module \"again\" {\n  source = \"../team\"\n}\n",
    );
    assert_eq!(looping.code, 1, "{looping}");
    assert!(looping.stderr.contains("Module calls itself"), "{looping}");
}

#[test]
fn a_module_instance_can_be_targeted_as_a_whole() {
    let dir = example("modules");
    let path = dir.path();
    let plan =
        run(pingform(path).args(["plan", "--emulator", "--target", r#"module.team["sales"]"#]));
    assert_eq!(plan.code, 0, "{plan}");
    assert!(
        plan.stdout
            .contains("Plan: 3 to add, 0 to change, 0 to destroy."),
        "{plan}"
    );
    assert!(!plan.stdout.contains(r#"module.team["eng"]"#), "{plan}");
    let unknown = run(pingform(path).args(["plan", "--emulator", "--target", "module.teams"]));
    assert_eq!(unknown.code, 1, "{unknown}");
    assert!(
        unknown
            .stderr
            .contains("there is no such module in the configuration"),
        "{unknown}"
    );
}

#[test]
fn a_failure_in_one_module_instance_does_not_skip_the_others() {
    let dir = example("modules");
    let path = dir.path();
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    // A population made by hand takes the name the "eng" instance wants.
    let env = served.credentials.environment_id.clone();
    served.request(
        reqwest::Method::POST,
        &format!("/environments/{env}/populations"),
        Some(serde_json::json!({ "name": "Engineering team" })),
    );
    let applied = run(&mut served.pingform(path, &["apply", "--auto-approve"]));
    assert_eq!(applied.code, 1, "{applied}");
    let out = format!("{}{}", applied.stdout, applied.stderr);
    assert!(
        out.contains(r#"module.team["sales"].pingone_group.this: Creation complete"#),
        "{applied}"
    );
    assert!(
        out.contains(
            r#"module.team["eng"].pingone_group.this: skipped because module.team["eng"].pingone_population.this failed"#
        ),
        "{applied}"
    );
    assert!(
        !out.contains(r#"module.team["sales"].pingone_group.this: skipped"#),
        "{applied}"
    );
}
