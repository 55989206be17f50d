//! The share of an apply's wall time spent persisting state, for a
//! 10,000-object apply against the emulator (no injected latency), with the
//! local backend and with PostgreSQL (a server started for the run; skipped
//! without the PostgreSQL binaries). Prints figures; asserts nothing about time.
//!
//! ```text
//! cargo bench --bench persist_share
//! PERSIST_SHARE_OBJECTS=2000 PINGFORM_STATE_PASSPHRASE=x cargo bench --bench persist_share
//! ```
//!
//! The figures come from the apply itself (`ApplyReport::persisting` and the
//! time around the engine's apply), which `pingform apply` logs under
//! `PINGFORM_LOG=pingform::persist=info`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::time::Instant;

use state::testing::TestServer;

const DEFAULT_OBJECTS: usize = 10_000;

fn main() {
    let objects = std::env::var("PERSIST_SHARE_OBJECTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_OBJECTS);
    let encrypted = std::env::var_os("PINGFORM_STATE_PASSPHRASE").is_some();
    println!(
        "persist share: {objects} populations created by one apply{}",
        if encrypted { ", state encrypted" } else { "" }
    );
    let data = tempfile::tempdir().expect("temp dir");
    let served = common::serve(&data.path().join("tenant.json"));
    measure("local", &served, objects, None);
    match TestServer::start() {
        Some(server) => measure("postgres", &served, objects, Some(&server.conn_str())),
        None => println!("postgres: skipped (no PostgreSQL binaries)"),
    }
}

/// Applies `objects` new populations with the local backend, or PostgreSQL at `pg`.
fn measure(name: &str, served: &common::Served, objects: usize, pg: Option<&str>) {
    let dir = tempfile::tempdir().expect("temp dir");
    common::write_populations(dir.path(), objects, name);
    if let Some(conn_str) = pg {
        use_pg(dir.path(), conn_str);
    }
    let mut cmd = served.pingform(dir.path(), &["apply", "--auto-approve"]);
    cmd.env("PINGFORM_LOG", "pingform::persist=info");
    if let Some(passphrase) = std::env::var_os("PINGFORM_STATE_PASSPHRASE") {
        cmd.env("PINGFORM_STATE_PASSPHRASE", passphrase);
    }
    let started = Instant::now();
    let result = common::run(&mut cmd);
    let command = started.elapsed();
    assert_eq!(result.code, 0, "{name}: the apply failed:\n{result}");
    let log = strip_ansi(&result.stderr);
    let field = |key: &str| -> f64 {
        log.split_whitespace()
            .find_map(|word| word.strip_prefix(key)?.strip_prefix('=')?.parse().ok())
            .unwrap_or_else(|| panic!("{name}: no `{key}` in the apply's log:\n{}", result.stderr))
    };
    let (apply_ms, persisting_ms) = (field("apply_ms"), field("persisting_ms"));
    println!(
        "{name}: apply {:.2} s (whole command {:.2} s), persisting {:.3} s = {:.2}% of the apply's wall time",
        apply_ms / 1e3,
        command.as_secs_f64(),
        persisting_ms / 1e3,
        persisting_ms / apply_ms * 100.0
    );
}

/// The log without terminal colour codes (`ESC [ ... m`).
fn strip_ansi(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|&c| c == 'm');
        } else {
            plain.push(c);
        }
    }
    plain
}

fn use_pg(dir: &Path, conn_str: &str) {
    let main = dir.join("main.tf");
    let mut text = std::fs::read_to_string(&main).expect("main.tf");
    text.push_str(&format!(
        "\nterraform {{\n  backend \"pg\" {{\n    conn_str = \"{conn_str}\"\n  }}\n}}\n"
    ));
    std::fs::write(main, text).expect("write main.tf");
}
