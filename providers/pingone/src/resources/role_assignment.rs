//! Admin role assignments of users, groups and applications: `pingone_user_role_assignment`,
//! `pingone_group_role_assignment`, `pingone_application_role_assignment`
//! (TERRAFORM-PROVIDER.md §3.8; API.md §5.2).
//!
//! The three types differ only in the actor, so one implementation serves all three,
//! parameterised by [`Actor`]. Assignments are create/delete only: every input forces
//! replacement. Refresh lists each actor's assignments once.

use async_trait::async_trait;
use engine::Value;
use engine::provider::{BlockSchema, Found, ObjectRef, Presence, ProviderError};
use serde_json::json;

use super::common::{
    Collection, api_shape_error, boolean, create_error, delete_tolerant, id_attr, link_attr,
    read_by_list, segs, string,
};
use super::{Resource, environment_gone, invalid, state_string};
use crate::client::Client;
use crate::values::{IfUnknown, json_bool, json_string, object, opt_string, required_string};

const PLURAL: &str = "roleAssignments";

/// The scope attributes and the PingOne scope type each stands for.
pub const SCOPES: &[(&str, &str)] = &[
    ("scope_application_id", "APPLICATION"),
    ("scope_environment_id", "ENVIRONMENT"),
    ("scope_organization_id", "ORGANIZATION"),
    ("scope_population_id", "POPULATION"),
];

/// Who holds the role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    /// `pingone_user_role_assignment`.
    User,
    /// `pingone_group_role_assignment`.
    Group,
    /// `pingone_application_role_assignment`.
    Application,
}

impl Actor {
    /// The resource type's name.
    pub fn type_name(self) -> &'static str {
        match self {
            Actor::User => "pingone_user_role_assignment",
            Actor::Group => "pingone_group_role_assignment",
            Actor::Application => "pingone_application_role_assignment",
        }
    }

    /// The attribute naming the actor.
    pub fn attribute(self) -> &'static str {
        match self {
            Actor::User => "user_id",
            Actor::Group => "group_id",
            Actor::Application => "application_id",
        }
    }

    /// The actor's collection under the environment.
    fn collection(self) -> &'static str {
        match self {
            Actor::User => "users",
            Actor::Group => "groups",
            Actor::Application => "applications",
        }
    }
}

/// The schema, following the official Terraform provider: everything forces replacement.
pub fn schema(actor: Actor) -> BlockSchema {
    let mut s = BlockSchema::default()
        .attr("id", id_attr("The role assignment's ID."))
        .attr(
            "environment_id",
            link_attr("The environment of the actor holding the role."),
        )
        .attr(actor.attribute(), link_attr("The actor holding the role."))
        .attr(
            "role_id",
            link_attr("The role, usually from data.pingone_role."),
        )
        .attr(
            "read_only",
            boolean(
                Presence::Computed,
                "Whether PingOne lets this actor delete it.",
            ),
        );
    for (name, _) in SCOPES {
        s = s.attr(
            name,
            string(
                Presence::Optional,
                "The scope (exactly one scope_* is set).",
            )
            .force_new(),
        );
    }
    s
}

/// `{ role: { id }, scope: { id, type } }` from the planned attributes.
pub fn to_body(planned: &Value) -> Result<serde_json::Value, String> {
    let role = required_string(planned, "role_id")?;
    let (scope_id, scope_type) = scope(planned)?;
    Ok(json!({ "role": { "id": role }, "scope": { "id": scope_id, "type": scope_type } }))
}

