//! The human-readable plan, in the shape Terraform users know: `+` create, `~` update in
//! place, `-/+` replace (`+/-` when the new object is created first), `-` destroy;
//! unchanged attributes folded, collections and document strings diffed inside (see
//! [`super::diff`]), then the summary line, the risks a reviewer must not miss, and the
//! output changes.

use std::io::{self, Write};

use super::diff::{self, Item, Key, Marker, Noun};
use super::lines::{self, PlanLine};
use super::{Context, Style};
use crate::Value;
use crate::plan::outputs::OutputChange;
use crate::plan::risk::Risk;
use crate::plan::{Action, Plan, PlanMode, ResourceChange, drift};
use crate::provider::BlockSchema;

/// Attributes always shown for an update, even when unchanged, so the reader knows which object it is.
const IDENTIFYING: [&str; 2] = ["id", "name"];

/// Where a resource's attributes start: its header's text column plus one level.
const ATTRIBUTES: usize = 8;

/// The margin symbol of a risk.
pub(crate) const RISK: &str = "!";

/// Writes the plan: drift first, apart; then each change, the output changes and the summary line.
pub fn render_plan(
    plan: &Plan,
    context: &Context<'_>,
    out: &mut dyn Write,
    style: Style,
) -> io::Result<()> {
    lines::write(&plan_lines(plan, context), out, style)
}

/// The plan as laid-out lines (shared with the Markdown renderer).
pub(crate) fn plan_lines(plan: &Plan, context: &Context<'_>) -> Vec<PlanLine> {
    let mut out = Vec::new();
    drift_lines(plan, context, &mut out);
    if plan.mode == PlanMode::RefreshOnly {
        refresh_only_summary(plan, &mut out);
        return out;
    }
    // Outputs are not stored: they change only through the objects they read.
    if !plan.has_changes() {
        out.push(PlanLine::bold_prefix(
            0,
            "No changes. The live objects match the configuration, so no changes are needed.",
            "No changes.".len(),
        ));
        return out;
    }
    out.push(PlanLine::text(
        0,
        "pingform will perform the following actions:",
    ));
    relocation_lines(plan, &mut out);
    let shown = |c: &&ResourceChange| c.action != Action::NoOp || c.importing.is_some();
    for change in plan.changes.iter().filter(shown) {
        out.push(PlanLine::text(0, ""));
        change_lines(change, plan, context, &mut out);
    }
    let counts = plan.counts();
    out.push(PlanLine::text(0, ""));
    out.push(PlanLine::bold_prefix(
        0,
        format!(
            "Plan: {}{} to add, {} to change, {} to destroy.",
            match counts.import {
                0 => String::new(),
                n => format!("{n} to import, "),
            },
            counts.add,
            counts.change,
            counts.destroy
        ),
        "Plan:".len(),
    ));
    risk_lines(context.risks, &mut out);
    output_lines(context.outputs, &mut out);
    out
}

/// `Risks (N):` and one `! ADDRESS MESSAGE` line per risk; nothing when there are none.
fn risk_lines(risks: &[Risk], out: &mut Vec<PlanLine>) {
    if risks.is_empty() {
        return;
    }
    let title = format!("Risks ({}):", risks.len());
    out.push(PlanLine::text(0, ""));
    let heading = format!("{title} review these before applying.");
    out.push(PlanLine::bold_prefix(0, heading, title.len()));
    for risk in risks {
        let address = risk.address.to_string();
        let mut line = PlanLine::marked(4, RISK, format!("{address} {}", risk.message));
        line.bold = Some(0..address.len());
        out.push(line);
    }
}

