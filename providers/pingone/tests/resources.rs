//! Every resource type's round trip against the in-process emulator: create, refresh,
//! update, replace (delete + create), delete, and changes made out of band.

mod support;

use engine::Value;
use engine::plan::Action;
use engine::provider::{Found, Provider, RiskRequest};
use serde_json::json;
use support::{Harness, obj, s, start, with};

const USER: &str = "pingone_user";
const POPULATION: &str = "pingone_population";

async fn population(h: &Harness, name: &str) -> Value {
    h.create(
        POPULATION,
        &[("environment_id", h.env()), ("name", name.into())],
    )
    .await
    .expect("create population")
}

#[tokio::test]
async fn user_round_trip_with_write_only_password_and_moves() {
    let h = start().await;
    let staff = population(&h, "staff").await;
    let guests = population(&h, "guests").await;
    let config = [
        ("environment_id", h.env()),
        ("username", "ada".into()),
        ("email", "ada@example.com".into()),
        ("population_id", staff.get("id").cloned().unwrap()),
        (
            "name",
            obj(&[("given", "Ada".into()), ("family", "Lovelace".into())]),
        ),
        (
            "password",
            obj(&[
                ("initial_value", "Corr3ct-Horse!".into()),
                ("force_change", true.into()),
            ]),
        ),
    ];
    let user = h.create(USER, &config).await.expect("create user");
    assert!(user.is_wholly_known(), "{user}");
    assert!(
        !user.to_string().contains("Corr3ct"),
        "password leaked into {user}"
    );
    assert_eq!(user.get("password"), Some(&Value::Null), "write-only");
    // The password went with the one create call: PingOne asks for a change at sign-on.
    let state = h
        .client()
        .get(&[
            "environments",
            s(&user, "environment_id"),
            "users",
            s(&user, "id"),
            "password",
        ])
        .await
        .expect("password state");
    assert_eq!(state["status"], json!("MUST_CHANGE_PASSWORD"), "{state}");
    assert_eq!(
        user.get("name"),
        Some(&obj(&[
            ("given", "Ada".into()),
            ("family", "Lovelace".into())
        ]))
    );
    assert_eq!(h.read_one(USER, &user).await, Some(user.clone()));

    // Natural-key lookup for crash recovery.
    assert_eq!(
        h.find(USER, &h.plan(USER, &config)).await,
        Found::Object(user.clone())
    );

    // A second create with the same username names the existing user and the import.
    let err = h.create(USER, &config).await.unwrap_err();
    assert!(
        err.message.contains("already exists in PingOne"),
        "{}",
        err.message
    );
    assert!(
        err.message.contains(&format!(
            "pingform import pingone_user.test {}/{}",
            s(&user, "environment_id"),
            s(&user, "id")
        )),
        "{}",
        err.message
    );

    // Update: new email, disabled, moved to another population.
    let planned = with(&user, "email", "ada@lovelace.org".into());
    let planned = with(&planned, "enabled", false.into());
    let planned = with(
        &planned,
        "population_id",
        guests.get("id").cloned().unwrap(),
    );
    let updated = h.update(USER, &user, &planned).await.expect("update");
    assert_eq!(updated.get("email"), Some(&Value::from("ada@lovelace.org")));
    assert_eq!(updated.get("enabled"), Some(&Value::Bool(false)));
    assert_eq!(updated.get("population_id"), guests.get("id"));
    assert_eq!(h.read_one(USER, &updated).await, Some(updated.clone()));

    // Out of band: another tool changes the nickname; refresh sees it.
    let client = h.client();
    let env = s(&updated, "environment_id").to_string();
    let id = s(&updated, "id").to_string();
    let mut live = client
        .get(&["environments", &env, "users", &id])
        .await
        .unwrap();
    live["nickname"] = json!("Countess");
    let body = json!({"username": live["username"], "email": live["email"], "nickname": "Countess",
        "name": live["name"]});
    client
        .put(&["environments", &env, "users", &id], &body)
        .await
        .expect("out-of-band put");
    let drifted = h.read_one(USER, &updated).await.expect("still there");
    assert_eq!(drifted.get("nickname"), Some(&Value::from("Countess")));

    // Replace = delete + create; then out-of-band deletion reads as gone.
    h.delete(USER, &drifted).await.expect("delete");
    let again = h.create(USER, &config).await.expect("create again");
    assert_ne!(again.get("id"), drifted.get("id"));
    client
        .delete(&["environments", &env, "users", s(&again, "id")])
        .await
        .unwrap();
    assert_eq!(h.read_one(USER, &again).await, None);
    h.delete(USER, &again)
        .await
        .expect("deleting a deleted user succeeds");
    h.running.shutdown().await;
}

