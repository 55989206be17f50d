//! Population rules (API.md §3): what a create, replace or delete may do to the tenant.
//!
//! Names are unique per environment (compared case-insensitively; PingOne's exact rule is
//! undocumented, so the emulator errs on the strict side), at most one population per
//! environment is the default (setting a new default clears the old one), and a population is
//! deleted only if it is not the environment's last one, not the default, and has no users.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use crate::api_error::{ApiError, Detail, NOT_FOUND_MESSAGE};
use crate::fields::Fields;
use crate::model::{Population, TenantData, new_id, now};

/// The writable attributes of a population, as sent in a POST or PUT body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PopulationInput {
    name: String,
    description: Option<String>,
    default: bool,
    password_policy_id: Option<String>,
    theme_id: Option<String>,
    preferred_language: Option<String>,
    alternative_identifiers: Option<Vec<String>>,
}

impl PopulationInput {
    /// Validates a request body; read-only attributes (`id`, `environment`, `userCount`,
    /// `createdAt`, `updatedAt`, `_links`) and unknown ones are ignored.
    pub(crate) fn parse(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body);
        let name = fields.required_string("name");
        let input = PopulationInput {
            name: name.clone().unwrap_or_default(),
            description: fields.optional_string("description"),
            default: fields.optional_bool("default").unwrap_or(false),
            password_policy_id: fields.optional_reference("passwordPolicy"),
            theme_id: fields.optional_reference("theme"),
            preferred_language: fields.optional_string("preferredLanguage"),
            alternative_identifiers: fields.optional_strings("alternativeIdentifiers"),
        };
        fields.finish()?;
        Ok(input)
    }

    fn apply_to(self, population: &mut Population) {
        population.name = self.name;
        population.description = self.description;
        population.default = self.default;
        population.password_policy_id = self.password_policy_id;
        population.theme_id = self.theme_id;
        population.preferred_language = self.preferred_language;
        population.alternative_identifiers = self.alternative_identifiers;
    }
}

/// 404 for a population that is not in the environment.
pub(crate) fn not_found() -> ApiError {
    ApiError::not_found(NOT_FOUND_MESSAGE)
}

/// Creates a population in an (existing) environment.
pub(crate) fn create(
    data: &mut TenantData,
    env_id: &str,
    input: PopulationInput,
) -> Result<Population, ApiError> {
    check_unique_name(data, env_id, &input.name, None)?;
    let at = now();
    let mut population = Population {
        id: new_id(),
        environment_id: env_id.to_owned(),
        name: String::new(),
        description: None,
        default: false,
        user_count: 0,
        password_policy_id: None,
        theme_id: None,
        preferred_language: None,
        alternative_identifiers: None,
        created_at: at,
        updated_at: at,
    };
    input.apply_to(&mut population);
    if population.default {
        clear_default(data, env_id);
    }
    data.populations.push(population.clone());
    Ok(population)
}

/// Replaces every writable attribute of a population; omitted optional ones are cleared.
pub(crate) fn replace(
    data: &mut TenantData,
    env_id: &str,
    id: &str,
    input: PopulationInput,
) -> Result<Population, ApiError> {
    let index = position(data, env_id, id).ok_or_else(not_found)?;
    check_unique_name(data, env_id, &input.name, Some(id))?;
    if input.default {
        clear_default(data, env_id);
    }
    let population = &mut data.populations[index];
    input.apply_to(population);
    population.updated_at = now();
    Ok(population.clone())
}

/// Deletes a population, if PingOne would allow it.
pub(crate) fn delete(data: &mut TenantData, env_id: &str, id: &str) -> Result<(), ApiError> {
    let index = position(data, env_id, id).ok_or_else(not_found)?;
    let population = &data.populations[index];
    if data.populations_of(env_id).count() <= 1 {
        return Err(constraint(
            "An environment must contain at least one population.",
            "An environment must contain at least one population; this is its last one.",
            "id",
        ));
    }
    if population.default {
        return Err(constraint(
            "The default population cannot be deleted.",
            "The population is the environment's default population; make another population the default first.",
            "default",
        ));
    }
    if population.user_count > 0 {
        return Err(constraint(
            "The population cannot be deleted because it contains users.",
            "A population can only be deleted if it does not have any associated users.",
            "userCount",
        ));
    }
    data.populations.remove(index);
    Ok(())
}

fn position(data: &TenantData, env_id: &str, id: &str) -> Option<usize> {
    data.populations
        .iter()
        .position(|p| p.environment_id == env_id && p.id == id)
}