/// What `moved` and `removed` blocks do: no API call, only state.
fn relocation_lines(plan: &Plan, out: &mut Vec<PlanLine>) {
    for (from, to) in &plan.relocations.moved {
        out.push(PlanLine::text(0, ""));
        out.push(PlanLine::text(2, format!("# {from} has moved to {to}")));
    }
    for address in &plan.relocations.forgotten {
        out.push(PlanLine::text(0, ""));
        out.push(PlanLine::text(
            2,
            format!(
                "# {address} will no longer be managed by pingform (the object itself is kept: \
                 `removed` with `destroy = false`)"
            ),
        ));
    }
}

/// Objects changed outside pingform, before the changes, so that a reviewer
/// can tell hand edits from what the configuration asks for.
fn drift_lines(plan: &Plan, context: &Context<'_>, out: &mut Vec<PlanLine>) {
    if plan.drift.is_empty() {
        return;
    }
    let title = "Note: Objects have changed outside of pingform";
    out.push(PlanLine::bold_prefix(0, title, title.len()));
    out.push(PlanLine::text(0, ""));
    out.push(PlanLine::text(
        0,
        "pingform found these changes made outside pingform since the last apply:",
    ));
    for drift in &plan.drift {
        out.push(PlanLine::text(0, ""));
        change_lines(drift, plan, context, out);
    }
    let advice = if plan.mode == PlanMode::RefreshOnly {
        "This is a refresh-only plan: applying it records these changes in state and changes no object."
    } else {
        "Unless the configuration was changed to match, the actions below undo these changes."
    };
    out.push(PlanLine::text(0, ""));
    out.push(PlanLine::text(0, advice));
    out.push(PlanLine::text(0, ""));
    out.push(PlanLine::text(0, "─".repeat(77)));
    out.push(PlanLine::text(0, ""));
}

fn refresh_only_summary(plan: &Plan, out: &mut Vec<PlanLine>) {
    if plan.drift.is_empty() {
        out.push(PlanLine::bold_prefix(
            0,
            "No changes. No objects have changed outside of pingform.",
            "No changes.".len(),
        ));
    } else {
        out.push(PlanLine::bold_prefix(
            0,
            format!(
                "Drift: {} object(s) changed outside pingform.",
                plan.drift.len()
            ),
            "Drift:".len(),
        ));
    }
}

/// `Changes to Outputs:` with each changed output (sensitive ones masked).
fn output_lines(outputs: &[OutputChange], out: &mut Vec<PlanLine>) {
    let changed: Vec<&OutputChange> = outputs
        .iter()
        .filter(|o| o.action != Action::NoOp)
        .collect();
    if changed.is_empty() {
        return;
    }
    out.push(PlanLine::text(0, ""));
    out.push(PlanLine::text(0, "Changes to Outputs:"));
    let items: Vec<Item> = changed
        .iter()
        .map(|o| {
            Item::Entry(diff::entry(
                Key::Named(o.name.clone()),
                o.before.as_ref(),
                o.after.as_ref(),
                None,
                o.sensitive,
            ))
        })
        .collect();
    lines::layout(&items, 4, out);
}