#[tokio::test]
async fn account_lock_and_population_delete_risk() {
    let h = start().await;
    let staff = population(&h, "locked").await;
    let config = [
        ("environment_id", h.env()),
        ("username", "bob".into()),
        ("email", "bob@example.com".into()),
        ("population_id", staff.get("id").cloned().unwrap()),
        ("account", obj(&[("status", "LOCKED".into())])),
    ];
    let user = h.create(USER, &config).await.expect("create locked user");
    assert_eq!(
        user.get("account"),
        Some(&obj(&[("status", "LOCKED".into())]))
    );
    // Refreshing the population notes its user count; deleting it is then flagged.
    let refreshed = h.read_one(POPULATION, &staff).await.expect("population");
    let risks = h.provider.risks(&RiskRequest {
        type_name: POPULATION,
        action: Action::Delete,
        before: Some(&refreshed),
        after: None,
    });
    assert!(
        risks.iter().any(|r| r.contains("holds 1 user")),
        "{risks:?}"
    );
    h.running.shutdown().await;
}

#[tokio::test]
async fn groups_memberships_and_nesting() {
    let h = start().await;
    let group = h
        .create(
            "pingone_group",
            &[
                ("environment_id", h.env()),
                ("name", "admins".into()),
                ("custom_data", r#"{"team": "ops"}"#.into()),
            ],
        )
        .await
        .expect("create group");
    assert_eq!(
        group.get("custom_data"),
        Some(&Value::from(r#"{"team": "ops"}"#))
    );
    let parent = h
        .create(
            "pingone_group",
            &[("environment_id", h.env()), ("name", "everyone".into())],
        )
        .await
        .expect("create parent");
    assert_eq!(
        h.read_one("pingone_group", &group).await,
        Some(group.clone())
    );
    let renamed = with(&group, "description", "Administrators".into());
    let updated = h
        .update("pingone_group", &group, &renamed)
        .await
        .expect("update group");
    assert_eq!(
        updated.get("description"),
        Some(&Value::from("Administrators"))
    );

    let pop = population(&h, "members").await;
    let user = h
        .create(
            USER,
            &[
                ("environment_id", h.env()),
                ("username", "carol".into()),
                ("email", "carol@example.com".into()),
                ("population_id", pop.get("id").cloned().unwrap()),
            ],
        )
        .await
        .expect("create user");
    let member = h
        .create(
            "pingone_user_group_assignment",
            &[
                ("environment_id", h.env()),
                ("user_id", user.get("id").cloned().unwrap()),
                ("group_id", group.get("id").cloned().unwrap()),
            ],
        )
        .await
        .expect("assign");
    assert_eq!(
        member.get("id"),
        Some(&Value::from(
            format!("{}/{}", s(&user, "id"), s(&group, "id")).as_str()
        ))
    );
    assert_eq!(
        h.read_one("pingone_user_group_assignment", &member).await,
        Some(member.clone())
    );

    let nesting = h
        .create(
            "pingone_group_nesting",
            &[
                ("environment_id", h.env()),
                ("group_id", group.get("id").cloned().unwrap()),
                ("nested_group_id", parent.get("id").cloned().unwrap()),
            ],
        )
        .await
        .expect("nest");
    assert_eq!(
        h.read_one("pingone_group_nesting", &nesting).await,
        Some(nesting.clone())
    );

    h.delete("pingone_user_group_assignment", &member)
        .await
        .expect("unassign");
    assert_eq!(
        h.read_one("pingone_user_group_assignment", &member).await,
        None
    );
    h.delete("pingone_group_nesting", &nesting)
        .await
        .expect("unnest");
    assert_eq!(h.read_one("pingone_group_nesting", &nesting).await, None);
    h.delete("pingone_group", &updated)
        .await
        .expect("delete group");
    assert_eq!(h.read_one("pingone_group", &updated).await, None);
    h.delete("pingone_group", &updated).await.expect("again");
    h.running.shutdown().await;
}

#[tokio::test]
async fn role_assignments_of_users_and_applications() {
    let h = start().await;
    let pop = population(&h, "admins").await;
    let user = h
        .create(
            USER,
            &[
                ("environment_id", h.env()),
                ("username", "dana".into()),
                ("email", "dana@example.com".into()),
                ("population_id", pop.get("id").cloned().unwrap()),
            ],
        )
        .await
        .expect("create user");
    let role = h.role_id("Identity Data Admin").await;
    let config = [
        ("environment_id", h.env()),
        ("user_id", user.get("id").cloned().unwrap()),
        ("role_id", role.as_str().into()),
        ("scope_environment_id", h.env()),
    ];
    let grant = h
        .create("pingone_user_role_assignment", &config)
        .await
        .expect("grant");
    assert!(grant.is_wholly_known(), "{grant}");
    assert_eq!(
        h.read_one("pingone_user_role_assignment", &grant).await,
        Some(grant.clone())
    );
    let planned = h.plan("pingone_user_role_assignment", &config);
    assert_eq!(
        h.find("pingone_user_role_assignment", &planned).await,
        Found::Object(grant.clone())
    );

    // Environment Admin grants are flagged for reviewers.
    let admin = h.role_id("Environment Admin").await;
    let admin_plan = with(&planned, "role_id", admin.as_str().into());
    let risks = h.provider.risks(&RiskRequest {
        type_name: "pingone_user_role_assignment",
        action: Action::Create,
        before: None,
        after: Some(&admin_plan),
    });
    assert!(
        risks.iter().any(|r| r.contains("Environment Admin")),
        "{risks:?}"
    );

    let app = h
        .create(
            "pingone_application",
            &[
                ("environment_id", h.env()),
                ("name", "ci-worker".into()),
                ("oidc_options", support::worker_options()),
            ],
        )
        .await
        .expect("create app");
    let app_grant = h
        .create(
            "pingone_application_role_assignment",
            &[
                ("environment_id", h.env()),
                ("application_id", app.get("id").cloned().unwrap()),
                ("role_id", role.as_str().into()),
                ("scope_environment_id", h.env()),
            ],
        )
        .await
        .expect("grant app");
    assert_eq!(
        h.read_one("pingone_application_role_assignment", &app_grant)
            .await,
        Some(app_grant.clone())
    );

    h.delete("pingone_user_role_assignment", &grant)
        .await
        .expect("revoke");
    assert_eq!(
        h.read_one("pingone_user_role_assignment", &grant).await,
        None
    );
    h.delete("pingone_user_role_assignment", &grant)
        .await
        .expect("again");
    // Deleting the actor makes its assignments read as gone, not as an error.
    h.delete("pingone_application", &app)
        .await
        .expect("delete app");
    assert_eq!(
        h.read_one("pingone_application_role_assignment", &app_grant)
            .await,
        None
    );
    h.running.shutdown().await;
}

#[tokio::test]
async fn applications_and_their_secrets() {
    let h = start().await;
    let oidc = obj(&[
        ("type", "WEB_APP".into()),
        (
            "grant_types",
            Value::List(vec!["AUTHORIZATION_CODE".into()]),
        ),
        ("response_types", Value::List(vec!["CODE".into()])),
        (
            "redirect_uris",
            Value::List(vec!["https://app.example.com/cb".into()]),
        ),
        ("token_endpoint_auth_method", "CLIENT_SECRET_BASIC".into()),
    ]);
    let app = h
        .create(
            "pingone_application",
            &[
                ("environment_id", h.env()),
                ("name", "portal".into()),
                ("enabled", true.into()),
                ("oidc_options", oidc.clone()),
            ],
        )
        .await
        .expect("create app");
    assert_eq!(app.get("oidc_options"), Some(&oidc));
    assert_eq!(
        h.read_one("pingone_application", &app).await,
        Some(app.clone())
    );
    let planned = with(&app, "description", "The portal".into());
    let updated = h
        .update("pingone_application", &app, &planned)
        .await
        .expect("update app");
    assert_eq!(
        h.read_one("pingone_application", &updated).await,
        Some(updated.clone())
    );

    let secret_cfg = [
        ("environment_id", h.env()),
        ("application_id", app.get("id").cloned().unwrap()),
    ];
    let secret = h
        .create("pingone_application_secret", &secret_cfg)
        .await
        .expect("rotate");
    // State keeps a fingerprint of the secret, never the secret itself.
    let first = secret.get("secret").cloned().unwrap();
    assert!(engine::plan::sealed::is_sealed(&first), "{first:?}");
    assert_eq!(
        h.read_one("pingone_application_secret", &secret).await,
        Some(secret.clone())
    );
    let keep = with(
        &secret,
        "previous",
        obj(&[("expires_at", "2099-01-01T00:00:00Z".into())]),
    );
    let rotated = h.update("pingone_application_secret", &secret, &keep).await;
    // The emulator may cap expires_at at 30 days; either way a new secret or a clear refusal.
    if let Ok(rotated) = rotated {
        assert_ne!(rotated.get("secret"), Some(&first));
    }
    h.delete("pingone_application_secret", &secret)
        .await
        .expect("forget");

    h.delete("pingone_application", &updated)
        .await
        .expect("delete");
    assert_eq!(h.read_one("pingone_application", &updated).await, None);
    assert_eq!(
        h.read_one("pingone_application_secret", &secret).await,
        None
    );
    h.running.shutdown().await;
}

#[tokio::test]
async fn default_population_is_adopted_and_reset() {
    let h = start().await;
    let adopted = h
        .create(
            "pingone_population_default",
            &[("environment_id", h.env()), ("name", "Everyone".into())],
        )
        .await
        .expect("adopt");
    assert_eq!(adopted.get("name"), Some(&Value::from("Everyone")));
    assert_eq!(
        h.read_one("pingone_population_default", &adopted).await,
        Some(adopted.clone())
    );
    h.delete("pingone_population_default", &adopted)
        .await
        .expect("reset");
    let reset = h
        .read_one("pingone_population_default", &adopted)
        .await
        .expect("still there");
    assert_eq!(reset.get("name"), Some(&Value::from("Default")));
    h.running.shutdown().await;
}

#[tokio::test]
async fn environment_round_trip_and_production_protection() {
    let h = start().await;
    let config = [
        ("name", "pingform-test".into()),
        ("license_id", h.creds.license_id.as_str().into()),
        (
            "services",
            Value::List(vec![obj(&[("type", "SSO".into())])]),
        ),
    ];
    let env = h
        .create("pingone_environment", &config)
        .await
        .expect("create env");
    assert!(env.is_wholly_known(), "{env}");
    assert_eq!(env.get("type"), Some(&Value::from("SANDBOX")));
    assert_eq!(
        env.get("region"),
        Some(&Value::from(h.creds.region_code.as_str()))
    );
    assert_eq!(
        h.read_one("pingone_environment", &env).await,
        Some(env.clone())
    );

    // Objects can be created in it at once (consistency retries cover any delay).
    let pop = h
        .create(
            POPULATION,
            &[
                ("environment_id", env.get("id").cloned().unwrap()),
                ("name", "first".into()),
            ],
        )
        .await
        .expect("population in the new environment");

    let services = Value::List(vec![
        obj(&[("type", "SSO".into())]),
        obj(&[("type", "MFA".into())]),
    ]);
    let planned = with(
        &with(&env, "description", "for tests".into()),
        "services",
        services,
    );
    let updated = h
        .update("pingone_environment", &env, &planned)
        .await
        .expect("update env");
    assert_eq!(updated.get("description"), Some(&Value::from("for tests")));
    assert_eq!(
        h.read_one("pingone_environment", &updated).await,
        Some(updated.clone())
    );

    // Deleting the environment makes its objects read as gone.
    h.delete("pingone_environment", &updated)
        .await
        .expect("delete env");
    assert_eq!(h.read_one("pingone_environment", &updated).await, None);
    assert_eq!(h.read_one(POPULATION, &pop).await, None);

    // PRODUCTION: promoted in place, never demoted or deleted.
    let prod = h
        .create(
            "pingone_environment",
            &[config[0].clone(), config[1].clone(), config[2].clone()],
        )
        .await
        .expect("create");
    let promoted = h
        .update(
            "pingone_environment",
            &prod,
            &with(&prod, "type", "PRODUCTION".into()),
        )
        .await
        .expect("promote");
    assert_eq!(promoted.get("type"), Some(&Value::from("PRODUCTION")));
    let err = h
        .update(
            "pingone_environment",
            &promoted,
            &with(&promoted, "type", "SANDBOX".into()),
        )
        .await
        .unwrap_err();
    assert!(
        err.message
            .contains("cannot be changed from PRODUCTION to SANDBOX"),
        "{}",
        err.message
    );
    let err = h
        .delete("pingone_environment", &promoted)
        .await
        .unwrap_err();
    assert!(err.message.contains("PRODUCTION"), "{}", err.message);
    assert!(h.read_one("pingone_environment", &promoted).await.is_some());
    h.running.shutdown().await;
}
