//! `pingform output [NAME] [--json|--raw]`: output values from the state. Outputs
//! that use a data source read it live (data, which may hold secrets, is never
//! stored), so only those contact PingOne. Sensitive values appear only with
//! `--json` or `--raw`, never in the plain listing.

use std::path::Path;

use std::collections::BTreeMap;

use engine::outputs::{OutputValue, evaluate_outputs, resource_values};
use engine::plan::PlanMode;
use engine::{ResourceAddress, Value};

use crate::Status;
use crate::cli::{OutputArgs, RunArgs};
use crate::report::CliError;
use crate::session;

pub(crate) async fn run(dir: &Path, args: OutputArgs) -> Result<Status, CliError> {
    let run = RunArgs {
        vars: args.vars.clone(),
        emulator: args.emulator,
        ..RunArgs::default()
    };
    let (config, variables, providers, state) = session::offline(dir, &run)?;
    let data = if config.all_resources().iter().any(|r| r.address.is_data()) {
        read_data(dir, &run).await?
    } else {
        BTreeMap::new()
    };
    let resources = resource_values(&config, &state, &data, &providers);
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

/// The data sources, read now through a plan that changes nothing.
async fn read_data(
    dir: &Path,
    run: &RunArgs,
) -> Result<BTreeMap<ResourceAddress, Value>, CliError> {
    let session = session::Session::open(dir, run, "output").await?;
    let selection = engine::plan::select::Selection::default();
    let plan = super::make_plan(&session, PlanMode::Normal, false, &selection).await?;
    Ok(plan.data)
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
