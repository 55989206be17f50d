//! The human-readable plan, in the shape Terraform users know:
//! `+` create, `~` update in place, `-/+` replace, `-` destroy.

use std::io::{self, Write};

use super::Style;
use crate::Value;
use crate::plan::{Action, Plan, PlanMode, ResourceChange, drift};

const GREEN: &str = "32";
const YELLOW: &str = "33";
const RED: &str = "31";
const BOLD: &str = "1";

/// Attributes always shown for an update, even when unchanged, so the reader knows which object it is.
const IDENTIFYING: [&str; 2] = ["id", "name"];

/// Writes the plan: drift first, apart; then each change and the summary line.
pub fn render_plan(plan: &Plan, out: &mut dyn Write, style: Style) -> io::Result<()> {
    render_drift(plan, out, style)?;
    if plan.mode == PlanMode::RefreshOnly {
        return render_refresh_only_summary(plan, out, style);
    }
    if !plan.has_changes() {
        writeln!(
            out,
            "{} The live objects match the configuration, so no changes are needed.",
            style.paint(BOLD, "No changes.")
        )?;
        return Ok(());
    }
    writeln!(out, "pingform will perform the following actions:")?;
    let shown = |c: &&ResourceChange| c.action != Action::NoOp || c.importing.is_some();
    for change in plan.changes.iter().filter(shown) {
        writeln!(out)?;
        render_change(change, out, style)?;
    }
    let counts = plan.counts();
    let imports = match counts.import {
        0 => String::new(),
        n => format!("{n} to import, "),
    };
    writeln!(
        out,
        "\n{} {imports}{} to add, {} to change, {} to destroy.",
        style.paint(BOLD, "Plan:"),
        counts.add,
        counts.change,
        counts.destroy
    )
}

/// Objects changed outside pingform, before the changes, so that a reviewer
/// can tell hand edits from what the configuration asks for.
fn render_drift(plan: &Plan, out: &mut dyn Write, style: Style) -> io::Result<()> {
    if plan.drift.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "{}\n\npingform found these changes made outside pingform since the last apply:",
        style.paint(BOLD, "Note: Objects have changed outside of pingform")
    )?;
    for drift in &plan.drift {
        writeln!(out)?;
        render_change(drift, out, style)?;
    }
    let advice = if plan.mode == PlanMode::RefreshOnly {
        "This is a refresh-only plan: applying it records these changes in state and changes no object."
    } else {
        "Unless the configuration was changed to match, the actions below undo these changes."
    };
    writeln!(out, "\n{advice}\n")?;
    writeln!(out, "{}\n", "─".repeat(77))
}

fn render_refresh_only_summary(plan: &Plan, out: &mut dyn Write, style: Style) -> io::Result<()> {
    if plan.drift.is_empty() {
        return writeln!(
            out,
            "{} No objects have changed outside of pingform.",
            style.paint(BOLD, "No changes.")
        );
    }
    writeln!(
        out,
        "{} {} object(s) changed outside pingform.",
        style.paint(BOLD, "Drift:"),
        plan.drift.len()
    )
}

fn render_change(change: &ResourceChange, out: &mut dyn Write, style: Style) -> io::Result<()> {
    let address = &change.address;
    let drifted = change.reason.as_deref() == Some(drift::CHANGED);
    let deleted = change.reason.as_deref() == Some(drift::DELETED);
    let (verb, color) = match change.action {
        Action::Update if drifted => ("has changed", YELLOW),
        Action::Delete if deleted => ("has been deleted", RED),
        Action::Create => ("will be created", GREEN),
        Action::Update => ("will be updated in-place", YELLOW),
        Action::Replace => ("must be replaced", RED),
        Action::Delete => ("will be destroyed", RED),
        Action::NoOp if change.importing.is_some() => ("will be imported", GREEN),
        Action::NoOp => ("is unchanged", ""),
        Action::Read => ("will be read during apply", BOLD),
    };
    writeln!(
        out,
        "  # {} {verb}",
        style.paint(BOLD, &address.to_string())
    )?;
    if let Some(id) = &change.importing {
        writeln!(out, "  # (imported from \"{id}\")")?;
    }
    if let Some(reason) = change.reason.as_deref().filter(|_| !drifted && !deleted) {
        writeln!(out, "  # (because {address} is {reason})")?;
    }
    let symbol = format!("{:>3}", change.action.symbol());
    writeln!(
        out,
        "{} {} \"{}\" \"{}\" {{",
        style.paint(color, &symbol),
        if address.is_data() {
            "data"
        } else {
            "resource"
        },
        address.type_name,
        address.name
    )?;
    let lines = attribute_lines(change);
    let width = lines.iter().map(|l| l.name.len()).max().unwrap_or(0);
    let mut hidden = 0;
    for line in &lines {
        if line.symbol == Some(' ') && !IDENTIFYING.contains(&line.name.as_str()) {
            hidden += 1;
            continue;
        }
        let symbol = line.symbol.unwrap_or(' ').to_string();
        let painted = style.paint(symbol_color(line.symbol), &symbol);
        let suffix = if line.forces {
            " # forces replacement"
        } else {
            ""
        };
        writeln!(
            out,
            "      {painted} {:<width$} = {}{suffix}",
            line.name, line.text
        )?;
    }
    if hidden > 0 {
        let noun = if hidden == 1 {
            "attribute"
        } else {
            "attributes"
        };
        writeln!(out, "        # ({hidden} unchanged {noun} hidden)")?;
    }
    writeln!(out, "    }}")
}

