//! Crash recovery: every type with a natural key finds what its create made, and
//! finds nothing before that.

mod support;

use engine::Value;
use engine::provider::Found;
use support::{obj, start};

#[tokio::test]
async fn natural_keys_find_what_creates_made() {
    let h = start().await;
    let env_cfg = [
        ("name", "Recovered-Env".into()),
        ("license_id", h.creds.license_id.as_str().into()),
        (
            "services",
            Value::List(vec![obj(&[("type", "SSO".into())])]),
        ),
    ];
    let env_plan = h.plan("pingone_environment", &env_cfg);
    assert_eq!(
        h.find("pingone_environment", &env_plan).await,
        Found::Nothing
    );
    let env = h
        .create("pingone_environment", &env_cfg)
        .await
        .expect("env");
    // Names are matched case-insensitively, as PingOne enforces uniqueness.
    let lower = support::with(&env_plan, "name", "recovered-env".into());
    assert_eq!(
        h.find("pingone_environment", &lower).await,
        Found::Object(env.clone())
    );

    let group_cfg = [("environment_id", h.env()), ("name", "ops".into())];
    let group_plan = h.plan("pingone_group", &group_cfg);
    assert_eq!(h.find("pingone_group", &group_plan).await, Found::Nothing);
    let group = h.create("pingone_group", &group_cfg).await.expect("group");
    assert_eq!(
        h.find("pingone_group", &group_plan).await,
        Found::Object(group.clone())
    );

    let app_cfg = [
        ("environment_id", h.env()),
        ("name", "recovered-app".into()),
        ("oidc_options", support::worker_options()),
    ];
    let app_plan = h.plan("pingone_application", &app_cfg);
    assert_eq!(
        h.find("pingone_application", &app_plan).await,
        Found::Nothing
    );
    let app = h
        .create("pingone_application", &app_cfg)
        .await
        .expect("app");
    assert_eq!(
        h.find("pingone_application", &app_plan).await,
        Found::Object(app)
    );

    let pop = h
        .create(
            "pingone_population",
            &[("environment_id", h.env()), ("name", "p".into())],
        )
        .await
        .expect("population");
    let user = h
        .create(
            "pingone_user",
            &[
                ("environment_id", h.env()),
                ("username", "eve".into()),
                ("email", "eve@example.com".into()),
                ("population_id", pop.get("id").cloned().unwrap()),
            ],
        )
        .await
        .expect("user");
    let member_cfg = [
        ("environment_id", h.env()),
        ("user_id", user.get("id").cloned().unwrap()),
        ("group_id", group.get("id").cloned().unwrap()),
    ];
    let member_plan = h.plan("pingone_user_group_assignment", &member_cfg);
    assert_eq!(
        h.find("pingone_user_group_assignment", &member_plan).await,
        Found::Nothing
    );
    let member = h
        .create("pingone_user_group_assignment", &member_cfg)
        .await
        .expect("member");
    assert_eq!(
        h.find("pingone_user_group_assignment", &member_plan).await,
        Found::Object(member)
    );

    let default_plan = h.plan(
        "pingone_population_default",
        &[("environment_id", h.env()), ("name", "Default".into())],
    );
    assert!(matches!(
        h.find("pingone_population_default", &default_plan).await,
        Found::Object(_)
    ));
    h.running.shutdown().await;
}
