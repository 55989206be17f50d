//! `pingform workspace list|show|new|select|delete`: several states for one configuration.

use std::path::Path;

use state::backend::postgres::{DEFAULT_WORKSPACE, check_workspace};
use state::{Backend, State};

use crate::Status;
use crate::backend::{self, Chosen};
use crate::cli::WorkspaceCommand;
use crate::report::CliError;
use crate::session::state_error;

pub(crate) fn run(dir: &Path, command: WorkspaceCommand) -> Result<Status, CliError> {
    let config = engine::config::load_dir(dir).map_err(|e| {
        CliError::from_error("could not load the configuration to find its backend", &e)
    })?;
    let current = backend::current_workspace(dir);
    match command {
        WorkspaceCommand::Show => println!("{current}"),
        WorkspaceCommand::List => {
            for name in list(dir, &config, &current)? {
                let mark = if name == current { "*" } else { " " };
                println!("{mark} {name}");
            }
        }
        WorkspaceCommand::New(args) => {
            create(dir, &config, &args.name)?;
            backend::select_workspace(dir, &args.name)?;
            println!("Created and switched to workspace \"{}\".", args.name);
        }
        WorkspaceCommand::Select(args) => {
            if !list(dir, &config, &current)?.contains(&args.name) {
                return Err(
                    CliError::msg(format!("workspace \"{}\" does not exist", args.name)).with_hint(
                        format!("create it with `pingform workspace new {}`", args.name),
                    ),
                );
            }
            backend::select_workspace(dir, &args.name)?;
            println!("Switched to workspace \"{}\".", args.name);
        }
        WorkspaceCommand::Delete(args) => {
            if args.name == current {
                return Err(
                    CliError::msg(format!("workspace \"{}\" is selected", args.name)).with_hint(
                        "select another workspace first: `pingform workspace select default`",
                    ),
                );
            }
            delete(dir, &config, &args.name, args.force)?;
            println!("Deleted workspace \"{}\".", args.name);
        }
    }
    Ok(Status::Success)
}

fn list(
    dir: &Path,
    config: &engine::config::Config,
    current: &str,
) -> Result<Vec<String>, CliError> {
    match backend::open(dir, config, current)? {
        Chosen::Local(_) => Ok(backend::local_workspaces(dir)),
        Chosen::Postgres(pg) => pg
            .workspaces()
            .map_err(|e| state_error("could not list workspaces", &e)),
    }
}

fn create(dir: &Path, config: &engine::config::Config, name: &str) -> Result<(), CliError> {
    check_workspace(name).map_err(|e| state_error("invalid workspace", &e))?;
    match backend::open(dir, config, DEFAULT_WORKSPACE)? {
        Chosen::Postgres(pg) => pg
            .create_workspace(name)
            .map_err(|e| state_error("could not create the workspace", &e)),
        Chosen::Local(_) => {
            let path = backend::local_workspace_dir(dir, name);
            if name == DEFAULT_WORKSPACE || path.exists() {
                return Err(CliError::msg(format!(
                    "workspace \"{name}\" already exists"
                )));
            }
            std::fs::create_dir_all(&path).map_err(|e| {
                CliError::from_error(format!("could not create `{}`", path.display()), &e)
            })
        }
    }
}

fn delete(
    dir: &Path,
    config: &engine::config::Config,
    name: &str,
    force: bool,
) -> Result<(), CliError> {
    if name == DEFAULT_WORKSPACE {
        return Err(CliError::msg("the \"default\" workspace cannot be deleted"));
    }
    match backend::open(dir, config, DEFAULT_WORKSPACE)? {
        Chosen::Postgres(pg) => pg
            .delete_workspace(name, force)
            .map_err(|e| state_error("could not delete the workspace", &e)),
        Chosen::Local(_) => {
            let path = backend::local_workspace_dir(dir, name);
            if !path.is_dir() {
                return Err(CliError::msg(format!(
                    "workspace \"{name}\" does not exist"
                )));
            }
            let local = backend::local(backend::local_state_path(dir, name));
            local
                .lock("workspace delete", std::time::Duration::ZERO)
                .map_err(|e| state_error("could not lock the workspace", &e))?;
            let managed = local
                .load()
                .map_err(|e| state_error("could not read the workspace's state", &e))?
                .map_or(0, |s: State| s.resources.len());
            if managed > 0 && !force {
                return Err(CliError::msg(format!("workspace \"{name}\" still manages {managed} object(s)"))
                    .with_hint("destroy them first (`pingform destroy` in that workspace), or pass --force to forget them"));
            }
            drop(local);
            std::fs::remove_dir_all(&path).map_err(|e| {
                CliError::from_error(format!("could not delete `{}`", path.display()), &e)
            })
        }
    }
}
