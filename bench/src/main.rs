//! pingform's benchmark harness. One command runs every benchmark against the emulator,
//! started in this process on a loopback port, and writes `benchmarks.md` and
//! `benchmarks.json` (figures, machine, commit, date):
//!
//! ```text
//! cargo run --release -p pingform-bench -- [--quick] [--users N,...] [--only NAME,...] [--out DIR] [--pingform PATH]
//! ```
//!
//! `pingform` itself runs as a child process (built with `cargo build --release` first
//! unless `--pingform` names a binary), so its wall time and peak memory are its own.
//! `--quick` measures refresh at 1,000 users only; the full run at 1,000, 10,000 and 50,000;
//! `--users 10000` measures the sizes given. `--only refresh,apply,engine` runs some of the
//! benchmarks (all by default); the report leaves the others out.

mod apply;
mod child;
mod engine;
mod error;
mod fleet;
mod machine;
mod refresh;
mod report;
mod tenant;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use error::BenchError;
use report::Report;

/// The benchmarks, as `--only` names them.
const SECTIONS: [&str; 3] = ["refresh", "apply", "engine"];

/// The command line.
struct Args {
    quick: bool,
    out: PathBuf,
    pingform: Option<PathBuf>,
    /// Refresh sizes (users) given with `--users`, instead of the mode's.
    users: Option<Vec<usize>>,
    /// The benchmarks to run (`--only`); all of them by default.
    only: Vec<String>,
}

impl Args {
    fn runs(&self, section: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|s| s == section)
    }
}

fn parse_args() -> Result<Args, BenchError> {
    let mut args = Args {
        quick: false,
        out: PathBuf::from("."),
        pingform: None,
        users: None,
        only: Vec::new(),
    };
    let mut given = std::env::args().skip(1);
    while let Some(arg) = given.next() {
        let mut value = |flag: &str| {
            given
                .next()
                .ok_or_else(|| BenchError::Usage(format!("{flag} needs a value")))
        };
        match arg.as_str() {
            "--quick" => args.quick = true,
            "--out" => args.out = value("--out")?.into(),
            "--pingform" => args.pingform = Some(value("--pingform")?.into()),
            "--users" => args.users = Some(parse_sizes(&value("--users")?)?),
            "--only" => args.only = parse_sections(&value("--only")?)?,
            other => return Err(BenchError::Usage(format!("unknown argument `{other}`"))),
        }
    }
    Ok(args)
}

/// `1000,10000`: refresh sizes.
fn parse_sizes(text: &str) -> Result<Vec<usize>, BenchError> {
    text.split(',')
        .map(|n| match n.trim().parse::<usize>() {
            Ok(n) if n >= 5 => Ok(n),
            _ => Err(BenchError::Usage(format!(
                "--users takes a comma-separated list of numbers of at least 5, not `{n}`"
            ))),
        })
        .collect()
}

/// `refresh,engine`: benchmarks to run.
fn parse_sections(text: &str) -> Result<Vec<String>, BenchError> {
    text.split(',')
        .map(|s| match s.trim() {
            name if SECTIONS.contains(&name) => Ok(name.to_string()),
            other => Err(BenchError::Usage(format!(
                "--only takes a comma-separated list of {}, not `{other}`",
                SECTIONS.join(", ")
            ))),
        })
        .collect()
}

/// The workspace root (this crate's parent directory).
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_owned)
}

/// The `pingform` binary beside this one, built (release) first.
fn build_pingform() -> Result<PathBuf, BenchError> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = workspace().join("Cargo.toml");
    eprintln!("building pingform (release)");
    let status = std::process::Command::new(&cargo)
        .args([
            "build",
            "--release",
            "-p",
            "pingform",
            "--bin",
            "pingform",
            "--manifest-path",
        ])
        .arg(&manifest)
        .status()
        .map_err(|source| BenchError::Spawn {
            program: cargo.clone(),
            source,
        })?;
    if !status.success() {
        return Err(BenchError::Build(status.code()));
    }
    let me = std::env::current_exe().map_err(BenchError::io("locate", "the running binary"))?;
    Ok(me.with_file_name("pingform"))
}

async fn measure(args: &Args, pingform: &Path) -> Result<Report, BenchError> {
    let machine = machine::Machine::describe(&workspace());
    let sizes: &[usize] = match &args.users {
        Some(sizes) => sizes,
        None if args.quick => &[1_000],
        None => &[1_000, 10_000, 50_000],
    };
    let (seeding, refresh) = match args.runs("refresh") {
        true => refresh::run(pingform, sizes).await?,
        false => (Vec::new(), Vec::new()),
    };
    let apply = match args.runs("apply") {
        true => Some(apply::run(pingform).await?),
        false => None,
    };
    let (engine, terraform) = match args.runs("engine") {
        true => engine::run(pingform, &[10_000, 100_000]).await?,
        false => (Vec::new(), None),
    };
    Ok(Report {
        machine,
        mode: if args.quick { "quick" } else { "full" },
        seeding,
        refresh,
        apply,
        engine,
        terraform: terraform.map(|p| p.display().to_string()),
    })
}

fn write(out: &Path, report: &Report) -> Result<(), BenchError> {
    std::fs::create_dir_all(out).map_err(BenchError::io("create", out))?;
    let md = out.join("benchmarks.md");
    std::fs::write(&md, report.markdown()).map_err(BenchError::io("write", &md))?;
    let json = out.join("benchmarks.json");
    let text = serde_json::to_string_pretty(report).unwrap_or_default();
    std::fs::write(&json, text).map_err(BenchError::io("write", &json))?;
    eprintln!("wrote {} and {}", md.display(), json.display());
    Ok(())
}

fn main() -> ExitCode {
    let result = parse_args().and_then(|args| {
        let pingform = match &args.pingform {
            Some(path) => path.clone(),
            None => build_pingform()?,
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(BenchError::io("start", "the tokio runtime"))?;
        let report = runtime.block_on(measure(&args, &pingform))?;
        print!("{}", report.markdown());
        write(&args.out, &report)
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
