//! Role-based access control for every `/v1` call (API.md §5): one table row per route names
//! the permission the route needs and what the call is about (its scope target); the caller's
//! role assignments must grant that permission at a scope that covers the target.
//!
//! Scopes nest: an ORGANIZATION assignment covers everything; an ENVIRONMENT assignment covers
//! that environment and what is in it; a POPULATION assignment covers users of that population
//! (and the population itself); an APPLICATION assignment covers that application.
//!
//! Refusals are PingOne's 403 `ACCESS_FAILED` ("You do not have permissions or are not licensed
//! to make this request."); a call under an environment that does not exist is the 403 PingOne
//! gives for that (API.md §8.1), whatever the caller's roles. A route missing from the table is
//! refused: new routes must be added here deliberately.
//!
//! A new role assignment takes effect only after the role-assignment consistency window
//! ([`crate::Faults::role_consistency_ms`]), as PingOne's permissions propagate with a delay
//! (API.md §5.4, §8.4): until then the checks here ignore it, so the caller gets the same 403 as
//! without it (the body the Terraform provider retries on).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use axum::http::Method;

use chrono::{DateTime, Utc};

use crate::api_error::ApiError;
use crate::model::{RoleAssignment, TenantData};
use crate::roles::{self, Permission};

/// What a call is about, for scope checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// The organization itself (creating environments, reading licenses).
    Organization,
    /// An environment, or something in it not narrower than the environment.
    Environment(String),
    /// A population of an environment (or a user in it).
    Population(String, String),
    /// An application of an environment.
    Application(String, String),
}

impl Target {
    fn environment(&self) -> Option<&str> {
        match self {
            Target::Organization => None,
            Target::Environment(env) | Target::Population(env, _) | Target::Application(env, _) => {
                Some(env)
            }
        }
    }
}

/// The actor whose role assignments a check consults, and which of them have taken effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Actor<'a> {
    /// The user or application ID.
    pub(crate) id: &'a str,
    /// Assignments created after this instant have not taken effect yet; `None`: all have.
    settled_until: Option<DateTime<Utc>>,
}

impl<'a> Actor<'a> {
    /// An actor all of whose assignments are in effect.
    #[cfg(test)]
    pub(crate) fn settled(id: &'a str) -> Self {
        Actor {
            id,
            settled_until: None,
        }
    }

    /// An actor whose assignments created after `settled_until` (if any) are not in effect yet.
    pub(crate) fn new(id: &'a str, settled_until: Option<DateTime<Utc>>) -> Self {
        Actor { id, settled_until }
    }

    /// The instant after which its assignments have not taken effect yet, if any.
    pub(crate) fn settled_until(&self) -> Option<DateTime<Utc>> {
        self.settled_until
    }

    fn in_effect(&self, assignment: &RoleAssignment) -> bool {
        self.settled_until
            .is_none_or(|at| assignment.created_at <= at)
    }
}

/// How a route's target is found from its path parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// No permission needed beyond a valid token.
    Any,
    Organization,
    Environment,
    /// `{population_id}`.
    Population,
    /// The population of `{user_id}`.
    User,
    /// `{application_id}`.
    Application,
}

/// One route's access rule.
#[derive(Debug)]
struct Rule {
    method: Method,
    path: &'static str,
    permission: Permission,
    scope: Scope,
}

const ENV: &str = "/v1/environments/{env_id}";

macro_rules! rules {
    ($( $method:ident $path:expr => $permission:expr, $scope:ident; )*) => {
        fn table() -> Vec<Rule> {
            vec![$( Rule {
                method: Method::$method,
                path: $path,
                permission: $permission,
                scope: Scope::$scope,
            } ),*]
        }
    };
}

