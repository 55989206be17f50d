//! One plan holding every kind of change the renderers draw, shared by their snapshot
//! tests: create, update (sets, lists, maps, nested objects, multi-line and JSON strings,
//! a sensitive value that changes and one that does not), replace with the forcing
//! attribute, delete with its reason, a no-op, drift, output changes and risks.

use std::collections::{BTreeMap, BTreeSet};

use crate::plan::outputs::OutputChange;
use crate::plan::{Action, Plan, PlanMode, ResourceChange, drift};
use crate::provider::{AttrType, AttributeSchema, BlockSchema, Presence};
use crate::{ResourceAddress, Value};

/// Secrets in the fixture; no rendering may contain them.
pub(crate) const SECRETS: [&str; 4] = ["s3cr3t-old", "s3cr3t-new", "k3y-same", "hunter2"];

pub(crate) fn obj(pairs: &[(&str, Value)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

fn strings(items: &[&str]) -> Value {
    Value::List(items.iter().map(|s| Value::from(*s)).collect())
}

fn change(
    type_name: &str,
    name: &str,
    action: Action,
    before: Option<Value>,
    after: Option<Value>,
) -> ResourceChange {
    ResourceChange {
        deposed: None,
        address: ResourceAddress::new(type_name, name),
        action,
        before,
        after,
        replace_paths: Vec::new(),
        sensitive: BTreeSet::new(),
        reason: None,
        importing: None,
    }
}

/// The schemas of the fixture's types: enough to tell sets, lists and maps apart.
pub(crate) fn schemas() -> BTreeMap<String, BlockSchema> {
    let attr = |ty| AttributeSchema::new(ty, Presence::Optional, "");
    let strings = |wrap: fn(Box<AttrType>) -> AttrType| attr(wrap(Box::new(AttrType::String)));
    let application = BlockSchema::default()
        .attr("redirect_uris", strings(AttrType::Set))
        .attr("grant_types", strings(AttrType::List))
        .attr("labels", strings(AttrType::Map))
        .attr("client_secret", attr(AttrType::String).sensitive())
        .attr("api_key", attr(AttrType::String).sensitive());
    BTreeMap::from([("pingone_application".to_string(), application)])
}

const SCRIPT_BEFORE: &str =
    "#!/bin/sh\nset -e\necho one\necho two\necho three\necho four\necho five\necho six\n";
const SCRIPT_AFTER: &str = "#!/bin/sh\nset -e\necho one\necho two\necho THREE\necho four\necho five\necho six\necho seven\n";
const POLICY_BEFORE: &str =
    r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"read","Resource":"*"}]}"#;
const POLICY_AFTER: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"write","Resource":"*"}],"Id":"p-2"}"#;

fn application(description: &str, secret: &str, script: &str, policy: &str, next: bool) -> Value {
    let pick = |a: Value, b: Value| if next { b } else { a };
    obj(&[
        ("id", "app-1".into()),
        ("name", "Portal".into()),
        ("description", description.into()),
        (
            "redirect_uris",
            pick(
                strings(&[
                    "https://a.example",
                    "https://b.example",
                    "https://c.example",
                ]),
                strings(&[
                    "https://c.example",
                    "https://a.example",
                    "https://d.example",
                ]),
            ),
        ),
        (
            "grant_types",
            pick(
                strings(&["authorization_code", "refresh_token", "implicit"]),
                strings(&["authorization_code", "client_credentials", "refresh_token"]),
            ),
        ),
        (
            "labels",
            pick(
                obj(&[("dept", "sales".into()), ("team", "web".into())]),
                obj(&[("dept", "support".into()), ("team", "web".into())]),
            ),
        ),
        (
            "settings",
            obj(&[
                (
                    "mfa",
                    obj(&[
                        ("enabled", Value::Bool(next)),
                        (
                            "methods",
                            pick(strings(&["sms"]), strings(&["sms", "email"])),
                        ),
                    ]),
                ),
                ("theme", "dark".into()),
            ]),
        ),
        ("client_secret", secret.into()),
        ("api_key", "k3y-same".into()),
        ("login_script", script.into()),
        ("policy", policy.into()),
    ])
}

fn population(environment: &str, description: &str) -> Value {
    obj(&[
        ("id", "p-1".into()),
        ("environment_id", environment.into()),
        ("name", "Staff".into()),
        ("description", description.into()),
        ("theme", Value::Null),
    ])
}