fn change_lines(
    change: &ResourceChange,
    plan: &Plan,
    context: &Context<'_>,
    out: &mut Vec<PlanLine>,
) {
    let address = change.label();
    let drifted = change.reason.as_deref() == Some(drift::CHANGED);
    let deleted = change.reason.as_deref() == Some(drift::DELETED);
    let verb = match change.action {
        Action::Update if drifted => "has changed",
        Action::Delete if deleted => "has been deleted",
        Action::Create => "will be created",
        Action::Update => "will be updated in-place",
        Action::Replace | Action::CreateThenDelete => "must be replaced",
        Action::Delete => "will be destroyed",
        Action::NoOp if change.importing.is_some() => "will be imported",
        Action::NoOp => "is unchanged",
        Action::Read => "will be read during apply",
    };
    let mut title = PlanLine::text(2, format!("# {address} {verb}"));
    title.bold = Some(2..2 + address.len());
    out.push(title);
    if let Some(id) = &change.importing {
        out.push(PlanLine::text(2, format!("# (imported from \"{id}\")")));
    }
    if let Some(reason) = change.reason.as_deref().filter(|_| !drifted && !deleted) {
        // Delete reasons describe the object ("not in configuration"); others the cause.
        let note = match change.action {
            Action::Delete if change.deposed.is_none() => {
                format!("# (because {address} is {reason})")
            }
            _ => format!("# ({reason})"),
        };
        out.push(PlanLine::text(2, note));
    }
    let by = crate::plan::configuration_of(change, context.config, &plan.prior);
    if let Some(by) = by.filter(|by| !by.is_default()) {
        out.push(PlanLine::text(
            2,
            format!("# (by the provider configuration {by})"),
        ));
    }
    let header = format!(
        "{} \"{}\" \"{}\" {{",
        if change.address.is_data() {
            "data"
        } else {
            "resource"
        },
        change.address.type_name,
        change.address.name
    );
    out.push(PlanLine::marked(
        ATTRIBUTES - lines::STEP,
        change.action.symbol(),
        header,
    ));
    let schema = context.schemas.resource_schema(&change.address.type_name);
    lines::layout(&attribute_items(change, schema), ATTRIBUTES, out);
    out.push(PlanLine::text(ATTRIBUTES - lines::STEP, "}"));
}

/// Every attribute of the object with its change; unchanged ones folded into one count
/// (except those that identify the object).
fn attribute_items(change: &ResourceChange, schema: Option<&BlockSchema>) -> Vec<Item> {
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
    let mut items = Vec::new();
    let mut kept = 0;
    for name in names {
        let (old, new) = match change.action {
            Action::Create | Action::Read => (None, after.get(name)),
            Action::Delete => (before.get(name), None),
            _ => (
                before.get(name).filter(|v| !is_empty(v)),
                after.get(name).filter(|v| !is_empty(v)),
            ),
        };
        if old.is_none_or(|v| matches!(v, Value::Null))
            && new.is_none_or(|v| matches!(v, Value::Null))
        {
            continue;
        }
        let ty = schema
            .and_then(|s| s.attributes.get(name.as_str()))
            .map(|a| &a.ty);
        let mut entry = diff::entry(
            Key::Named(name.clone()),
            old,
            new,
            ty,
            change.sensitive.contains(name.as_str()),
        );
        entry.forces = change.replace_paths.contains(name);
        if entry.marker == Marker::Keep && !IDENTIFYING.contains(&name.as_str()) {
            kept += 1;
        } else {
            items.push(Item::Entry(entry));
        }
    }
    diff::fold(&mut items, kept, Noun::Attribute);
    items
}