fn symbol_color(symbol: Option<char>) -> &'static str {
    match symbol {
        Some('+') => GREEN,
        Some('~') => YELLOW,
        Some('-') => RED,
        _ => "",
    }
}

/// One attribute as drawn: its marker (`+`, `~`, `-`, or ' ' for unchanged), name and value text.
struct Line {
    symbol: Option<char>,
    name: String,
    text: String,
    forces: bool,
}

fn attribute_lines(change: &ResourceChange) -> Vec<Line> {
    let empty = Value::Object(Default::default());
    let before = change.before.as_ref().unwrap_or(&empty);
    let after = change.after.as_ref().unwrap_or(&empty);
    let mut names: Vec<&String> = before
        .as_object()
        .into_iter()
        .chain(after.as_object())
        .flat_map(|m| m.keys())
        .collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| {
            let show = |v: &Value| {
                if change.sensitive.contains(name) && !v.is_null() {
                    "(sensitive value)".to_string()
                } else {
                    v.to_string()
                }
            };
            let old = before.get(name).unwrap_or(&Value::Null);
            let new = after.get(name).unwrap_or(&Value::Null);
            let (symbol, text) = match change.action {
                Action::Create => (!new.is_null()).then(|| ('+', show(new)))?,
                Action::Delete => {
                    (!old.is_null()).then(|| ('-', format!("{} -> null", show(old))))?
                }
                _ if old == new && new.is_wholly_known() => {
                    (!new.is_null()).then(|| (' ', show(new)))?
                }
                _ if old.is_null() => ('+', show(new)),
                _ if new.is_null() => ('-', format!("{} -> null", show(old))),
                _ => ('~', format!("{} -> {}", show(old), show(new))),
            };
            Some(Line {
                symbol: Some(symbol),
                name: name.clone(),
                text,
                forces: change.replace_paths.contains(name),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::ResourceAddress;
    use crate::plan::PlanMode;

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    fn change(
        action: Action,
        name: &str,
        before: Option<Value>,
        after: Option<Value>,
    ) -> ResourceChange {
        ResourceChange {
            importing: None,
            address: ResourceAddress::new("pingone_population", name),
            action,
            before,
            after,
            replace_paths: Vec::new(),
            sensitive: BTreeSet::new(),
            reason: None,
        }
    }

    fn render(changes: Vec<ResourceChange>) -> String {
        let plan = Plan {
            prior: state::State::new(),
            refresh_changed_state: false,
            drift: Vec::new(),
            changes,
            mode: PlanMode::Normal,
            data: Default::default(),
        };
        let mut out = Vec::new();
        render_plan(&plan, &mut out, Style::default()).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn existing(description: &str) -> Value {
        obj(&[
            ("id", "p-1".into()),
            ("environment_id", "e-1".into()),
            ("name", "Staff".into()),
            ("description", description.into()),
            ("theme", Value::Null),
        ])
    }

    #[test]
    fn renders_every_action() {
        let mut replace = change(
            Action::Replace,
            "moved",
            Some(existing("x")),
            Some(obj(&[
                ("id", Value::Unknown),
                ("environment_id", "e-2".into()),
                ("name", "Staff".into()),
                ("description", "x".into()),
            ])),
        );
        replace.replace_paths = vec!["environment_id".into()];
        let mut delete = change(Action::Delete, "old", Some(existing("gone")), None);
        delete.reason = Some("not in configuration".into());
        let text = render(vec![
            change(
                Action::Create,
                "new",
                None,
                Some(obj(&[
                    ("id", Value::Unknown),
                    ("name", "New".into()),
                    ("description", Value::Null),
                ])),
            ),
            change(
                Action::Update,
                "staff",
                Some(existing("old")),
                Some(existing("new")),
            ),
            replace,
            delete,
            change(
                Action::NoOp,
                "same",
                Some(existing("x")),
                Some(existing("x")),
            ),
        ]);
        insta::assert_snapshot!(text);
    }

    #[test]
    fn renders_drift_apart_from_the_changes() {
        let mut changed = change(
            Action::Update,
            "staff",
            Some(existing("old")),
            Some(existing("by hand")),
        );
        changed.reason = Some(crate::plan::drift::CHANGED.into());
        let mut deleted = change(Action::Delete, "gone", Some(existing("x")), None);
        deleted.reason = Some(crate::plan::drift::DELETED.into());
        let plan = Plan {
            prior: state::State::new(),
            refresh_changed_state: true,
            drift: vec![changed, deleted],
            changes: vec![change(
                Action::Update,
                "staff",
                Some(existing("by hand")),
                Some(existing("old")),
            )],
            mode: PlanMode::Normal,
            data: Default::default(),
        };
        let mut out = Vec::new();
        render_plan(&plan, &mut out, Style::default()).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    }

    #[test]
    fn renders_no_changes() {
        let text = render(vec![change(
            Action::NoOp,
            "same",
            Some(existing("x")),
            Some(existing("x")),
        )]);
        insta::assert_snapshot!(text);
    }

    #[test]
    fn masks_sensitive_values() {
        let mut c = change(
            Action::Create,
            "s",
            None,
            Some(obj(&[("secret", "hunter2".into())])),
        );
        c.sensitive.insert("secret".into());
        let text = render(vec![c]);
        assert!(text.contains("(sensitive value)"));
        assert!(!text.contains("hunter2"));
    }
}
