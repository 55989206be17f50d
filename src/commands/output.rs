//! `pingform output [NAME] [--json|--raw]`: output values from the state, without
//! contacting PingOne. Sensitive values appear only with `--json` or `--raw`, never
//! in the plain listing.

use std::path::Path;

use engine::outputs::{OutputValue, evaluate_outputs, resource_values};

use crate::Status;
use crate::cli::{OutputArgs, RunArgs};
use crate::report::CliError;
use crate::session;

pub(crate) fn run(dir: &Path, args: OutputArgs) -> Result<Status, CliError> {
    let run = RunArgs {
        vars: args.vars.clone(),
        ..RunArgs::default()
    };
    let (config, variables, providers, state) = session::offline(dir, &run)?;
    let resources = resource_values(&config, &state, &providers);
    let mut outputs = evaluate_outputs(&config, &variables, &resources).map_err(|diagnostics| {
        CliError::Diagnostics {
            sources: config.sources.clone(),
            diagnostics,
        }
    })?;
    if let Some(name) = &args.name {
        outputs.retain(|o| &o.name == name);
        if outputs.is_empty() {
            return Err(
                CliError::msg(format!("no output named `{name}` in the configuration"))
                    .with_hint("`pingform output` lists every output"),
            );
        }
    }
    if args.json {
        print_json(&outputs, args.name.is_some());
    } else if args.raw {
        print_raw(&outputs)?;
    } else {
        for output in &outputs {
            println!("{} = {}", output.name, shown(output));
        }
    }
    Ok(Status::Success)
}

fn shown(output: &OutputValue) -> String {
    if output.sensitive {
        "<sensitive>".to_string()
    } else if !output.value.is_wholly_known() {
        "(not known until the resources are applied)".to_string()
    } else {
        output.value.to_string()
    }
}

/// Terraform's shape: `{"name": {"sensitive": bool, "value": ...}}`, or the value alone for one name.
fn print_json(outputs: &[OutputValue], one: bool) {
    let json = |o: &OutputValue| o.value.to_json().unwrap_or(serde_json::Value::Null);
    let text = if one {
        outputs.first().map(json).unwrap_or_default().to_string()
    } else {
        let map: serde_json::Map<String, serde_json::Value> = outputs
            .iter()
            .map(|o| {
                let body = serde_json::json!({"sensitive": o.sensitive, "value": json(o)});
                (o.name.clone(), body)
            })
            .collect();
        serde_json::to_string_pretty(&map).unwrap_or_default()
    };
    println!("{text}");
}

/// Strings unquoted, other values as JSON: for `$(pingform output --raw x)`.
fn print_raw(outputs: &[OutputValue]) -> Result<(), CliError> {
    let Some(output) = outputs.first() else {
        return Ok(());
    };
    match output.value.to_json() {
        Some(serde_json::Value::String(text)) => println!("{text}"),
        Some(other) => println!("{other}"),
        None => {
            return Err(CliError::msg(format!(
                "the output `{}` is not known until the resources are applied",
                output.name
            )));
        }
    }
    Ok(())
}
