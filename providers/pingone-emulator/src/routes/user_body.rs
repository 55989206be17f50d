//! The JSON body of a user (API.md §4.2), serialized straight from the stored user: reading
//! one user is the commonest call, and building a `serde_json::Value` first cost more than
//! the rest of the request's own work.
//!
//! Field order and content are those of PingOne's answers: the fixed fields, then the stored
//! profile attributes (one with a fixed field's name, such as `identityProvider` or
//! `verifyStatus`, takes that field's place), then an `include`d group list.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::{Map, Value};

use super::timestamp;
use crate::model::{TenantData, User};

/// The fixed fields, in the order they are written.
const FIXED: [&str; 12] = [
    "_links",
    "id",
    "environment",
    "account",
    "createdAt",
    "enabled",
    "identityProvider",
    "mfaEnabled",
    "population",
    "updatedAt",
    "username",
    "verifyStatus",
];

/// A user as PingOne shows it, ready to serialize.
pub(super) struct UserBody<'a> {
    pub(super) data: &'a TenantData,
    pub(super) user: &'a User,
    /// `http://host:port` for links.
    pub(super) base: &'a str,
    /// `memberOfGroupIDs` or `memberOfGroupNames` adds that list.
    pub(super) include: Option<&'a str>,
}

impl UserBody<'_> {
    /// The user's own URL.
    pub(super) fn href(&self) -> String {
        format!(
            "{}/v1/environments/{}/users/{}",
            self.base, self.user.environment_id, self.user.id
        )
    }
}

/// A one-entry object such as `{"id": ...}` or `{"href": ...}`.
struct One<T>(&'static str, T);

impl<T: Serialize> Serialize for One<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.0, &self.1)?;
        map.end()
    }
}

struct Links<'a>(&'a UserBody<'a>);

impl Serialize for Links<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let UserBody { user, base, .. } = self.0;
        let (env, id) = (&user.environment_id, &user.id);
        let population = &user.population_id;
        // Written through `format_args!`: no string is built for a link.
        let mut map = serializer.serialize_map(Some(4))?;
        let user_link = format_args!("{base}/v1/environments/{env}/users/{id}");
        map.serialize_entry("self", &One("href", user_link))?;
        let password = format_args!("{base}/v1/environments/{env}/users/{id}/password");
        map.serialize_entry("password", &One("href", password))?;
        let pop_link = format_args!("{base}/v1/environments/{env}/populations/{population}");
        map.serialize_entry("population", &One("href", pop_link))?;
        let env_link = format_args!("{base}/v1/environments/{env}");
        map.serialize_entry("environment", &One("href", env_link))?;
        map.end()
    }
}

struct Account<'a>(&'a User);

impl Serialize for Account<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let user = self.0;
        let mut map = serializer.serialize_map(None)?;
        let can_authenticate = user.enabled && user.account_status == "OK";
        map.serialize_entry("canAuthenticate", &can_authenticate)?;
        map.serialize_entry("status", &user.account_status)?;
        if let Some(at) = user.locked_at {
            map.serialize_entry("lockedAt", &timestamp(at))?;
        }
        map.end()
    }
}

/// A stored `identityProvider` object, with `type` defaulting to `PING_ONE`.
struct IdentityProvider<'a>(&'a Map<String, Value>);

impl Serialize for IdentityProvider<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (key, value) in self.0 {
            map.serialize_entry(key, value)?;
        }
        if !self.0.contains_key("type") {
            map.serialize_entry("type", "PING_ONE")?;
        }
        map.end()
    }
}

impl Serialize for UserBody<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let user = self.user;
        let stored = &user.attributes;
        let mut map = serializer.serialize_map(None)?;
        for key in FIXED {
            match (key, stored.get(key)) {
                ("identityProvider", Some(Value::Object(idp))) => {
                    map.serialize_entry(key, &IdentityProvider(idp))?;
                }
                (_, Some(value)) => map.serialize_entry(key, value)?,
                (_, None) => self.fixed_entry(&mut map, key)?,
            }
        }
        for (key, value) in stored {
            if !FIXED.contains(&key.as_str()) {
                map.serialize_entry(key, value)?;
            }
        }
        match self.include {
            Some(key @ "memberOfGroupIDs") => map.serialize_entry(key, &user.group_ids)?,
            Some(key @ "memberOfGroupNames") => {
                let names: Vec<&str> = user
                    .group_ids
                    .iter()
                    .filter_map(|g| self.data.groups.get(g))
                    .map(|g| g.name.as_str())
                    .collect();
                map.serialize_entry(key, &names)?;
            }
            _ => {}
        }
        map.end()
    }
}

