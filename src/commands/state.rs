//! `pingform state list|show|rm|mv|pull|push`: read and edit the record of what
//! pingform manages, under the state lock.

use std::io::Read;
use std::path::Path;

use engine::plan::relocate::{destination, move_instance, rename_dependencies};

use crate::Status;
use crate::cli::StateCommand;
use crate::report::CliError;
use crate::session::state_error;

pub(crate) fn run(dir: &Path, command: StateCommand) -> Result<Status, CliError> {
    let config = engine::config::load_dir(dir).map_err(|e| {
        CliError::from_error("could not load the configuration to find its backend", &e)
    })?;
    let workspace = crate::backend::current_workspace(dir);
    let backend = crate::backend::open(dir, &config, &workspace)?.into_backend();
    match command {
        StateCommand::List(args) => {
            let state = locked(backend.as_ref(), "state list", &args)?;
            for resource in &state.resources {
                println!("{}", resource.address());
            }
        }
        StateCommand::Show(args) => {
            let state = locked(backend.as_ref(), "state show", &args.lock)?;
            show(&state, &args.address)?;
        }
        StateCommand::Rm(args) => {
            let mut state = locked(backend.as_ref(), "state rm", &args.lock)?;
            let mut removed = Vec::new();
            for address in &args.addresses {
                let matching = address.instances_in(&state);
                if matching.is_empty() {
                    return Err(not_in_state(address));
                }
                for found in matching {
                    state.remove(
                        &found.module,
                        &found.type_name,
                        &found.name,
                        found.key.as_ref(),
                    );
                    removed.push(found);
                }
            }
            save(backend.as_ref(), &mut state)?;
            for address in removed {
                println!(
                    "Removed {address}: it still exists in PingOne, but pingform no longer manages it."
                );
            }
        }
        StateCommand::Mv(args) => {
            let mut state = locked(backend.as_ref(), "state mv", &args.lock)?;
            rename(&mut state, &args.from, &args.to)?;
            save(backend.as_ref(), &mut state)?;
            println!("Moved {} to {}.", args.from, args.to);
        }
        StateCommand::Pull(args) => {
            backend
                .lock("state pull", args.lock_timeout)
                .map_err(|e| state_error("could not lock the state", &e))?;
            let state = backend
                .recover()
                .map_err(|e| state_error("could not load state", &e))?
                .unwrap_or_default();
            let text = serde_json::to_string_pretty(&state).expect("state serializes");
            println!("{text}");
        }
        StateCommand::Push(args) => {
            let (origin, text) = read_input(&args.path)?;
            // An encrypted copy (of a state file, say) is accepted as well as plain JSON.
            let pushed = state::decode(&origin, text.as_bytes(), &crate::backend::encryption())
                .map_err(|e| state_error("could not read the state to push", &e))?;
            backend
                .lock("state push", args.lock.lock_timeout)
                .map_err(|e| state_error("could not lock the state", &e))?;
            let current = backend
                .recover()
                .map_err(|e| state_error("could not load state", &e))?;
            state::transfer::check_push(current.as_ref(), &pushed, args.force)
                .map_err(|e| state_error("state push refused", &e))?;
            backend
                .store(&pushed)
                .map_err(|e| state_error("could not store the pushed state", &e))?;
            println!(
                "Pushed state serial {} ({} object(s)) to {}.",
                pushed.serial,
                pushed.resources.len(),
                backend.describe()
            );
        }
    }
    Ok(Status::Success)
}

/// The file's text, or standard input's for `-`.
fn read_input(path: &Path) -> Result<(std::path::PathBuf, String), CliError> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::from_error("could not read standard input", &e))?;
        return Ok(("<standard input>".into(), text));
    }
    std::fs::read_to_string(path)
        .map(|text| (path.to_path_buf(), text))
        .map_err(|e| CliError::from_error(format!("could not read `{}`", path.display()), &e))
}

/// Locks the state for `operation` and loads it.
fn locked(
    backend: &dyn state::Backend,
    operation: &str,
    args: &crate::cli::StateLockArgs,
) -> Result<state::State, CliError> {
    backend
        .lock(operation, args.lock_timeout)
        .map_err(|e| state_error("could not lock the state", &e))?;
    Ok(backend
        .recover()
        .map_err(|e| state_error("could not load state", &e))?
        .unwrap_or_default())
}

fn save(backend: &dyn state::Backend, state: &mut state::State) -> Result<(), CliError> {
    state.serial += 1;
    backend
        .store(state)
        .map_err(|e| state_error("could not store the state", &e))
}

fn not_in_state(address: &engine::ResourceAddress) -> CliError {
    CliError::msg(format!("`{address}` is not in the state"))
        .with_hint("`pingform state list` shows every address in the state")
}

/// Moves FROM to TO (an instance, or a block with all its instances), and every
/// dependency on FROM with it.
fn rename(
    state: &mut state::State,
    from: &engine::ResourceAddress,
    to: &engine::ResourceAddress,
) -> Result<(), CliError> {
    if from.type_name != to.type_name {
        return Err(CliError::msg(format!(
            "cannot move `{from}` to `{to}`: an object keeps its resource type"
        )));
    }
    let moving = from.instances_in(state);
    if moving.is_empty() {
        return Err(not_in_state(from));
    }
    if let Some(taken) = moving
        .iter()
        .map(|found| destination(from, to, found))
        .find(|target| target != from && target.in_state(state).is_some())
    {
        return Err(
            CliError::msg(format!("`{taken}` is already in the state")).with_hint(format!(
                "remove it first with `pingform state rm {taken}` if it should go"
            )),
        );
    }
    for found in &moving {
        move_instance(state, found, &destination(from, to, found));
    }
    if from.key.is_none() && to.key.is_none() {
        rename_dependencies(state, from, to);
    }
    Ok(())
}

/// One object's attributes in HCL form, with the schema's sensitive ones masked.
fn show(state: &state::State, address: &engine::ResourceAddress) -> Result<(), CliError> {
    let resource = address
        .in_state(state)
        .ok_or_else(|| not_in_state(address))?;
    let providers = crate::session::providers(pingone::Settings::default());
    let sensitive = providers
        .resource_schema(&address.type_name)
        .map(engine::plan::diff::sensitive_attributes)
        .unwrap_or_default();
    println!("# {address}:");
    println!("resource \"{}\" \"{}\" {{", address.type_name, address.name);
    let attributes = resource.attributes.as_object().cloned().unwrap_or_default();
    let width = attributes.keys().map(String::len).max().unwrap_or(0);
    for (name, value) in &attributes {
        let shown = if sensitive.contains(name) && !value.is_null() {
            "(sensitive value)".to_string()
        } else {
            engine::Value::from_json(value).to_string()
        };
        println!("    {name:<width$} = {shown}");
    }
    println!("}}");
    Ok(())
}