/// The one scope set, as (id, type).
pub fn scope(planned: &Value) -> Result<(String, &'static str), String> {
    let mut set = Vec::new();
    for (name, kind) in SCOPES {
        if let Some(id) = opt_string(planned, name, IfUnknown::Refuse)? {
            set.push((id, *kind));
        }
    }
    match set.len() {
        1 => Ok(set.remove(0)),
        _ => Err(format!(
            "exactly one of {} must be set",
            SCOPES
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The assignment's attributes from PingOne's JSON; `basis` supplies the actor and
/// environment (PingOne's answer names neither for every actor type).
pub fn from_api(actor: Actor, api: &serde_json::Value, basis: &Value) -> Result<Value, String> {
    let id = json_string(api, "/id");
    if id.is_null() {
        return Err("PingOne's answer has no role assignment id".to_string());
    }
    let scope_type = api
        .pointer("/scope/type")
        .and_then(serde_json::Value::as_str);
    let scope_id = json_string(api, "/scope/id");
    let scoped = |kind: &str| {
        if scope_type == Some(kind) {
            scope_id.clone()
        } else {
            Value::Null
        }
    };
    let basis_attr = |name: &str| basis.get(name).cloned().unwrap_or(Value::Null);
    Ok(object([
        ("id", id),
        ("environment_id", basis_attr("environment_id")),
        (actor.attribute(), basis_attr(actor.attribute())),
        ("role_id", json_string(api, "/role/id")),
        ("read_only", bool_or_false(json_bool(api, "/readOnly"))),
        ("scope_application_id", scoped("APPLICATION")),
        ("scope_environment_id", scoped("ENVIRONMENT")),
        ("scope_organization_id", scoped("ORGANIZATION")),
        ("scope_population_id", scoped("POPULATION")),
    ]))
}

fn bool_or_false(v: Value) -> Value {
    if v.is_null() { Value::Bool(false) } else { v }
}

/// One of the three role-assignment resource types.
pub(crate) struct RoleAssignment(pub Actor);

impl RoleAssignment {
    fn location(&self, v: &Value) -> Result<(String, String), String> {
        Ok((
            required_string(v, "environment_id")?,
            required_string(v, self.0.attribute())?,
        ))
    }
}

#[async_trait]
impl Resource for RoleAssignment {
    fn type_name(&self) -> &'static str {
        self.0.type_name()
    }

    fn schema(&self) -> BlockSchema {
        schema(self.0)
    }

    async fn read_many(
        &self,
        client: &Client,
        objects: &[ObjectRef],
    ) -> Result<Vec<Option<Value>>, ProviderError> {
        let actor = self.0;
        read_by_list(
            client,
            actor.type_name(),
            objects,
            PLURAL,
            |o| {
                let env = state_string(o, "environment_id")?;
                let who = state_string(o, actor.attribute())?;
                Ok(Collection {
                    segments: segs(&["environments", &env, actor.collection(), &who, PLURAL]),
                    env,
                })
            },
            |o| state_string(o, "id"),
            |json, prior| from_api(actor, json, prior),
        )
        .await
    }

    async fn create(
        &self,
        client: &Client,
        address: &str,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let operation = format!("create {address}");
        let (env, who) = self.location(planned).map_err(|e| invalid(&operation, e))?;
        let body = to_body(planned).map_err(|e| invalid(&operation, e))?;
        let path = [
            "environments",
            env.as_str(),
            self.0.collection(),
            who.as_str(),
            PLURAL,
        ];
        let created = client
            .post(&path, &body)
            .await
            .map_err(|e| create_error(e, &operation, address, |id| format!("{env}/{who}/{id}")))?;
        from_api(self.0, &created, planned).map_err(|e| api_shape_error(&operation, e))
    }

    /// Never reached: every attribute forces replacement. Returns the planned value.
    async fn update(
        &self,
        _: &Client,
        _: &str,
        _: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        Ok(planned.clone())
    }

    async fn delete(
        &self,
        client: &Client,
        address: &str,
        prior: &Value,
    ) -> Result<(), ProviderError> {
        let operation = format!("delete {address}");
        let (env, who) = self.location(prior).map_err(|e| invalid(&operation, e))?;
        let id = required_string(prior, "id").map_err(|e| invalid(&operation, e))?;
        let path = [
            "environments",
            env.as_str(),
            self.0.collection(),
            who.as_str(),
            PLURAL,
            id.as_str(),
        ];
        delete_tolerant(client, &env, &path, &operation).await
    }

    /// An assignment's natural key is (actor, role, scope): one list of the actor's.
    async fn find(
        &self,
        client: &Client,
        address: &str,
        planned: &Value,
    ) -> Result<Found, ProviderError> {
        let operation = format!("find {address} by role and scope");
        let (env, who) = self.location(planned).map_err(|e| invalid(&operation, e))?;
        let role = required_string(planned, "role_id").map_err(|e| invalid(&operation, e))?;
        let (scope_id, scope_type) = scope(planned).map_err(|e| invalid(&operation, e))?;
        let path = [
            "environments",
            env.as_str(),
            self.0.collection(),
            who.as_str(),
            PLURAL,
        ];
        let items = match client.list_all(&path, PLURAL).await {
            Ok(items) => items,
            Err(e) if e.is_not_found() => return Ok(Found::Nothing),
            Err(e) => {
                return environment_gone(client, &env, e, &operation)
                    .await
                    .map(|()| Found::Nothing);
            }
        };
        let matches = |a: &&serde_json::Value| {
            a.pointer("/role/id").and_then(serde_json::Value::as_str) == Some(role.as_str())
                && a.pointer("/scope/id").and_then(serde_json::Value::as_str)
                    == Some(scope_id.as_str())
                && a.pointer("/scope/type").and_then(serde_json::Value::as_str) == Some(scope_type)
        };
        match items.iter().find(matches) {
            Some(found) => from_api(self.0, found, planned)
                .map(Found::Object)
                .map_err(|e| api_shape_error(&operation, e)),
            None => Ok(Found::Nothing),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(scopes: &[(&str, &str)]) -> Value {
        let mut v = object([
            ("id", Value::Unknown),
            ("environment_id", "env".into()),
            ("user_id", "u1".into()),
            ("role_id", "r1".into()),
            ("read_only", Value::Unknown),
            ("scope_application_id", Value::Null),
            ("scope_environment_id", Value::Null),
            ("scope_organization_id", Value::Null),
            ("scope_population_id", Value::Null),
        ]);
        for (k, s) in scopes {
            v = crate::values::with_attr(v, k, (*s).into());
        }
        v
    }

    #[test]
    fn every_input_forces_replacement() {
        for actor in [Actor::User, Actor::Group, Actor::Application] {
            let s = schema(actor);
            assert_eq!(s.attributes.len(), 9);
            for (name, a) in &s.attributes {
                let computed = matches!(name.as_str(), "id" | "read_only");
                assert_eq!(a.force_new, !computed, "{name}");
            }
            assert!(s.attributes.contains_key(actor.attribute()));
        }
    }

    #[test]
    fn body_has_role_and_exactly_one_scope() {
        assert_eq!(
            to_body(&planned(&[("scope_environment_id", "e2")])).unwrap(),
            json!({"role": {"id": "r1"}, "scope": {"id": "e2", "type": "ENVIRONMENT"}})
        );
        assert!(to_body(&planned(&[])).unwrap_err().contains("exactly one"));
        let two = planned(&[("scope_environment_id", "e2"), ("scope_population_id", "p")]);
        assert!(to_body(&two).is_err());
    }

    #[test]
    fn from_api_spreads_the_scope() {
        let api = json!({"id": "ra", "role": {"id": "r1"}, "scope": {"id": "o1", "type": "ORGANIZATION"}, "readOnly": true});
        let v = from_api(Actor::User, &api, &planned(&[])).unwrap();
        assert_eq!(v.get("scope_organization_id"), Some(&Value::from("o1")));
        assert_eq!(v.get("scope_environment_id"), Some(&Value::Null));
        assert_eq!(v.get("read_only"), Some(&Value::Bool(true)));
        assert_eq!(v.get("user_id"), Some(&Value::from("u1")));
    }
}