rules! {
    GET "/v1/organizations" => "", Any;
    GET "/v1/organizations/{org_id}" => "orgmgt:read:organization", Organization;
    GET "/v1/organizations/{org_id}/licenses" => "orgmgt:read:license", Organization;
    GET "/v1/organizations/{org_id}/licenses/{license_id}" => "orgmgt:read:license", Organization;
    GET "/v1/roles" => "", Any;
    GET "/v1/roles/{role_id}" => "", Any;
    GET "/v1/environments" => "", Any;
    POST "/v1/environments" => "orgmgt:create:environment", Organization;
    GET ENV => "orgmgt:read:environment", Environment;
    PUT ENV => "orgmgt:update:environment", Environment;
    DELETE ENV => "orgmgt:delete:environment", Environment;
    PUT "/v1/environments/{env_id}/type" => "orgmgt:update:environment", Environment;
    PUT "/v1/environments/{env_id}/status" => "orgmgt:update:environment", Environment;
    GET "/v1/environments/{env_id}/billOfMaterials" => "orgmgt:read:environment", Environment;
    PUT "/v1/environments/{env_id}/billOfMaterials" => "orgmgt:update:environment", Environment;
    GET "/v1/environments/{env_id}/passwordPolicies" => "core:read:passwordPolicy", Environment;
    GET "/v1/environments/{env_id}/passwordPolicies/{policy_id}" => "core:read:passwordPolicy", Environment;
    GET "/v1/environments/{env_id}/signOnPolicies" => "core:read:signOnPolicy", Environment;
    GET "/v1/environments/{env_id}/signOnPolicies/{policy_id}" => "core:read:signOnPolicy", Environment;
    GET "/v1/environments/{env_id}/populations" => "core:read:population", Environment;
    POST "/v1/environments/{env_id}/populations" => "core:create:population", Environment;
    GET "/v1/environments/{env_id}/populations/{population_id}" => "core:read:population", Population;
    PUT "/v1/environments/{env_id}/populations/{population_id}" => "core:update:population", Population;
    DELETE "/v1/environments/{env_id}/populations/{population_id}" => "core:delete:population", Population;
    GET "/v1/environments/{env_id}/users" => "core:read:user", Environment;
    POST "/v1/environments/{env_id}/users" => "core:create:user", Environment;
    GET "/v1/environments/{env_id}/users/{user_id}" => "core:read:user", User;
    PUT "/v1/environments/{env_id}/users/{user_id}" => "core:update:user", User;
    PATCH "/v1/environments/{env_id}/users/{user_id}" => "core:update:user", User;
    DELETE "/v1/environments/{env_id}/users/{user_id}" => "core:delete:user", User;
    POST "/v1/environments/{env_id}/users/{user_id}" => "core:update:user", User;
    GET "/v1/environments/{env_id}/users/{user_id}/enabled" => "core:read:user", User;
    PUT "/v1/environments/{env_id}/users/{user_id}/enabled" => "core:update:user", User;
    GET "/v1/environments/{env_id}/users/{user_id}/mfaEnabled" => "core:read:user", User;
    PUT "/v1/environments/{env_id}/users/{user_id}/mfaEnabled" => "core:update:user", User;
    GET "/v1/environments/{env_id}/users/{user_id}/population" => "core:read:user", User;
    PUT "/v1/environments/{env_id}/users/{user_id}/population" => "core:update:userPopulation", User;
    GET "/v1/environments/{env_id}/users/{user_id}/password" => "core:read:userPassword", User;
    PUT "/v1/environments/{env_id}/users/{user_id}/password" => "core:update:userPassword", User;
    GET "/v1/environments/{env_id}/users/{user_id}/memberOfGroups" => "core:read:groupMembership", User;
    POST "/v1/environments/{env_id}/users/{user_id}/memberOfGroups" => "core:create:groupMembership", User;
    GET "/v1/environments/{env_id}/users/{user_id}/memberOfGroups/{group_id}" => "core:read:groupMembership", User;
    DELETE "/v1/environments/{env_id}/users/{user_id}/memberOfGroups/{group_id}" => "core:delete:groupMembership", User;
    GET "/v1/environments/{env_id}/users/{user_id}/roleAssignments" => "core:read:roleAssignment", User;
    POST "/v1/environments/{env_id}/users/{user_id}/roleAssignments" => "core:create:roleAssignment", User;
    GET "/v1/environments/{env_id}/users/{user_id}/roleAssignments/{assignment_id}" => "core:read:roleAssignment", User;
    DELETE "/v1/environments/{env_id}/users/{user_id}/roleAssignments/{assignment_id}" => "core:delete:roleAssignment", User;
    GET "/v1/environments/{env_id}/groups" => "core:read:group", Environment;
    POST "/v1/environments/{env_id}/groups" => "core:create:group", Environment;
    GET "/v1/environments/{env_id}/groups/{group_id}" => "core:read:group", Environment;
    PUT "/v1/environments/{env_id}/groups/{group_id}" => "core:update:group", Environment;
    DELETE "/v1/environments/{env_id}/groups/{group_id}" => "core:delete:group", Environment;
    GET "/v1/environments/{env_id}/groups/{group_id}/memberOfGroups" => "core:read:groupMembership", Environment;
    POST "/v1/environments/{env_id}/groups/{group_id}/memberOfGroups" => "core:create:groupMembership", Environment;
    GET "/v1/environments/{env_id}/groups/{group_id}/memberOfGroups/{parent_id}" => "core:read:groupMembership", Environment;
    DELETE "/v1/environments/{env_id}/groups/{group_id}/memberOfGroups/{parent_id}" => "core:delete:groupMembership", Environment;
    GET "/v1/environments/{env_id}/groups/{group_id}/roleAssignments" => "core:read:roleAssignment", Environment;
    POST "/v1/environments/{env_id}/groups/{group_id}/roleAssignments" => "core:create:roleAssignment", Environment;
    GET "/v1/environments/{env_id}/groups/{group_id}/roleAssignments/{assignment_id}" => "core:read:roleAssignment", Environment;
    DELETE "/v1/environments/{env_id}/groups/{group_id}/roleAssignments/{assignment_id}" => "core:delete:roleAssignment", Environment;
    GET "/v1/environments/{env_id}/applications" => "core:read:application", Environment;
    POST "/v1/environments/{env_id}/applications" => "core:create:application", Environment;
    GET "/v1/environments/{env_id}/applications/{application_id}" => "core:read:application", Application;
    PUT "/v1/environments/{env_id}/applications/{application_id}" => "core:update:application", Application;
    DELETE "/v1/environments/{env_id}/applications/{application_id}" => "core:delete:application", Application;
    GET "/v1/environments/{env_id}/applications/{application_id}/secret" => "core:read:applicationSecret", Application;
    POST "/v1/environments/{env_id}/applications/{application_id}/secret" => "core:update:applicationSecret", Application;
    DELETE "/v1/environments/{env_id}/applications/{application_id}/secret" => "core:update:applicationSecret", Application;
    GET "/v1/environments/{env_id}/applications/{application_id}/roleAssignments" => "core:read:roleAssignment", Application;
    POST "/v1/environments/{env_id}/applications/{application_id}/roleAssignments" => "core:create:roleAssignment", Application;
    GET "/v1/environments/{env_id}/applications/{application_id}/roleAssignments/{assignment_id}" => "core:read:roleAssignment", Application;
    DELETE "/v1/environments/{env_id}/applications/{application_id}/roleAssignments/{assignment_id}" => "core:delete:roleAssignment", Application;
}

