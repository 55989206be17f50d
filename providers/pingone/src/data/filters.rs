//! How the plural data sources select objects: a `scim_filter` passed to PingOne as is,
//! or `data_filters = [{ name, values }]`, each filter matching any of its values and
//! all filters together (Terraform's `BuildScimFilter`).

use engine::Value;
use engine::provider::ProviderError;

use super::arguments::{exactly_one_of, invalid_argument, required};
use crate::resources::user::scim_escape;
use crate::values::object;

/// One `data_filters` element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DataFilter {
    /// The attribute, as PingOne spells it (`population.id`).
    pub name: String,
    /// The values it may have.
    pub values: Vec<String>,
}

/// What the configuration selects with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Selection {
    /// A SCIM filter, for PingOne to apply.
    Scim(String),
    /// Data filters.
    Filters(Vec<DataFilter>),
}

impl Selection {
    /// The SCIM filter that selects the same objects.
    pub(crate) fn scim(&self) -> String {
        match self {
            Selection::Scim(filter) => filter.clone(),
            Selection::Filters(filters) => to_scim(filters),
        }
    }
}

/// ExactlyOneOf `scim_filter` / `data_filters`; data filters may only name `allowed`.
pub(crate) fn selection(
    address: &str,
    config: &Value,
    allowed: &[&str],
) -> Result<Selection, ProviderError> {
    match exactly_one_of(address, config, &["scim_filter", "data_filters"])? {
        "scim_filter" => required(address, config, "scim_filter").map(Selection::Scim),
        _ => data_filters(address, config, allowed).map(Selection::Filters),
    }
}