impl UserBody<'_> {
    /// Writes the fixed field `key` (one of [`FIXED`]) from the user's own data.
    fn fixed_entry<M: SerializeMap>(&self, map: &mut M, key: &str) -> Result<(), M::Error> {
        let user = self.user;
        match key {
            "_links" => map.serialize_entry(key, &Links(self)),
            "id" => map.serialize_entry(key, &user.id),
            "environment" => map.serialize_entry(key, &One("id", &user.environment_id)),
            "account" => map.serialize_entry(key, &Account(user)),
            "createdAt" => map.serialize_entry(key, &timestamp(user.created_at)),
            "enabled" => map.serialize_entry(key, &user.enabled),
            "identityProvider" => map.serialize_entry(key, &One("type", "PING_ONE")),
            "mfaEnabled" => map.serialize_entry(key, &user.mfa_enabled),
            "population" => map.serialize_entry(key, &One("id", &user.population_id)),
            "updatedAt" => map.serialize_entry(key, &timestamp(user.updated_at)),
            "username" => map.serialize_entry(key, &user.username),
            // "verifyStatus", the last one.
            _ => map.serialize_entry(key, "NOT_INITIATED"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::{self, ADMIN_ENVIRONMENT_ID as ENV};
    use crate::users::{self, Mode, UserInput};
    use serde_json::json;

    fn user_with(data: &mut TenantData, body: Value) -> User {
        let body = body.as_object().cloned().unwrap_or_default();
        let input = UserInput::parse(&body, Mode::Create).expect("input");
        users::create(data, ENV, input).expect("create")
    }

    fn to_json(data: &TenantData, user: &User, include: Option<&str>) -> Value {
        let body = UserBody {
            data,
            user,
            base: "http://h",
            include,
        };
        serde_json::from_slice(&serde_json::to_vec(&body).expect("bytes")).expect("json")
    }

    #[test]
    fn fixed_fields_come_first_and_stored_ones_take_their_place() {
        let mut data = seed::tenant().expect("seed");
        let user = user_with(
            &mut data,
            json!({"username": "u", "email": "u@example.com", "name": {"given": "G"},
                   "verifyStatus": "ENABLED", "identityProvider": {"id": "idp-1"}}),
        );
        let got = to_json(&data, &user, None);
        let keys: Vec<&str> = got
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys[..FIXED.len()], FIXED);
        for stored in ["email", "name", "lifecycle"] {
            assert!(keys[FIXED.len()..].contains(&stored), "{stored}: {keys:?}");
        }
        assert_eq!(keys.len(), FIXED.len() + 3, "no field twice: {keys:?}");
        assert_eq!(got["verifyStatus"], "ENABLED");
        assert_eq!(
            got["identityProvider"],
            json!({"id": "idp-1", "type": "PING_ONE"})
        );
        let href = format!("http://h/v1/environments/{ENV}/users/{}", user.id);
        assert_eq!(got["_links"]["self"]["href"], json!(href));
        assert_eq!(
            got["_links"]["password"]["href"],
            json!(format!("{href}/password"))
        );
        assert_eq!(got["population"]["id"], json!(user.population_id));
        assert_eq!(
            got["account"],
            json!({"canAuthenticate": true, "status": "OK"})
        );
    }

    #[test]
    fn defaults_and_included_groups() {
        let mut data = seed::tenant().expect("seed");
        let user = user_with(
            &mut data,
            json!({"username": "v", "email": "v@example.com"}),
        );
        let got = to_json(&data, &user, Some("memberOfGroupIDs"));
        assert_eq!(got["verifyStatus"], "NOT_INITIATED");
        assert_eq!(got["identityProvider"], json!({"type": "PING_ONE"}));
        assert_eq!(got["memberOfGroupIDs"], json!([]));
        assert!(
            to_json(&data, &user, None)
                .get("memberOfGroupIDs")
                .is_none()
        );
        let names = to_json(&data, &user, Some("memberOfGroupNames"));
        assert_eq!(names["memberOfGroupNames"], json!([]));
    }
}