/// The plan with every kind of change.
pub(crate) fn every_kind() -> Plan {
    let mut update = change(
        "pingone_application",
        "portal",
        Action::Update,
        Some(application(
            "by hand",
            "s3cr3t-old",
            SCRIPT_BEFORE,
            POLICY_BEFORE,
            false,
        )),
        Some(application(
            "old",
            "s3cr3t-new",
            SCRIPT_AFTER,
            POLICY_AFTER,
            true,
        )),
    );
    update.sensitive = BTreeSet::from(["client_secret".to_string(), "api_key".to_string()]);
    let mut replace = change(
        "pingone_population",
        "moved",
        Action::Replace,
        Some(population("e-1", "x")),
        Some(obj(&[
            ("id", Value::Unknown),
            ("environment_id", "e-2".into()),
            ("name", "Staff".into()),
            ("description", "x".into()),
        ])),
    );
    replace.replace_paths = vec!["environment_id".into()];
    let mut requested = change(
        "pingone_group",
        "crew",
        Action::Replace,
        Some(obj(&[("id", "g-1".into()), ("name", "Crew".into())])),
        Some(obj(&[("id", Value::Unknown), ("name", "Crew".into())])),
    );
    requested.reason = Some("replacement requested with --replace".into());
    let mut imported = change(
        "pingone_population",
        "adopted",
        Action::NoOp,
        Some(population("e-1", "made by hand")),
        Some(population("e-1", "made by hand")),
    );
    imported.importing = Some("e-1/p-1".into());
    let read = ResourceChange {
        address: ResourceAddress::data("pingone_role", "admin"),
        ..change(
            "pingone_role",
            "admin",
            Action::Read,
            None,
            Some(obj(&[
                ("id", Value::Unknown),
                ("name", "Identity Data Admin".into()),
            ])),
        )
    };
    let mut gone = population("e-1", "gone");
    if let Value::Object(map) = &mut gone {
        map.insert("tags".into(), strings(&["x", "y"]));
        map.insert("password".into(), "hunter2".into());
    }
    let mut delete = change(
        "pingone_population",
        "old",
        Action::Delete,
        Some(gone),
        None,
    );
    delete.reason = Some("not in configuration".into());
    delete.sensitive = BTreeSet::from(["password".to_string()]);
    let mut create = change(
        "pingone_population",
        "new",
        Action::Create,
        None,
        Some(obj(&[
            ("id", Value::Unknown),
            ("name", "New".into()),
            ("description", Value::Null),
            ("tags", strings(&["a", "b"])),
            ("policy", r#"{"allow":["read"]}"#.into()),
            ("notes", "first line\nsecond line".into()),
            ("password", "hunter2".into()),
        ])),
    );
    create.sensitive = BTreeSet::from(["password".to_string()]);
    let no_op = change(
        "pingone_population",
        "same",
        Action::NoOp,
        Some(population("e-1", "x")),
        Some(population("e-1", "x")),
    );
    let mut drifted = change(
        "pingone_application",
        "portal",
        Action::Update,
        Some(application(
            "old",
            "s3cr3t-old",
            SCRIPT_BEFORE,
            POLICY_BEFORE,
            false,
        )),
        Some(application(
            "by hand",
            "s3cr3t-old",
            SCRIPT_BEFORE,
            POLICY_BEFORE,
            false,
        )),
    );
    drifted.reason = Some(drift::CHANGED.into());
    drifted.sensitive = update.sensitive.clone();
    let mut vanished = change(
        "pingone_population",
        "gone",
        Action::Delete,
        Some(population("e-1", "x")),
        None,
    );
    vanished.reason = Some(drift::DELETED.into());
    Plan {
        prior: state::State::new(),
        refresh_changed_state: true,
        drift: vec![drifted, vanished],
        changes: vec![
            read, imported, create, update, replace, requested, delete, no_op,
        ],
        mode: PlanMode::Normal,
        data: Default::default(),
        relocations: Default::default(),
    }
}

/// Output changes to go with [`every_kind`].
pub(crate) fn outputs() -> Vec<OutputChange> {
    let output =
        |name: &str, action, before: Option<Value>, after: Option<Value>, sensitive| OutputChange {
            name: name.into(),
            action,
            before,
            after,
            sensitive,
        };
    vec![
        output("new_id", Action::Create, None, Some(Value::Unknown), false),
        output(
            "portal_name",
            Action::Update,
            Some("Old".into()),
            Some("Portal".into()),
            false,
        ),
        output(
            "secret",
            Action::Update,
            Some("s3cr3t-old".into()),
            Some("s3cr3t-new".into()),
            true,
        ),
        output(
            "password",
            Action::NoOp,
            Some("hunter2".into()),
            Some("hunter2".into()),
            true,
        ),
    ]
}

/// Risks to go with [`every_kind`]: the engine's own and one a provider would flag.
pub(crate) fn risks() -> Vec<crate::plan::risk::Risk> {
    let risk = |type_name: &str, name: &str, message: &str| crate::plan::risk::Risk {
        address: ResourceAddress::new(type_name, name),
        message: message.into(),
    };
    vec![
        risk(
            "pingone_population",
            "moved",
            "will be replaced (destroyed and created again) because environment_id changed",
        ),
        risk(
            "pingone_population",
            "old",
            "will be destroyed (not in configuration)",
        ),
        risk(
            "pingone_population",
            "old",
            "deletes population p-1, which holds 3 user(s): PingOne refuses until they are moved or deleted",
        ),
    ]
}

/// Fails when `text` holds any of the fixture's secrets.
pub(crate) fn assert_no_secret(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "`{secret}` leaked:\n{text}");
    }
}
