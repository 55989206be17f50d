//! Group memberships: `pingone_user_group_assignment` (a user in a group) and
//! `pingone_group_nesting` (a group in a group) (TERRAFORM-PROVIDER.md §3.6–3.7;
//! API.md §6). Both are a `memberOfGroups` entry of their member, create/delete only.
//!
//! Refresh lists each member's `memberOfGroups` once, for all the groups it is in.

use async_trait::async_trait;
use engine::Value;
use engine::provider::{BlockSchema, Found, ObjectRef, Presence, ProviderError};
use serde_json::json;

use super::common::{
    Collection, api_shape_error, create_error, delete_tolerant, id_attr, link_attr, read_by_list,
    segs, string,
};
use super::{Resource, invalid, state_string};
use crate::client::Client;
use crate::values::{json_string, object, required_string};

/// The key of memberships in a list answer's `_embedded` (API.md §6).
const PLURAL: &str = "groupMemberships";
const SEGMENT: &str = "memberOfGroups";

/// Which kind of membership.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `pingone_user_group_assignment`: `user_id` is in `group_id`.
    UserInGroup,
    /// `pingone_group_nesting`: the POST goes to `group_id`'s `memberOfGroups` with
    /// `nested_group_id` in the body (as the official provider does).
    GroupNesting,
}

impl Kind {
    /// The resource type's name.
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::UserInGroup => "pingone_user_group_assignment",
            Kind::GroupNesting => "pingone_group_nesting",
        }
    }

    /// (member attribute, member collection, group attribute).
    fn parts(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Kind::UserInGroup => ("user_id", "users", "group_id"),
            Kind::GroupNesting => ("group_id", "groups", "nested_group_id"),
        }
    }
}

/// The schema, following the official Terraform provider.
pub fn schema(kind: Kind) -> BlockSchema {
    let (member, _, group) = kind.parts();
    let s = BlockSchema::default()
        .attr("environment_id", link_attr("The environment."))
        .attr(member, link_attr("The member."))
        .attr(group, link_attr("The group."))
        .attr("type", string(Presence::Computed, "DIRECT or INDIRECT."));
    match kind {
        Kind::UserInGroup => s
            .attr("id", string(Presence::Computed, "<user_id>/<group_id>."))
            .attr("name", string(Presence::Computed, "The group's name.")),
        Kind::GroupNesting => s.attr("id", id_attr("The nested group's ID.")),
    }
}

/// The membership's attributes from PingOne's `GroupMembership` JSON.
pub fn from_api(kind: Kind, api: &serde_json::Value, basis: &Value) -> Result<Value, String> {
    let (member, _, group) = kind.parts();
    let group_id = json_string(api, "/id");
    let Some(gid) = group_id.as_str() else {
        return Err("PingOne's answer has no group id".to_string());
    };
    let b = |n: &str| basis.get(n).cloned().unwrap_or(Value::Null);
    let kind_value = json_string(api, "/type");
    Ok(match kind {
        Kind::UserInGroup => {
            let user = required_string(basis, member)?;
            object([
                ("id", Value::from(format!("{user}/{gid}").as_str())),
                ("environment_id", b("environment_id")),
                (member, b(member)),
                (group, group_id.clone()),
                ("type", kind_value),
                ("name", json_string(api, "/name")),
            ])
        }
        Kind::GroupNesting => object([
            ("id", group_id.clone()),
            ("environment_id", b("environment_id")),
            (member, b(member)),
            (group, group_id.clone()),
            ("type", kind_value),
        ]),
    })
}

/// One of the two membership resource types.
pub(crate) struct Membership(pub Kind);

impl Membership {
    fn location(&self, v: &Value) -> Result<(String, String, String), String> {
        let (member, _, group) = self.0.parts();
        Ok((
            required_string(v, "environment_id")?,
            required_string(v, member)?,
            required_string(v, group)?,
        ))
    }
}

