//! The provider under the emulator's faults: 429 bursts and 503s, a new environment's
//! consistency window, delayed role propagation, responses lost after commit. Every run
//! must converge with no duplicate object.

mod support;

use std::time::{Duration, Instant};

use engine::Value;
use engine::provider::{CreateRequest, Provider, ReadDataRequest};
use pingone::{PingOneProvider, Settings};
use pingone_emulator::{ErrorRate, Faults};
use secrecy::SecretString;
use support::{obj, start};

fn faults(rates: &[(u16, f64)], drop_after_commit: f64) -> Faults {
    Faults {
        error_rates: rates
            .iter()
            .map(|&(status, rate)| ErrorRate { status, rate })
            .collect(),
        drop_after_commit_rate: drop_after_commit,
        env_consistency_ms: 1500,
        role_consistency_ms: 800,
        seed: Some(7),
        ..Faults::default()
    }
}

#[tokio::test]
async fn a_new_environment_is_usable_at_once_despite_errors_and_consistency_windows() {
    let h = start().await;
    h.running
        .emulator()
        .set_faults(faults(&[(429, 0.2), (503, 0.1)], 0.0))
        .expect("faults");
    let env = h
        .create(
            "pingone_environment",
            &[
                ("name", "faulty".into()),
                ("license_id", h.creds.license_id.as_str().into()),
                (
                    "services",
                    Value::List(vec![obj(&[("type", "SSO".into())])]),
                ),
            ],
        )
        .await
        .expect("create env");
    let env_id = env.get("id").cloned().unwrap();
    let pop = h
        .create(
            "pingone_population",
            &[("environment_id", env_id.clone()), ("name", "first".into())],
        )
        .await
        .expect("population inside the new environment");
    let user = h
        .create(
            "pingone_user",
            &[
                ("environment_id", env_id.clone()),
                ("username", "u1".into()),
                ("email", "u1@example.com".into()),
                ("population_id", pop.get("id").cloned().unwrap()),
            ],
        )
        .await
        .expect("user inside the new environment");
    assert!(h.read_one("pingone_user", &user).await.is_some());
    h.running.shutdown().await;
}

#[tokio::test]
async fn lost_create_answers_adopt_the_object_instead_of_duplicating_it() {
    let h = start().await;
    h.running
        .emulator()
        .set_faults(Faults {
            drop_after_commit_rate: 1.0,
            seed: Some(1),
            ..Faults::default()
        })
        .expect("faults");
    let pop = h
        .create(
            "pingone_population",
            &[("environment_id", h.env()), ("name", "dropped".into())],
        )
        .await
        .expect("adopted after the answer was lost");
    h.running
        .emulator()
        .set_faults(Faults::default())
        .expect("no faults");
    let all = h
        .client()
        .list_all(
            &["environments", &h.creds.environment_id, "populations"],
            "populations",
        )
        .await
        .unwrap();
    let named: Vec<_> = all
        .iter()
        .filter(|p| p.get("name").and_then(serde_json::Value::as_str) == Some("dropped"))
        .collect();
    assert_eq!(named.len(), 1, "{named:?}");
    assert_eq!(
        named[0].get("id").and_then(serde_json::Value::as_str),
        pop.get("id").and_then(Value::as_str)
    );
    h.running.shutdown().await;
}

#[tokio::test]
async fn the_rate_limit_is_shared_by_parallel_work() {
    let h = support::start_with_rate(20.0).await;
    let start = Instant::now();
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let client = h.client();
            let env = h.creds.environment_id.clone();
            tokio::spawn(async move { client.get(&["environments", &env]).await.map(|_| i) })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().expect("no request fails");
    }
    // 20 at once (the burst), then 20 more at 20/s.
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(800), "{took:?}");
    h.running.shutdown().await;
}

/// A worker without organization-level roles may not create environments: PingOne's
/// "not authorized" is final there unless a role was granted moments ago in this process
/// (no test in this file grants one), so the refusal comes at once, not after the whole
/// settle window of retries.
#[tokio::test]
async fn an_organization_level_refusal_is_not_retried_without_a_recent_grant() {
    let h = start().await;
    let app = h
        .create(
            "pingone_application",
            &[
                ("environment_id", h.env()),
                ("name", "env-reader".into()),
                ("enabled", true.into()),
                ("oidc_options", support::worker_options()),
            ],
        )
        .await
        .expect("worker application");
    // The resource keeps only a fingerprint of the secret; the data source reads it.
    let secret = h
        .provider
        .read_data(ReadDataRequest {
            type_name: "pingone_application_secret".into(),
            address: "data.pingone_application_secret.worker".into(),
            config: obj(&[
                ("environment_id", h.env()),
                ("application_id", app.get("id").cloned().unwrap()),
            ]),
        })
        .await
        .expect("its secret");
    let c = &h.creds;
    let client_id = support::s(&app, "id").to_string();
    let worker = PingOneProvider::new(Settings {
        client_id: Some(client_id),
        client_secret: Some(SecretString::from(
            support::s(&secret, "secret").to_string(),
        )),
        environment_id: Some(c.environment_id.clone()),
        region_code: Some(c.region_code.clone()),
        api_url: Some(c.api_url.clone()),
        auth_url: Some(c.auth_url.clone()),
        ..Default::default()
    })
    .with_environment(Settings::default());
    worker.configure(&Value::Null).await.expect("configure");
    h.running.emulator().reset_counters();
    let planned = h.plan(
        "pingone_environment",
        &[
            ("name", "not-mine".into()),
            ("license_id", h.creds.license_id.as_str().into()),
            // Given, so the provider need not read the worker's own environment.
            ("region", "NA".into()),
            (
                "services",
                Value::List(vec![obj(&[("type", "SSO".into())])]),
            ),
        ],
    );
    let refused = worker
        .create(CreateRequest {
            type_name: "pingone_environment".into(),
            address: "pingone_environment.not_mine".into(),
            planned,
        })
        .await
        .expect_err("a worker without organization roles may not create environments");
    assert!(
        refused.message.contains("not authorized")
            || refused.message.contains("You do not have permissions"),
        "{refused:?}"
    );
    let counters = h.running.emulator().counters();
    assert_eq!(
        counters.get("POST", "/v1/environments"),
        1,
        "the refusal was retried: {counters:?}"
    );
    h.running.shutdown().await;
}