/// The route table by path pattern, built once.
fn rules() -> &'static HashMap<&'static str, Vec<Rule>> {
    static RULES: OnceLock<HashMap<&'static str, Vec<Rule>>> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut by_path: HashMap<&'static str, Vec<Rule>> = HashMap::new();
        for rule in table() {
            by_path.entry(rule.path).or_default().push(rule);
        }
        by_path
    })
}

/// Decides one call: `Ok` to go ahead, or the error to answer.
pub(crate) fn check(
    data: &TenantData,
    actor: Actor<'_>,
    method: &Method,
    pattern: &str,
    path: &str,
) -> Result<(), ApiError> {
    let Some(for_path) = rules().get(pattern) else {
        return Err(ApiError::forbidden());
    };
    let Some(rule) = for_path.iter().find(|r| r.method == *method) else {
        // A method the route does not serve goes on to the router's 405.
        return Ok(());
    };
    if rule.scope == Scope::Any {
        return Ok(());
    }
    let params = bind(pattern, path)?;
    let param = |name: &str| {
        params
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_ref())
    };
    let env_id = param("env_id");
    if rule.scope != Scope::Organization && data.environment(env_id).is_none() {
        // GET/PUT/DELETE /environments/{id} answer 404 for a missing environment; the
        // handler says so. Everything under it is PingOne's 403 (API.md §8.1).
        return if pattern == ENV && allowed(data, actor, rule.permission, &Target::Organization) {
            Ok(())
        } else {
            Err(ApiError::no_access())
        };
    }
    let env = || env_id.to_owned();
    let target = match rule.scope {
        Scope::Any | Scope::Organization => Target::Organization,
        Scope::Environment => Target::Environment(env()),
        Scope::Population => Target::Population(env(), param("population_id").to_owned()),
        Scope::Application => Target::Application(env(), param("application_id").to_owned()),
        Scope::User => match data.users.get_in(env_id, param("user_id")) {
            Some(user) => Target::Population(env(), user.population_id.clone()),
            None => Target::Environment(env()),
        },
    };
    if allowed(data, actor, rule.permission, &target) {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

/// The path parameters of `path` under `pattern`, by name; 400 `INVALID_REQUEST` for one that
/// is not UTF-8 once percent-decoded (as the handlers' path extractor would answer).
fn bind<'p, 'v>(pattern: &'p str, path: &'v str) -> Result<Vec<(&'p str, Cow<'v, str>)>, ApiError> {
    pattern
        .split('/')
        .zip(path.split('/'))
        .filter_map(|(p, v)| {
            let name = p.strip_prefix('{')?.strip_suffix('}')?;
            Some(percent_decode(v).map(|v| (name, v)))
        })
        .collect()
}

fn percent_decode(value: &str) -> Result<Cow<'_, str>, ApiError> {
    if !value.contains('%') {
        return Ok(Cow::Borrowed(value));
    }
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |j: usize| bytes.get(j).and_then(|b| (*b as char).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push(u8::try_from(hi * 16 + lo).unwrap_or_default());
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out)
        .map(Cow::Owned)
        .map_err(|_| ApiError::invalid_request("Invalid URL: a path parameter is not valid UTF-8."))
}

