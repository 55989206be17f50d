//! Engine only: `pingform plan --refresh=false` of a generated configuration on an empty
//! state (load, evaluate, graph, diff, and rendering the plan; the provider's setup makes
//! its two calls, a token and the role list, and nothing else), at 10,000 and 100,000
//! resources, to show linear growth. When `terraform` is on PATH, the same shape as
//! `terraform_data` resources, planned by `terraform plan -refresh=false` in the same run.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::child::{Measured, Program};
use crate::error::BenchError;
use crate::tenant::Tenant;

/// How long a `terraform plan` may take before it is stopped and reported as such.
const TERRAFORM_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(180);

/// One measured engine-only plan.
#[derive(Debug, Serialize)]
pub(crate) struct EngineRun {
    /// `pingform` or `terraform`.
    pub(crate) tool: &'static str,
    /// Resources in the configuration: one population per ten, the rest groups each
    /// naming one population (so the graph has an edge per group).
    pub(crate) resources: usize,
    /// Requests the emulator counted (pingform only).
    pub(crate) requests: Option<u64>,
    /// Wall time, peak memory, exit code.
    pub(crate) run: Measured,
}

/// Measures pingform (and terraform, when found) at each size.
pub(crate) async fn run(
    pingform: &Path,
    sizes: &[usize],
) -> Result<(Vec<EngineRun>, Option<PathBuf>), BenchError> {
    let tenant = Tenant::start().await?;
    let terraform = on_path("terraform");
    let mut runs = Vec::new();
    for &resources in sizes {
        eprintln!("engine: {resources} resources");
        let dir = tempfile::tempdir().map_err(BenchError::io("create", std::env::temp_dir()))?;
        write_pingform(dir.path(), resources, tenant.environment_id())?;
        let mut program = Program::new(
            pingform,
            &[
                "--no-color",
                "plan",
                "--refresh=false",
                "--detailed-exitcode",
            ],
            dir.path(),
        );
        for (key, value) in tenant.env() {
            program = program.env(&key, value);
        }
        tenant.emulator().reset_counters();
        let run = blocking(move || program.run_expecting(&[2])).await?;
        runs.push(EngineRun {
            tool: "pingform",
            resources,
            requests: Some(tenant.requests()),
            run,
        });
        if let Some(terraform) = &terraform {
            eprintln!("engine: terraform, {resources} resources");
            let dir =
                tempfile::tempdir().map_err(BenchError::io("create", std::env::temp_dir()))?;
            write_terraform(dir.path(), resources)?;
            let program = Program::new(
                terraform,
                &[
                    "plan",
                    "-input=false",
                    "-lock=false",
                    "-refresh=false",
                    "-no-color",
                ],
                dir.path(),
            )
            .env("TF_IN_AUTOMATION", "1")
            .timeout(TERRAFORM_TIMEOUT);
            // Terraform's figure is a comparison: a failure or timeout is reported, not fatal.
            let run = blocking(move || program.run()).await?;
            runs.push(EngineRun {
                tool: "terraform",
                resources,
                requests: None,
                run,
            });
        }
    }
    Ok((runs, terraform))
}

async fn blocking(
    f: impl FnOnce() -> Result<Measured, BenchError> + Send + 'static,
) -> Result<Measured, BenchError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| BenchError::Emulator(e.to_string()))?
}

/// `name` in a directory of `PATH`, if there is one.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

fn populations(resources: usize) -> usize {
    resources.div_ceil(10)
}

fn write_pingform(dir: &Path, resources: usize, env: &str) -> Result<(), BenchError> {
    let pops = populations(resources);
    let mut text =
        format!("variable \"environment_id\" {{\n  type    = string\n  default = \"{env}\"\n}}\n");
    for i in 0..pops {
        let _ = write!(
            text,
            "\nresource \"pingone_population\" \"p{i:06}\" {{\n  environment_id = var.environment_id\n  name           = \"engine-p{i:06}\"\n}}\n"
        );
    }
    for i in 0..resources - pops {
        let _ = write!(
            text,
            "\nresource \"pingone_group\" \"g{i:06}\" {{\n  environment_id = var.environment_id\n  name           = \"engine-g{i:06}\"\n  population_id  = pingone_population.p{:06}.id\n}}\n",
            i % pops
        );
    }
    let path = dir.join("main.tf");
    std::fs::write(&path, text).map_err(BenchError::io("write", path))
}

fn write_terraform(dir: &Path, resources: usize) -> Result<(), BenchError> {
    let pops = populations(resources);
    let mut text = String::new();
    for i in 0..pops {
        let _ = write!(
            text,
            "resource \"terraform_data\" \"p{i:06}\" {{\n  input = \"engine-p{i:06}\"\n}}\n\n"
        );
    }
    for i in 0..resources - pops {
        let _ = write!(
            text,
            "resource \"terraform_data\" \"g{i:06}\" {{\n  input = {{\n    name          = \"engine-g{i:06}\"\n    population_id = terraform_data.p{:06}.id\n  }}\n}}\n\n",
            i % pops
        );
    }
    let path = dir.join("main.tf");
    std::fs::write(&path, text).map_err(BenchError::io("write", path))
}