#[async_trait]
impl Resource for Membership {
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
        let kind = self.0;
        let (member, collection, group) = kind.parts();
        read_by_list(
            client,
            kind.type_name(),
            objects,
            PLURAL,
            |o| {
                let env = state_string(o, "environment_id")?;
                let who = state_string(o, member)?;
                Ok(Collection {
                    segments: segs(&["environments", &env, collection, &who, SEGMENT]),
                    env,
                })
            },
            |o| state_string(o, group),
            |json, prior| from_api(kind, json, prior),
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
        let (env, who, group) = self.location(planned).map_err(|e| invalid(&operation, e))?;
        let (_, collection, _) = self.0.parts();
        let created = client
            .post(
                &["environments", &env, collection, &who, SEGMENT],
                &json!({ "id": group }),
            )
            .await
            .map_err(|e| {
                create_error(e, &operation, address, |_| format!("{env}/{who}/{group}"))
            })?;
        // Some answers omit the id; the group is the one just added.
        let created = if created.get("id").is_some() {
            created
        } else {
            json!({ "id": group })
        };
        from_api(self.0, &created, planned).map_err(|e| api_shape_error(&operation, e))
    }

    /// Never reached: every input forces replacement.
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
        let (env, who, group) = self.location(prior).map_err(|e| invalid(&operation, e))?;
        let (_, collection, _) = self.0.parts();
        delete_tolerant(
            client,
            &env,
            &["environments", &env, collection, &who, SEGMENT, &group],
            &operation,
        )
        .await
    }

    /// A membership's natural key is the pair itself: one GET tells whether it exists.
    async fn find(
        &self,
        client: &Client,
        address: &str,
        planned: &Value,
    ) -> Result<Found, ProviderError> {
        let operation = format!("find {address}");
        let (env, who, group) = self.location(planned).map_err(|e| invalid(&operation, e))?;
        let (_, collection, _) = self.0.parts();
        let path = [
            "environments",
            env.as_str(),
            collection,
            who.as_str(),
            SEGMENT,
            group.as_str(),
        ];
        match super::common::get_optional(client, &env, &path, &operation).await? {
            Some(found) => from_api(self.0, &found, planned)
                .map(Found::Object)
                .map_err(|e| api_shape_error(&operation, e)),
            None => Ok(Found::Nothing),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_follow_the_terraform_provider() {
        let s = schema(Kind::UserInGroup);
        assert_eq!(s.attributes.len(), 6);
        for n in ["environment_id", "user_id", "group_id"] {
            assert!(s.attributes[n].force_new, "{n}");
        }
        let s = schema(Kind::GroupNesting);
        assert_eq!(s.attributes.len(), 5);
        assert!(s.attributes["nested_group_id"].force_new);
    }

    #[test]
    fn user_assignments_have_a_synthetic_id() {
        let basis = object([
            ("environment_id", "e".into()),
            ("user_id", "u".into()),
            ("group_id", "g".into()),
        ]);
        let v = from_api(
            Kind::UserInGroup,
            &json!({"id": "g", "name": "admins", "type": "DIRECT"}),
            &basis,
        )
        .unwrap();
        assert_eq!(v.get("id"), Some(&Value::from("u/g")));
        assert_eq!(v.get("name"), Some(&Value::from("admins")));
        assert!(from_api(Kind::UserInGroup, &json!({}), &basis).is_err());
    }

    #[test]
    fn nestings_are_identified_by_the_nested_group() {
        let basis = object([
            ("environment_id", "e".into()),
            ("group_id", "p".into()),
            ("nested_group_id", "n".into()),
        ]);
        let v = from_api(
            Kind::GroupNesting,
            &json!({"id": "n", "type": "DIRECT"}),
            &basis,
        )
        .unwrap();
        assert_eq!(v.get("id"), Some(&Value::from("n")));
        assert_eq!(v.get("group_id"), Some(&Value::from("p")));
    }
}