fn check_unique_name(
    data: &TenantData,
    env_id: &str,
    name: &str,
    except: Option<&str>,
) -> Result<(), ApiError> {
    let wanted = name.to_lowercase();
    let clash = data
        .populations_of(env_id)
        .find(|p| Some(p.id.as_str()) != except && p.name.to_lowercase() == wanted);
    match clash {
        None => Ok(()),
        Some(existing) => Err(ApiError::invalid_data(vec![
            Detail::new("UNIQUENESS_VIOLATION", format!("A population named '{name}' already exists in this environment; name must be unique within an environment."))
                .target("name")
                .inner("existingId", json!(existing.id)),
        ])),
    }
}

fn clear_default(data: &mut TenantData, env_id: &str) {
    let at = now();
    for population in data.populations.iter_mut() {
        if population.environment_id == env_id && population.default {
            population.default = false;
            population.updated_at = at;
        }
    }
}

/// 400 `REQUEST_FAILED` with a `CONSTRAINT_VIOLATION` detail.
fn constraint(summary: &str, detail: &str, target: &str) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "REQUEST_FAILED",
        format!("The request could not be completed. {summary}"),
    )
    .detail(Detail::new("CONSTRAINT_VIOLATION", detail).target(target))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;

    fn input(name: &str, default: bool) -> PopulationInput {
        let body = json!({"name": name, "default": default});
        PopulationInput::parse(body.as_object().unwrap_or(&Map::new())).expect("input")
    }

    fn tenant() -> (TenantData, String) {
        let data = seed::tenant().expect("seed");
        let env = data.environments[0].id.clone();
        (data, env)
    }

    #[test]
    fn name_is_required() {
        let error = PopulationInput::parse(&Map::new()).expect_err("error");
        let detail = error.body()["details"][0].clone();
        assert_eq!(
            (detail["code"].clone(), detail["target"].clone()),
            (json!("REQUIRED_VALUE"), json!("name"))
        );
    }

    #[test]
    fn names_are_unique_per_environment() {
        let (mut data, env) = tenant();
        let error = create(&mut data, &env, input("default", false)).expect_err("clash");
        let body = error.body();
        assert_eq!(body["details"][0]["code"], "UNIQUENESS_VIOLATION");
        assert_eq!(
            body["details"][0]["innerError"]["existingId"],
            json!(data.populations[0].id)
        );
        assert!(create(&mut data, "other-env", input("Default", false)).is_ok());
    }

    #[test]
    fn a_new_default_clears_the_old_one() {
        let (mut data, env) = tenant();
        let created = create(&mut data, &env, input("Staff", true)).expect("create");
        let defaults: Vec<_> = data
            .populations_of(&env)
            .filter(|p| p.default)
            .map(|p| p.id.clone())
            .collect();
        assert_eq!(defaults, vec![created.id]);
    }

    #[test]
    fn replace_clears_omitted_attributes_and_keeps_read_only_ones() {
        let (mut data, env) = tenant();
        let id = data.populations[0].id.clone();
        let created_at = data.populations[0].created_at;
        let replaced = replace(&mut data, &env, &id, input("Renamed", false)).expect("replace");
        assert_eq!(
            (
                replaced.name.as_str(),
                replaced.description.clone(),
                replaced.default
            ),
            ("Renamed", None, false)
        );
        assert_eq!(replaced.created_at, created_at);
        assert!(replace(&mut data, &env, "nope", input("x", false)).is_err());
    }

    #[test]
    fn delete_rules() {
        let (mut data, env) = tenant();
        let default_id = data.populations[0].id.clone();
        let last = delete(&mut data, &env, &default_id).expect_err("last");
        assert!(
            last.body()["details"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("must contain at least one population")
        );
        let other = create(&mut data, &env, input("Staff", false)).expect("create");
        let default = delete(&mut data, &env, &default_id).expect_err("default");
        assert_eq!(default.body()["details"][0]["code"], "CONSTRAINT_VIOLATION");
        data.populations[1].user_count = 1;
        let busy = delete(&mut data, &env, &other.id).expect_err("busy");
        assert!(
            busy.body()["message"]
                .as_str()
                .unwrap_or_default()
                .starts_with("The request could not be completed")
        );
        data.populations[1].user_count = 0;
        assert!(delete(&mut data, &env, &other.id).is_ok());
        assert_eq!(
            delete(&mut data, &env, &other.id).err().map(|e| e.status()),
            Some(StatusCode::NOT_FOUND)
        );
    }
}
