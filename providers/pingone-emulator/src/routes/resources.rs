//! The routes of the resource modules added for issue 3 (environment changes, roles,
//! policies, users, groups, applications, role assignments), kept apart from `routes/mod.rs`
//! so that file stays small. Every route here has a row in [`crate::permissions`].

use axum::Router;
use axum::routing::{get, put};

use super::{applications, environments, groups, policies, role_assignments, roles, users};
use crate::Emulator;

const ENV: &str = "/v1/environments/{env_id}";
const USER: &str = "/v1/environments/{env_id}/users/{user_id}";
const APP: &str = "/v1/environments/{env_id}/applications/{application_id}";
const GROUP: &str = "/v1/environments/{env_id}/groups/{group_id}";

/// The resource routes (management API, behind the bearer and permission checks).
pub(super) fn routes() -> Router<Emulator> {
    Router::new()
        .route(
            "/v1/environments",
            axum::routing::post(environments::create),
        )
        .route(ENV, put(environments::replace).delete(environments::delete))
        .route(&format!("{ENV}/type"), put(environments::set_type))
        .route(&format!("{ENV}/status"), put(environments::set_status))
        .route(
            &format!("{ENV}/billOfMaterials"),
            get(environments::bill_of_materials).put(environments::set_bill_of_materials),
        )
        .route(
            &format!("{ENV}/passwordPolicies"),
            get(policies::password_policies),
        )
        .route(
            &format!("{ENV}/passwordPolicies/{{policy_id}}"),
            get(policies::password_policy),
        )
        .route(
            &format!("{ENV}/signOnPolicies"),
            get(policies::sign_on_policies),
        )
        .route(
            &format!("{ENV}/signOnPolicies/{{policy_id}}"),
            get(policies::sign_on_policy),
        )
        .route(
            &format!("{ENV}/users"),
            get(users::list).post(users::create),
        )
        .route(
            USER,
            get(users::one)
                .put(users::replace)
                .patch(users::patch)
                .delete(users::delete)
                .post(users::account),
        )
        .route(
            &format!("{USER}/enabled"),
            get(users::flag).put(users::set_flag),
        )
        .route(
            &format!("{USER}/mfaEnabled"),
            get(users::flag).put(users::set_flag),
        )
        .route(
            &format!("{USER}/population"),
            get(users::population).put(users::set_population),
        )
        .route(
            &format!("{USER}/password"),
            get(users::password).put(users::set_password),
        )
        .route(
            &format!("{ENV}/applications"),
            get(applications::list).post(applications::create),
        )
        .route(
            APP,
            get(applications::one)
                .put(applications::replace)
                .delete(applications::delete),
        )
        .route(
            &format!("{APP}/secret"),
            get(applications::secret)
                .post(applications::regenerate)
                .delete(applications::delete_previous),
        )
        .route(
            &format!("{ENV}/groups"),
            get(groups::list).post(groups::create),
        )
        .route(
            GROUP,
            get(groups::one).put(groups::replace).delete(groups::delete),
        )
        .route(
            &format!("{USER}/memberOfGroups"),
            get(groups::memberships).post(groups::add),
        )
        .route(
            &format!("{USER}/memberOfGroups/{{group_id}}"),
            get(groups::membership).delete(groups::remove),
        )
        .route(
            &format!("{GROUP}/memberOfGroups"),
            get(groups::memberships).post(groups::add),
        )
        .route(
            &format!("{GROUP}/memberOfGroups/{{parent_id}}"),
            get(groups::membership).delete(groups::remove),
        )
        .merge(assignments(GROUP))
        .merge(assignments(USER))
        .merge(assignments(APP))
        .route("/v1/roles", get(roles::list))
        .route("/v1/roles/{role_id}", get(roles::one))
}

/// The role-assignment routes of one kind of actor (`actor` is its item path).
fn assignments(actor: &str) -> Router<Emulator> {
    Router::new()
        .route(
            &format!("{actor}/roleAssignments"),
            get(role_assignments::list).post(role_assignments::create),
        )
        .route(
            &format!("{actor}/roleAssignments/{{assignment_id}}"),
            get(role_assignments::one).delete(role_assignments::delete),
        )
}
