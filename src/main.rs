//! The `pingform` command: argument parsing, wiring and exit codes only.
//! Configuration, planning and applying live in `engine`; PingOne in `pingone`.

mod backend;
mod cli;
mod commands;
mod embedded;
mod observer;
mod report;
mod session;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, EmulatorCommand};

/// What a command tells the shell: success, or success with changes
/// (under `--detailed-exitcode`). Errors exit 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Success,
    Changes,
    /// The command already reported the failure (e.g. as JSON): exit 1, print nothing more.
    Failed,
    /// `fmt --check` found files that are not formatted: exit 3, as Terraform does.
    Unformatted,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(Status::Success) => ExitCode::SUCCESS,
        Ok(Status::Changes) => ExitCode::from(2),
        Ok(Status::Failed) => ExitCode::from(1),
        Ok(Status::Unformatted) => ExitCode::from(3),
        Err(error) => {
            report::error(&error);
            ExitCode::from(1)
        }
    }
}

async fn run(cli: Cli) -> Result<Status, report::CliError> {
    let ui = report::Ui::new(cli.no_color);
    // As Terraform's -chdir: everything, including paths given to flags such as
    // `--out`, is relative to the new directory.
    if let Some(chdir) = &cli.chdir {
        std::env::set_current_dir(chdir).map_err(|e| {
            report::CliError::from_error(
                format!("cannot work in `{}` (given with -C)", chdir.display()),
                &e,
            )
        })?;
    }
    // Relative, so that diagnostics name files as the user knows them (`main.tf:3:5`).
    let dir = std::path::PathBuf::from(".");
    match cli.command {
        Command::Validate(args) => commands::validate::run(&dir, &ui, args).await,
        Command::Fmt(args) => commands::fmt::run(&dir, args),
        Command::Graph => commands::graph::run(&dir),
        Command::Providers => commands::providers::run(&dir),
        Command::Plan(args) => commands::plan::run(&dir, &ui, args).await,
        Command::Apply(args) => commands::apply::run(&dir, &ui, args, false).await,
        Command::Show(args) => commands::show::run(&ui, args),
        Command::Output(args) => commands::output::run(&dir, args).await,
        Command::Destroy(args) => commands::apply::run(&dir, &ui, args, true).await,
        Command::Import(args) => commands::import::run(&dir, args).await,
        Command::ForceUnlock(args) => commands::unlock::run(&dir, args),
        Command::State(command) => commands::state::run(&dir, command),
        Command::Workspace(command) => commands::workspace::run(&dir, command),
        Command::Emulator(EmulatorCommand::Serve(args)) => {
            commands::emulator::serve(&dir, args).await
        }
    }
}

/// Logs go to stderr, off unless `PINGFORM_LOG` (e.g. `debug`) asks for them.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("PINGFORM_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