/// Whether the actor's role assignments grant `permission` over `target`.
pub(crate) fn allowed(
    data: &TenantData,
    actor: Actor<'_>,
    permission: Permission,
    target: &Target,
) -> bool {
    assignments(data, actor)
        .any(|a| roles::grants(&a.role_id, permission) && covers(data, a, target))
}

/// The role assignments in effect for an actor: its own and, for a user, its groups'.
fn assignments<'a>(
    data: &'a TenantData,
    actor: Actor<'a>,
) -> impl Iterator<Item = &'a RoleAssignment> + 'a {
    let groups = data
        .users
        .get(actor.id)
        .map(|u| u.group_ids.as_slice())
        .unwrap_or_default();
    data.role_assignments
        .iter_in(actor.id, None)
        .chain(
            groups
                .iter()
                .flat_map(move |g| data.role_assignments.iter_in(g, None)),
        )
        .filter(move |a| actor.in_effect(a))
}

/// Whether an assignment's scope covers the target.
pub(crate) fn covers(data: &TenantData, assignment: &RoleAssignment, target: &Target) -> bool {
    let scope_id = assignment.scope_id.as_str();
    match assignment.scope_type.as_str() {
        "ORGANIZATION" => scope_id == data.organization.id,
        "ENVIRONMENT" => target.environment() == Some(scope_id),
        "POPULATION" => matches!(target, Target::Population(_, p) if p == scope_id),
        "APPLICATION" => matches!(target, Target::Application(_, a) if a == scope_id),
        _ => false,
    }
}

