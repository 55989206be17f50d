//! The plan as Markdown for a pull-request comment: the summary, the risks a
//! reviewer must look at, then the full plan in a collapsible diff block.

use std::io::{self, Write};

use super::Context;
use super::lines::PlanLine;
use crate::plan::Plan;
use crate::plan::risk::Risk;

/// Writes the comment; the risks are those of `context`.
pub fn render_plan(plan: &Plan, context: &Context<'_>, out: &mut dyn Write) -> io::Result<()> {
    let counts = plan.counts();
    writeln!(out, "## pingform plan\n")?;
    if !plan.has_changes() {
        writeln!(
            out,
            "**No changes.** The live objects match the configuration."
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "**Plan:** {}{} to add, {} to change, {} to destroy.\n",
        match counts.import {
            0 => String::new(),
            n => format!("{n} to import, "),
        },
        counts.add,
        counts.change,
        counts.destroy
    )?;
    render_risks(context.risks, out)?;
    if !plan.drift.is_empty() {
        writeln!(out, "### Changed outside pingform ({})\n", plan.drift.len())?;
        for drift in &plan.drift {
            writeln!(
                out,
                "- `{}` {}",
                drift.address,
                drift.reason.as_deref().unwrap_or("drifted")
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "<details><summary>Show the plan</summary>\n\n```diff")?;
    // The risks have their own section above; the diff block is the plan alone.
    let without_risks = Context {
        risks: &[],
        ..*context
    };
    for line in super::human::plan_lines(plan, &without_risks) {
        writeln!(out, "{}", diff_line(&line))?;
    }
    writeln!(out, "```\n\n</details>")
}

fn render_risks(risks: &[Risk], out: &mut dyn Write) -> io::Result<()> {
    if risks.is_empty() {
        return writeln!(out, "No risky changes flagged.\n");
    }
    writeln!(out, "### :warning: Risks ({})\n", risks.len())?;
    for risk in risks {
        writeln!(out, "- `{}` {}", risk.address, escape(&risk.message))?;
    }
    writeln!(out)
}

/// A plan line with its `+`/`-`/`~` marker moved to the first column, where GitHub's
/// `diff` highlighting looks for it (`~` becomes `!`); the text keeps its column.
fn diff_line(line: &PlanLine) -> String {
    let first = match line.symbol {
        Some("+") => '+',
        Some("-") => '-',
        Some("~") => '!',
        _ => return fence_safe(&line.plain()),
    };
    let bare = PlanLine {
        symbol: None,
        ..line.clone()
    };
    match bare.plain().strip_prefix(' ') {
        Some(rest) => fence_safe(&format!("{first}{rest}")),
        None => fence_safe(&line.plain()),
    }
}

/// Keeps a value holding a code fence from closing the diff block.
fn fence_safe(text: &str) -> String {
    text.replace("```", "` ` `")
}

/// Keeps configuration text from being read as Markdown.
fn escape(text: &str) -> String {
    text.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::plan::{Action, ResourceChange};
    use crate::{ResourceAddress, Value};

    fn plan(changes: Vec<ResourceChange>) -> Plan {
        Plan::of_changes(changes)
    }

    #[test]
    fn summary_risks_and_diff() {
        let before = Value::Object(
            [
                ("id".to_string(), Value::from("p-1")),
                ("name".to_string(), Value::from("Staff")),
            ]
            .into(),
        );
        let change = ResourceChange {
            deposed: None,
            importing: None,
            address: ResourceAddress::new("pingone_population", "old"),
            action: Action::Delete,
            before: Some(before),
            after: None,
            replace_paths: vec![],
            sensitive: BTreeSet::new(),
            reason: Some("not in configuration".into()),
        };
        let risks = vec![Risk {
            address: change.address.clone(),
            message: "will be destroyed (not in configuration)".into(),
        }];
        let context = Context {
            risks: &risks,
            ..Context::default()
        };
        let mut out = Vec::new();
        render_plan(&plan(vec![change]), &context, &mut out).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    }

    #[test]
    fn no_changes() {
        let mut out = Vec::new();
        render_plan(&plan(vec![]), &Context::default(), &mut out).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("**No changes.**"));
    }

    #[test]
    fn every_kind_of_change() {
        use crate::render::fixture;
        let schemas = fixture::schemas();
        let outputs = fixture::outputs();
        let plan = fixture::every_kind();
        let risks = vec![Risk {
            address: ResourceAddress::new("pingone_population", "old"),
            message: "will be destroyed (not in configuration)".into(),
        }];
        let context = Context {
            schemas: &schemas,
            outputs: &outputs,
            risks: &risks,
            ..Context::default()
        };
        let mut out = Vec::new();
        render_plan(&plan, &context, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        fixture::assert_no_secret(&text);
        insta::assert_snapshot!(text);
    }
}
