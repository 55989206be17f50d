//! `pingform show FILE`: print a saved plan, as text or JSON, with the risks flagged
//! when it was made and the changes to outputs worked out from the configuration
//! snapshot it holds.

use std::collections::BTreeMap;
use std::path::Path;

use engine::Value;
use engine::plan::Plan;
use engine::plan::file::{PlanFile, SavedVariable};
use engine::plan::outputs::OutputChange;
use engine::providers::Providers;
use engine::render::Context;
use engine::variables::Given;

use crate::Status;
use crate::cli::ShowArgs;
use crate::report::{CliError, Ui};

pub(crate) fn run(ui: &Ui, args: ShowArgs) -> Result<Status, CliError> {
    let saved = PlanFile::read(&args.file)
        .map_err(|e| CliError::from_error("could not read the saved plan", &e))?;
    let mut plan = saved.plan();
    plan.prior = prior_state(&plan);
    let providers = crate::session::providers(Default::default());
    let config = saved.config(Path::new(".")).ok();
    let variables = config
        .as_ref()
        .map(|config| variables(&saved, config))
        .unwrap_or_default();
    let outputs = config
        .as_ref()
        .map(|config| outputs(config, &variables, &plan, &providers))
        .unwrap_or_default();
    // A file from before risks were saved: the engine's own risks (deletes and
    // replacements) can still be worked out; the provider's need the live tenant.
    let risks = saved
        .risks()
        .unwrap_or_else(|| engine::plan::risk::assess(&plan, &providers));
    let context = Context {
        schemas: &providers,
        outputs: &outputs,
        variables: &variables,
        config: config.as_ref(),
        risks: &risks,
    };
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        engine::render::json::render_plan(&plan, &context, &mut out)
    } else {
        engine::render::human::render_plan(&plan, &context, &mut out, ui.style)
    };
    written.map_err(|e| CliError::from_error("could not write the plan", &e))?;
    Ok(Status::Success)
}

/// The objects as they were when the plan was made (the `before` of each change), for
/// the outputs' old values and the JSON plan's `prior_state`. Sensitive values are not
/// in the file: the tokens that stand in for them do here, so an output that reads an
/// unchanged secret is unchanged (the JSON plan masks them as it masks secrets).
fn prior_state(plan: &Plan) -> state::State {
    let mut prior = state::State::new();
    for change in &plan.changes {
        let Some(attributes) = change.before.as_ref().and_then(Value::to_json) else {
            continue;
        };
        prior.upsert(change.address.to_state(attributes, Vec::new()));
    }
    prior
}

/// The saved variables; sensitive ones are not in the file, so they are unknown (and
/// marked) here.
fn variables(saved: &PlanFile, config: &engine::config::Config) -> BTreeMap<String, Value> {
    let mut values: BTreeMap<String, Value> = saved
        .given_values(config)
        .into_iter()
        .filter_map(|(name, given)| match given {
            Given::Json { value, .. } => Some((name, value)),
            _ => None,
        })
        .collect();
    for (name, variable) in &saved.variables {
        if let SavedVariable::SensitiveHash { .. } = variable {
            values.insert(name.clone(), Value::sensitive(Value::Unknown));
        }
    }
    values
}

/// The output changes, or none when they cannot be worked out from the file alone.
fn outputs(
    config: &engine::config::Config,
    variables: &BTreeMap<String, Value>,
    plan: &Plan,
    providers: &Providers,
) -> Vec<OutputChange> {
    engine::plan::outputs::changes(config, variables, plan, providers).unwrap_or_default()
}