/// The target a role-assignment scope names, if it exists.
pub(crate) fn scope_target(data: &TenantData, scope_type: &str, scope_id: &str) -> Option<Target> {
    match scope_type {
        "ORGANIZATION" => (scope_id == data.organization.id).then_some(Target::Organization),
        "ENVIRONMENT" => data
            .environment(scope_id)
            .map(|e| Target::Environment(e.id.clone())),
        "POPULATION" => data
            .populations
            .iter()
            .find(|p| p.id == scope_id)
            .map(|p| Target::Population(p.environment_id.clone(), p.id.clone())),
        "APPLICATION" => data
            .applications
            .get(scope_id)
            .map(|a| Target::Application(a.environment_id.clone(), a.id.clone())),
        _ => None,
    }
}

/// Whether the actor may grant `role_id` at `target`: it holds that role, or a role that can
/// assign it (PingOne's "can assign" matrix, API.md §5.1), at a scope that covers `target`
/// (the same or a broader scope).
pub(crate) fn may_grant(
    data: &TenantData,
    actor: Actor<'_>,
    role_id: &str,
    target: &Target,
) -> bool {
    assignments(data, actor).any(|a| can_assign(&a.role_id, role_id) && covers(data, a, target))
}

/// PingOne's "can assign" matrix, plus holding the role itself.
fn can_assign(held: &str, wanted: &str) -> bool {
    let name = |id: &str| roles::role(id).map_or("", |r| r.name);
    held == wanted
        || match name(held) {
            "Organization Admin" => name(wanted) == "Environment Admin",
            "Environment Admin" => name(wanted) != "Organization Admin",
            "Identity Data Admin" => matches!(
                name(wanted),
                "Identity Data Admin" | "Identity Data Read Only" | "Help Desk Admin"
            ),
            "DaVinci Admin" => matches!(name(wanted), "DaVinci Admin" | "DaVinci Admin Read Only"),
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roles::{CLIENT_APPLICATION_DEVELOPER, IDENTITY_DATA_ADMIN};
    use crate::seed::{self, ADMIN_ENVIRONMENT_ID};
    use axum::http::StatusCode;

    fn tenant_with(actor: &str, role: &str) -> TenantData {
        let mut data = seed::tenant().expect("seed");
        let a = seed::assignment(
            actor,
            ADMIN_ENVIRONMENT_ID,
            role,
            "ENVIRONMENT",
            ADMIN_ENVIRONMENT_ID,
            false,
        );
        data.role_assignments.insert(a);
        data
    }

    fn status(data: &TenantData, actor: &str, method: Method, pattern: &str) -> Option<StatusCode> {
        let path = pattern
            .replace("{env_id}", ADMIN_ENVIRONMENT_ID)
            .replace("{application_id}", "app");
        check(data, Actor::settled(actor), &method, pattern, &path)
            .err()
            .map(|e| e.status())
    }

    #[test]
    fn identity_data_admin_manages_users_but_not_applications() {
        let data = tenant_with("ida", IDENTITY_DATA_ADMIN);
        let users = "/v1/environments/{env_id}/users";
        assert_eq!(status(&data, "ida", Method::POST, users), None);
        let apps = "/v1/environments/{env_id}/applications";
        assert_eq!(
            status(&data, "ida", Method::POST, apps),
            Some(StatusCode::FORBIDDEN)
        );
        let secret = "/v1/environments/{env_id}/applications/{application_id}/secret";
        assert_eq!(
            status(&data, "ida", Method::GET, secret),
            Some(StatusCode::FORBIDDEN)
        );
        assert_eq!(
            status(&data, "ida", Method::POST, "/v1/environments"),
            Some(StatusCode::FORBIDDEN)
        );
    }

    #[test]
    fn client_application_developer_reads_secrets() {
        let data = tenant_with("cad", CLIENT_APPLICATION_DEVELOPER);
        let secret = "/v1/environments/{env_id}/applications/{application_id}/secret";
        assert_eq!(status(&data, "cad", Method::GET, secret), None);
        let users = "/v1/environments/{env_id}/users";
        assert_eq!(
            status(&data, "cad", Method::GET, users),
            Some(StatusCode::FORBIDDEN)
        );
    }

    #[test]
    fn the_admin_worker_may_do_everything_and_unknown_routes_are_refused() {
        let data = seed::tenant().expect("seed");
        let worker = data.admin_application_id.clone();
        for rule in rules().values().flatten() {
            assert_eq!(
                status(&data, &worker, rule.method.clone(), rule.path),
                None,
                "{} {}",
                rule.method,
                rule.path
            );
        }
        assert_eq!(
            status(&data, &worker, Method::GET, "/v1/nowhere"),
            Some(StatusCode::FORBIDDEN)
        );
    }

    #[test]
    fn calls_under_a_missing_environment_are_403_except_the_environment_itself() {
        let data = seed::tenant().expect("seed");
        let worker = data.admin_application_id.clone();
        let pattern = "/v1/environments/{env_id}/users";
        let error = check(
            &data,
            Actor::settled(&worker),
            &Method::GET,
            pattern,
            "/v1/environments/nope/users",
        )
        .expect_err("403");
        assert_eq!(error.status(), StatusCode::FORBIDDEN);
        assert!(
            check(
                &data,
                Actor::settled(&worker),
                &Method::GET,
                ENV,
                "/v1/environments/nope"
            )
            .is_ok()
        );
    }

    #[test]
    fn population_scope_covers_only_that_populations_users() {
        let mut data = seed::tenant().expect("seed");
        let pop = data.populations[0].id.clone();
        let grant = seed::assignment(
            "pa",
            ADMIN_ENVIRONMENT_ID,
            IDENTITY_DATA_ADMIN,
            "POPULATION",
            &pop,
            false,
        );
        data.role_assignments.insert(grant);
        let body = serde_json::json!({"username": "u", "email": "u@example.com"});
        let input = crate::users::UserInput::parse(
            body.as_object().expect("object"),
            crate::users::Mode::Create,
        )
        .expect("input");
        let user = crate::users::create(&mut data, ADMIN_ENVIRONMENT_ID, input).expect("user");
        let one = "/v1/environments/{env_id}/users/{user_id}";
        let path = format!("/v1/environments/{ADMIN_ENVIRONMENT_ID}/users/{}", user.id);
        assert!(check(&data, Actor::settled("pa"), &Method::GET, one, &path).is_ok());
        let list = "/v1/environments/{env_id}/users";
        assert_eq!(
            status(&data, "pa", Method::GET, list),
            Some(StatusCode::FORBIDDEN)
        );
    }

    #[test]
    fn assignments_after_the_settled_instant_grant_nothing() {
        let data = tenant_with("late", IDENTITY_DATA_ADMIN);
        let path = format!("/v1/environments/{ADMIN_ENVIRONMENT_ID}/users");
        let pattern = "/v1/environments/{env_id}/users";
        let before = crate::model::latest() - chrono::Duration::seconds(1);
        let pending = Actor::new("late", Some(before));
        let error = check(&data, pending, &Method::GET, pattern, &path).expect_err("pending");
        assert_eq!(error.status(), StatusCode::FORBIDDEN);
        let target = Target::Environment(ADMIN_ENVIRONMENT_ID.into());
        assert!(!may_grant(&data, pending, IDENTITY_DATA_ADMIN, &target));
        let settled = Actor::new("late", Some(crate::model::latest()));
        assert!(check(&data, settled, &Method::GET, pattern, &path).is_ok());
        assert!(may_grant(&data, settled, IDENTITY_DATA_ADMIN, &target));
    }
}