/// Empty collections and null mean the same to PingOne, so an update from one to the
/// other is no change (as the planner decides).
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::List(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::ResourceAddress;
    use crate::plan::PlanMode;
    use crate::render::fixture::obj;

    fn change(
        action: Action,
        name: &str,
        before: Option<Value>,
        after: Option<Value>,
    ) -> ResourceChange {
        ResourceChange {
            deposed: None,
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
        let plan = Plan::of_changes(changes);
        let mut out = Vec::new();
        render_plan(&plan, &Context::default(), &mut out, Style::default()).unwrap();
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

    /// A `create_before_destroy` replacement triggered by another resource, and
    /// the deposed object an earlier one left.
    pub(crate) fn replacements_created_first() -> Vec<ResourceChange> {
        let mut first = change(
            Action::CreateThenDelete,
            "staff",
            Some(existing("x")),
            Some(obj(&[
                ("id", Value::Unknown),
                ("environment_id", "e-1".into()),
                ("name", "Staff".into()),
                ("description", "x".into()),
            ])),
        );
        first.reason = Some(crate::plan::triggers::reason("pingone_group.admins"));
        let mut deposed = change(Action::Delete, "staff", Some(existing("old")), None);
        deposed.deposed = Some("abcd1234".into());
        deposed.reason = Some(crate::plan::deposed::REASON.into());
        vec![first, deposed]
    }

    #[test]
    fn renders_create_before_destroy_and_deposed_objects() {
        let text = render(replacements_created_first());
        assert!(
            text.contains("+/- resource \"pingone_population\" \"staff\""),
            "{text}"
        );
        assert!(
            text.contains("# pingone_population.staff (deposed object abcd1234) will be destroyed"),
            "{text}"
        );
        assert!(
            text.contains("Plan: 1 to add, 0 to change, 2 to destroy."),
            "{text}"
        );
        insta::assert_snapshot!(text);
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
            relocations: Default::default(),
        };
        let mut out = Vec::new();
        render_plan(&plan, &Context::default(), &mut out, Style::default()).unwrap();
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

    #[test]
    fn renders_every_kind_of_change() {
        use crate::render::fixture;
        let schemas = fixture::schemas();
        let outputs = fixture::outputs();
        let risks = fixture::risks();
        let context = Context {
            schemas: &schemas,
            outputs: &outputs,
            risks: &risks,
            ..Context::default()
        };
        let mut out = Vec::new();
        render_plan(&fixture::every_kind(), &context, &mut out, Style::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        fixture::assert_no_secret(&text);
        insta::assert_snapshot!(text);
    }

    #[test]
    fn colours_markers_only_when_asked() {
        use crate::render::fixture;
        let plan = fixture::every_kind();
        let mut plain = Vec::new();
        render_plan(&plan, &Context::default(), &mut plain, Style::default()).unwrap();
        assert!(!plain.contains(&0x1b), "no escape codes without colour");
        let mut coloured = Vec::new();
        render_plan(
            &plan,
            &Context::default(),
            &mut coloured,
            Style { color: true },
        )
        .unwrap();
        let coloured = String::from_utf8(coloured).unwrap();
        assert!(coloured.contains("\x1b[32m+\x1b[0m resource"), "{coloured}");
        assert!(coloured.contains("\x1b[31m# forces replacement\x1b[0m"));
    }

    #[test]
    fn risks_follow_the_summary_coloured_on_a_terminal_and_absent_when_none() {
        use crate::render::fixture;
        let plan = fixture::every_kind();
        let risks = fixture::risks();
        let context = Context {
            risks: &risks,
            ..Context::default()
        };
        let draw = |context: &Context<'_>, style| {
            let mut out = Vec::new();
            render_plan(&plan, context, &mut out, style).unwrap();
            String::from_utf8(out).unwrap()
        };
        let plain = draw(&context, Style::default());
        let summary = plain.find("Plan: ").expect("a summary line");
        let section = plain
            .find("Risks (3): review these before applying.")
            .expect("risks");
        assert!(summary < section, "{plain}");
        assert!(
            plain.contains("  ! pingone_population.old will be destroyed (not in configuration)\n"),
            "{plain}"
        );
        let coloured = draw(&context, Style { color: true });
        assert!(
            coloured.contains(
                "\x1b[33m!\x1b[0m \x1b[1mpingone_population.moved\x1b[0m will be replaced"
            ),
            "{coloured}"
        );
        assert!(coloured.contains("\x1b[1mRisks (3):\x1b[0m"), "{coloured}");
        let quiet = draw(&Context::default(), Style::default());
        assert!(!quiet.contains("Risks"), "{quiet}");
    }

    #[test]
    fn sets_without_a_schema_are_diffed_as_lists() {
        let c = change(
            Action::Update,
            "s",
            Some(obj(&[("tags", Value::List(vec!["a".into(), "b".into()]))])),
            Some(obj(&[("tags", Value::List(vec!["b".into(), "a".into()]))])),
        );
        let text = render(vec![c]);
        assert!(
            text.contains("~ tags = ["),
            "a reordered list is a change: {text}"
        );
        assert!(text.contains("+ \"") && text.contains("- \""), "{text}");
    }
}
