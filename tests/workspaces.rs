//! State in PostgreSQL (`terraform { backend "pg" {} }`) against a real server
//! these tests start, and workspaces with both backends.

mod common;

use common::{Served, populations_config, run, serve};
use state::testing::TestServer;

/// Appends a pg backend block pointing at `server` to the configuration in `dir`.
fn use_pg(dir: &std::path::Path, conn_str: Option<&str>) {
    let main = dir.join("main.tf");
    let mut text = std::fs::read_to_string(&main).unwrap();
    let conn = conn_str
        .map(|c| format!("    conn_str    = \"{c}\"\n"))
        .unwrap_or_default();
    text.push_str(&format!(
        "\nterraform {{\n  backend \"pg\" {{\n{conn}    schema_name = \"team_iam\"\n  }}\n}}\n"
    ));
    std::fs::write(main, text).unwrap();
}

fn workspace(served: &Served, dir: &std::path::Path, args: &[&str]) -> common::Run {
    let mut all = vec!["workspace"];
    all.extend_from_slice(args);
    run(&mut served.pingform(dir, &all))
}

#[test]
fn state_lives_in_postgres_per_workspace() {
    let Some(server) = TestServer::start() else {
        return;
    };
    let dir = populations_config(2, "pg");
    let path = dir.path();
    use_pg(path, Some(&server.conn_str()));
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));

    let applied = run(&mut served.pingform(path, &["apply", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    assert!(
        !path.join("pingform.tfstate").exists(),
        "no local state file"
    );
    let plan = run(&mut served.pingform(path, &["plan", "--detailed-exitcode"]));
    assert_eq!(plan.code, 0, "state was read back from PostgreSQL: {plan}");

    let created = workspace(&served, path, &["new", "staging"]);
    assert_eq!(created.code, 0, "{created}");
    let listed = workspace(&served, path, &["list"]);
    assert_eq!(listed.stdout, "  default\n* staging\n", "{listed}");
    let plan = run(&mut served.pingform(path, &["plan", "--detailed-exitcode"]));
    assert_eq!(plan.code, 2, "the new workspace starts empty: {plan}");
    assert!(plan.stdout.contains("2 to add"), "{plan}");

    assert_eq!(workspace(&served, path, &["select", "default"]).code, 0);
    let refused = workspace(&served, path, &["select", "nope"]);
    assert_eq!(refused.code, 1, "{refused}");
    assert!(
        refused.stderr.contains("pingform workspace new nope"),
        "{refused}"
    );
    assert_eq!(workspace(&served, path, &["delete", "staging"]).code, 0);
    assert_eq!(workspace(&served, path, &["list"]).stdout, "* default\n");

    let destroyed = run(&mut served.pingform(path, &["destroy", "--auto-approve"]));
    assert_eq!(destroyed.code, 0, "{destroyed}");
    assert_eq!(served.population_names(), ["Default"]);
}

#[test]
fn the_connection_string_can_come_from_the_environment_and_errors_say_what_to_do() {
    let Some(server) = TestServer::start() else {
        return;
    };
    let dir = populations_config(1, "pgenv");
    let path = dir.path();
    use_pg(path, None);
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));

    let missing = run(served
        .pingform(path, &["plan"])
        .env_remove("PINGFORM_PG_CONN_STR"));
    assert_eq!(missing.code, 1, "{missing}");
    assert!(missing.stderr.contains("PINGFORM_PG_CONN_STR"), "{missing}");

    let wrong = format!("{} user=nobody_here", server.conn_str());
    let refused = run(served
        .pingform(path, &["plan"])
        .env("PINGFORM_PG_CONN_STR", wrong));
    assert_eq!(refused.code, 1, "{refused}");
    assert!(
        refused.stderr.contains("nobody_here") && refused.stderr.contains("hint:"),
        "{refused}"
    );

    let applied = run(served
        .pingform(path, &["apply", "--auto-approve"])
        .env("PINGFORM_PG_CONN_STR", server.conn_str()));
    assert_eq!(applied.code, 0, "{applied}");
    assert!(
        !applied.stdout.contains("nobody_here") && !applied.stderr.contains("conn"),
        "{applied}"
    );
}

#[test]
fn local_workspaces_keep_separate_state_files() {
    let dir = populations_config(1, "localws");
    let path = dir.path();
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    assert_eq!(
        run(&mut served.pingform(path, &["apply", "--auto-approve"])).code,
        0
    );

    assert_eq!(workspace(&served, path, &["new", "dev"]).code, 0);
    assert_eq!(workspace(&served, path, &["show"]).stdout, "dev\n");
    let plan = run(&mut served.pingform(path, &["plan", "--detailed-exitcode"]));
    assert_eq!(plan.code, 2, "{plan}");
    assert_eq!(workspace(&served, path, &["select", "default"]).code, 0);
    let plan = run(&mut served.pingform(path, &["plan", "--detailed-exitcode"]));
    assert_eq!(plan.code, 0, "{plan}");
    assert_eq!(
        workspace(&served, path, &["list"]).stdout,
        "* default\n  dev\n"
    );
    assert_eq!(workspace(&served, path, &["delete", "dev"]).code, 0);
    assert!(!path.join("pingform.tfstate.d/dev").exists());
}