/// The `data_filters` argument, checked.
fn data_filters(
    address: &str,
    config: &Value,
    allowed: &[&str],
) -> Result<Vec<DataFilter>, ProviderError> {
    let Some(Value::List(items)) = config.get("data_filters") else {
        return Err(invalid_argument(
            address,
            "data_filters must be a list of { name, values }",
        ));
    };
    if items.is_empty() {
        return Err(invalid_argument(
            address,
            "data_filters needs at least one { name, values }",
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| data_filter(address, i, item, allowed))
        .collect()
}

fn data_filter(
    address: &str,
    index: usize,
    item: &Value,
    allowed: &[&str],
) -> Result<DataFilter, ProviderError> {
    let at = format!("data_filters[{index}]");
    let name = match item.get("name") {
        Some(Value::String(name)) => name.clone(),
        _ => {
            return Err(invalid_argument(
                address,
                format!("{at}.name must be set to a string"),
            ));
        }
    };
    if !allowed.contains(&name.as_str()) {
        return Err(invalid_argument(
            address,
            format!(
                "{at}.name {name:?} cannot be filtered on; use one of {}",
                allowed.join(", ")
            ),
        ));
    }
    let values = match item.get("values") {
        Some(Value::List(values)) if !values.is_empty() => values
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                other => Err(invalid_argument(
                    address,
                    format!("{at}.values must be strings, not a {}", other.type_name()),
                )),
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => {
            return Err(invalid_argument(
                address,
                format!("{at}.values must be a list of at least one string"),
            ));
        }
    };
    Ok(DataFilter { name, values })
}

/// `(a eq "1" or a eq "2") and (b eq "x")`.
pub(crate) fn to_scim(filters: &[DataFilter]) -> String {
    filters
        .iter()
        .map(|f| {
            let any: Vec<String> = f.values.iter().map(|v| equals(&f.name, v)).collect();
            format!("({})", any.join(" or "))
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// `name eq "value"`; group membership in SCIM's complex-attribute form,
/// `memberOfGroups[id eq "value"]` (API.md §4.5).
fn equals(name: &str, value: &str) -> String {
    let value = scim_escape(value);
    match name.split_once('.') {
        Some(("memberOfGroups", inner)) => format!("memberOfGroups[{inner} eq \"{value}\"]"),
        _ => format!("{name} eq \"{value}\""),
    }
}

/// True when an item passes every filter, `lookup` giving its attribute values
/// (compared exactly, as Terraform filters licenses on its side).
pub(crate) fn accepts(filters: &[DataFilter], lookup: impl Fn(&str) -> Option<String>) -> bool {
    filters
        .iter()
        .all(|f| lookup(&f.name).is_some_and(|v| f.values.contains(&v)))
}

/// The `id`s of PingOne's items as a list, in order.
pub(crate) fn ids(items: &[serde_json::Value]) -> Value {
    Value::List(
        items
            .iter()
            .filter_map(|item| item.get("id")?.as_str())
            .map(Value::from)
            .collect(),
    )
}

/// The result of a plural data source scoped to a parent (`environment_id`,
/// `organization_id`): its arguments as given (unset ones null), `id` the parent's,
/// and the `ids` found.
pub(crate) fn with_arguments(config: &Value, parent: (&str, &str), ids: Value) -> Value {
    let (parent_attr, parent_id) = parent;
    let arg = |name: &str| config.get(name).cloned().unwrap_or(Value::Null);
    object([
        ("id", Value::from(parent_id)),
        (parent_attr, Value::from(parent_id)),
        ("scim_filter", arg("scim_filter")),
        ("data_filters", arg("data_filters")),
        ("ids", ids),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADDR: &str = "data.pingone_users.x";

    fn filter(name: &str, values: &[&str]) -> Value {
        object([
            ("name", name.into()),
            (
                "values",
                Value::List(values.iter().map(|v| Value::from(*v)).collect()),
            ),
        ])
    }

    #[test]
    fn data_filters_become_one_scim_filter() {
        let config = object([(
            "data_filters",
            Value::List(vec![
                filter("population.id", &["p1", "p2"]),
                filter("username", &[r#"a"b"#]),
                filter("memberOfGroups.id", &["g"]),
            ]),
        )]);
        let allowed = ["population.id", "username", "memberOfGroups.id"];
        let s = selection(ADDR, &config, &allowed).unwrap();
        assert_eq!(
            s.scim(),
            r#"(population.id eq "p1" or population.id eq "p2") and (username eq "a\"b") and (memberOfGroups[id eq "g"])"#
        );
        let scim = object([("scim_filter", "name sw \"x\"".into())]);
        assert_eq!(
            selection(ADDR, &scim, &[]).unwrap(),
            Selection::Scim("name sw \"x\"".into())
        );
    }

    #[test]
    fn bad_selections_name_the_address_and_the_problem() {
        let both = object([
            ("scim_filter", "x".into()),
            ("data_filters", Value::List(vec![])),
        ]);
        let err = selection(ADDR, &both, &["name"]).unwrap_err().message;
        assert!(
            err.starts_with(ADDR) && err.contains("exactly one of"),
            "{err}"
        );
        let wrong = object([("data_filters", Value::List(vec![filter("color", &["red"])]))]);
        let err = selection(ADDR, &wrong, &["name", "id"])
            .unwrap_err()
            .message;
        assert!(
            err.contains(
                r#"data_filters[0].name "color" cannot be filtered on; use one of name, id"#
            ),
            "{err}"
        );
        let empty = object([("data_filters", Value::List(vec![filter("name", &[])]))]);
        let err = selection(ADDR, &empty, &["name"]).unwrap_err().message;
        assert!(err.contains("data_filters[0].values"), "{err}");
    }

    #[test]
    fn accepts_items_matching_every_filter() {
        let filters = vec![
            DataFilter {
                name: "status".into(),
                values: vec!["ACTIVE".into(), "FUTURE".into()],
            },
            DataFilter {
                name: "package".into(),
                values: vec!["GLOBAL".into()],
            },
        ];
        let item = |status: &str| {
            let status = status.to_string();
            move |k: &str| match k {
                "status" => Some(status.clone()),
                "package" => Some("GLOBAL".to_string()),
                _ => None,
            }
        };
        assert!(accepts(&filters, item("FUTURE")));
        assert!(!accepts(&filters, item("EXPIRED")));
        let items = [
            serde_json::json!({"id": "a"}),
            serde_json::json!({"id": "b"}),
        ];
        assert_eq!(ids(&items), Value::List(vec!["a".into(), "b".into()]));
    }
}
