//! The plan as Markdown for a pull-request comment: the summary, the risks a
//! reviewer must look at, then the full plan in a collapsible diff block.

use std::io::{self, Write};

use super::Style;
use crate::plan::Plan;
use crate::plan::risk::Risk;

/// Writes the comment.
pub fn render_plan(plan: &Plan, risks: &[Risk], out: &mut dyn Write) -> io::Result<()> {
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
    render_risks(risks, out)?;
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
    let mut text = Vec::new();
    super::human::render_plan(plan, &mut text, Style::default())?;
    let text = String::from_utf8_lossy(&text);
    writeln!(out, "<details><summary>Show the plan</summary>\n\n```diff")?;
    for line in text.lines() {
        writeln!(out, "{}", diff_line(line))?;
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

/// Moves a plan line's `+`/`-`/`~` marker to the first column so GitHub colours it.
fn diff_line(line: &str) -> String {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let marker = match trimmed.chars().next() {
        Some('+') => '+',
        Some('-') => '-',
        Some('~') => '!',
        _ => return line.replace("```", "` ` `"),
    };
    format!(
        "{marker}{}{}",
        " ".repeat(indent.saturating_sub(1)),
        &trimmed[1..]
    )
    .replace("```", "` ` `")
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
    use crate::plan::{Action, PlanMode, ResourceChange};
    use crate::{ResourceAddress, Value};

    fn plan(changes: Vec<ResourceChange>) -> Plan {
        Plan {
            prior: state::State::new(),
            refresh_changed_state: false,
            drift: Vec::new(),
            changes,
            mode: PlanMode::Normal,
            data: Default::default(),
        }
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
        let mut out = Vec::new();
        render_plan(&plan(vec![change]), &risks, &mut out).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    }

    #[test]
    fn no_changes() {
        let mut out = Vec::new();
        render_plan(&plan(vec![]), &[], &mut out).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("**No changes.**"));
    }
}
