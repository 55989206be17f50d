//! Fault injection, rate limiting, request counters and the `/__emulator/` admin API, over
//! real HTTP on 127.0.0.1.

mod helpers;
mod support;

use std::time::{Duration, Instant};

use helpers::{app_token, call_as, worker_body};
use pingone_emulator::{ErrorRate, Faults, RateLimit};
use reqwest::Method;
use serde_json::{Value, json};
use support::http::{Session, reply};
use support::openapi::assert_matches_spec;

fn errors(status: u16, rate: f64) -> Faults {
    Faults {
        error_rates: vec![ErrorRate { status, rate }],
        ..Faults::default()
    }
}

fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<u64> {
    headers.get("retry-after")?.to_str().ok()?.parse().ok()
}

#[tokio::test]
async fn injected_errors_carry_pingone_bodies_and_retry_after() {
    let s = Session::start().await;
    let path = s.env_path("/populations");
    let emulator = s.running.emulator();

    emulator.set_faults(errors(503, 1.0)).expect("set");
    let got = s.call(Method::GET, &path, None).await;
    assert_eq!(got.status, 503);
    assert_eq!(retry_after(&got.headers), Some(1));
    assert!(uuid::Uuid::parse_str(got.body["id"].as_str().unwrap_or_default()).is_ok());

    emulator.set_faults(errors(429, 1.0)).expect("set");
    let got = s.call(Method::GET, &path, None).await;
    assert_eq!(got.status, 429);
    assert_eq!(got.body["code"], "REQUEST_LIMITED");
    assert!(retry_after(&got.headers).is_some_and(|s| s >= 1));
    assert!(got.body["details"][0]["innerError"]["retryAfter"].is_string());
    assert_matches_spec("GET", &path, 429, &got.body);

    emulator.set_faults(errors(500, 1.0)).expect("set");
    let got = s.call(Method::GET, &path, None).await;
    assert_eq!(
        (got.status.as_u16(), got.body["code"].clone()),
        (500, json!("UNEXPECTED_ERROR"))
    );
    assert_matches_spec("GET", &path, 500, &got.body);

    emulator.set_faults(Faults::default()).expect("set");
    assert_eq!(s.call(Method::GET, &path, None).await.status, 200);
    s.running.shutdown().await;
}

/// POSTs a population named `name` to `path` and checks that no response comes back.
async fn post_without_answer(s: &Session, path: &str, name: &str) {
    let sent = s
        .client
        .post(s.url(path))
        .bearer_auth(&s.token)
        .json(&json!({ "name": name }))
        .send()
        .await;
    // hyper closes the connection before the status line: the request itself fails.
    assert!(
        sent.is_err(),
        "the client must not get a response: {sent:?}"
    );
}

#[tokio::test]
async fn a_dropped_connection_after_commit_still_commits_the_change() {
    let s = Session::start().await;
    let path = s.env_path("/populations");
    s.running
        .emulator()
        .set_faults(Faults {
            drop_after_commit_rate: 1.0,
            ..Faults::default()
        })
        .expect("set");
    // Reads are not affected: only successful changes are dropped.
    assert_eq!(s.call(Method::GET, &path, None).await.status, 200);
    post_without_answer(&s, &path, "Lost answer").await;
    s.running
        .emulator()
        .set_faults(Faults::default())
        .expect("set");
    let list = s.call(Method::GET, &path, None).await;
    let names: Vec<&Value> = list.body["_embedded"]["populations"]
        .as_array()
        .expect("populations")
        .iter()
        .map(|p| &p["name"])
        .collect();
    assert!(names.contains(&&json!("Lost answer")), "{names:?}");
    s.running.shutdown().await;
}

#[tokio::test]
async fn a_new_environment_is_hidden_during_its_consistency_window() {
    let s = Session::start().await;
    let emulator = s.running.emulator();
    emulator
        .set_faults(Faults {
            env_consistency_ms: 3_600_000,
            ..Faults::default()
        })
        .expect("set");
    // The seeded environment existed before: never hidden.
    assert_eq!(
        s.call(Method::GET, &s.env_path("/populations"), None)
            .await
            .status,
        200
    );
    let orgs = s.call(Method::GET, "/v1/organizations", None).await;
    let org = orgs.body["_embedded"]["organizations"][0]["id"]
        .as_str()
        .expect("org")
        .to_owned();
    let licenses = s
        .call(
            Method::GET,
            &format!("/v1/organizations/{org}/licenses"),
            None,
        )
        .await;
    let license = licenses.body["_embedded"]["licenses"][0]["id"].clone();
    let body =
        json!({ "name": "Fresh", "type": "SANDBOX", "region": "EU", "license": { "id": license } });
    let created = s.call(Method::POST, "/v1/environments", Some(&body)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let env = format!(
        "/v1/environments/{}",
        created.body["id"].as_str().expect("id")
    );

    let under = s
        .call(Method::GET, &format!("{env}/populations"), None)
        .await;
    assert_eq!(
        (under.status.as_u16(), under.body["code"].clone()),
        (403, json!("ACCESS_FAILED"))
    );
    assert_matches_spec("GET", &format!("{env}/populations"), 403, &under.body);
    let itself = s.call(Method::GET, &env, None).await;
    assert_eq!(itself.status, 404);
    assert_matches_spec("GET", &env, 404, &itself.body);
    emulator.set_faults(Faults::default()).expect("set");
    assert_eq!(s.call(Method::GET, &env, None).await.status, 200);
    assert_eq!(
        s.call(Method::GET, &format!("{env}/populations"), None)
            .await
            .status,
        200
    );
    s.running.shutdown().await;
}

#[tokio::test]
async fn the_rate_limit_answers_429_until_the_bucket_refills_or_is_disabled() {
    let s = Session::start().await;
    let emulator = s.running.emulator();
    assert_eq!(emulator.rate_limit(), RateLimit::PINGONE);
    let slow = RateLimit {
        enabled: true,
        requests_per_second: 0.001,
        burst: 2,
    };
    emulator.set_rate_limit(slow).expect("set");
    let path = s.env_path("/populations");
    for _ in 0..2 {
        assert_eq!(s.call(Method::GET, &path, None).await.status, 200);
    }
    let limited = s.call(Method::GET, &path, None).await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.body["code"], "REQUEST_LIMITED");
    assert_eq!(limited.body["details"][0]["code"], "LIMIT_EXCEEDED");
    // One token every 1000 s: the client is told to wait that long.
    assert!(
        retry_after(&limited.headers).is_some_and(|s| s >= 999),
        "{:?}",
        limited.headers
    );
    assert_matches_spec("GET", &path, 429, &limited.body);

    let url = format!("{}/__emulator/rate-limit", s.creds.api_url);
    let put = s
        .client
        .put(&url)
        .json(&RateLimit::DISABLED)
        .send()
        .await
        .expect("put");
    assert_eq!(put.status(), 200);
    assert_eq!(s.call(Method::GET, &path, None).await.status, 200);
    let got = reply(s.client.get(&url).send().await.expect("get")).await;
    assert_eq!(got.body["enabled"], false);
    s.running.shutdown().await;
}

#[tokio::test]
async fn counters_count_per_method_and_route_and_reset() {
    let s = Session::start().await;
    let admin = |rest: &str| format!("{}/__emulator/{rest}", s.creds.api_url);
    let reset = s
        .client
        .post(admin("counters/reset"))
        .send()
        .await
        .expect("reset");
    assert_eq!(reset.status(), 204);
    let path = s.env_path("/populations");
    s.call(Method::GET, &path, None).await;
    s.call(Method::GET, &path, None).await;
    s.call(Method::POST, &path, Some(&json!({ "name": "Counted" })))
        .await;
    s.call(Method::GET, "/v1/no/such/path", None).await;
    let counts = s.running.emulator().counters();
    let route = "/v1/environments/{env_id}/populations";
    assert_eq!(counts.get("GET", route), 2, "{counts:?}");
    assert_eq!(counts.get("POST", route), 1);
    assert_eq!(counts.get("GET", pingone_emulator::UNMATCHED), 1);
    assert_eq!(counts.total(), 4, "admin calls are not counted");

    let over_http = reply(s.client.get(admin("counters")).send().await.expect("get")).await;
    assert_eq!(over_http.body["total"], 4);
    s.client
        .post(admin("counters/reset"))
        .send()
        .await
        .expect("reset");
    assert_eq!(s.running.emulator().counters().total(), 0);
    s.running.shutdown().await;
}

#[tokio::test]
async fn counters_count_statuses_refusals_and_each_kind_of_fault() {
    let s = Session::start().await;
    let admin = |rest: &str| format!("{}/__emulator/{rest}", s.creds.api_url);
    let emulator = s.running.emulator();
    let path = s.env_path("/populations");
    emulator.reset_counters();
    emulator
        .set_rate_limit(RateLimit {
            enabled: true,
            requests_per_second: 0.001,
            burst: 1,
        })
        .expect("set");
    let statuses = [
        s.call(Method::GET, &path, None).await.status,
        s.call(Method::GET, &path, None).await.status,
    ];
    assert_eq!(statuses.map(|s| s.as_u16()), [200, 429]);
    emulator.set_rate_limit(RateLimit::DISABLED).expect("set");
    for status in [503, 429] {
        emulator.set_faults(errors(status, 1.0)).expect("set");
        assert_eq!(s.call(Method::GET, &path, None).await.status, status);
    }
    emulator
        .set_faults(Faults {
            drop_after_commit_rate: 1.0,
            ..Faults::default()
        })
        .expect("set");
    post_without_answer(&s, &path, "Dropped").await;
    // Spikes set over HTTP, by their JSON names.
    let spikes = json!({ "latencySpikeRate": 1.0, "latencySpikeMs": 150 });
    let put = reply(
        s.client
            .put(admin("faults"))
            .json(&spikes)
            .send()
            .await
            .expect("put"),
    )
    .await;
    assert_eq!(put.status, 200, "{}", put.body);
    let started = Instant::now();
    assert_eq!(s.call(Method::GET, &path, None).await.status, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "the spike was waited"
    );
    emulator.set_faults(Faults::default()).expect("set");
    s.call(Method::GET, "/v1/no/such/path", None).await;

    let counts = emulator.counters();
    assert_eq!(counts.total(), 7, "{counts:?}");
    assert_eq!(counts.responses(), 6, "the dropped response was never sent");
    assert_eq!(
        [200, 404, 429, 503].map(|status| counts.status(status)),
        [2, 1, 2, 1],
        "{counts:?}"
    );
    assert_eq!(counts.status_class(2), 2);
    assert_eq!(counts.rate_limited, 1);
    assert_eq!((counts.faults.error(503), counts.faults.error(429)), (1, 1));
    assert_eq!(counts.faults.dropped_after_commit, 1);
    assert_eq!(counts.faults.latency_spikes, 1);

    let over_http = reply(s.client.get(admin("counters")).send().await.expect("get")).await;
    assert_eq!(over_http.body["total"], 7);
    assert_eq!(over_http.body["statuses"]["429"], 2);
    assert_eq!(over_http.body["rateLimited"], 1);
    assert_eq!(over_http.body["faults"]["errors"]["503"], 1);
    assert_eq!(over_http.body["faults"]["droppedAfterCommit"], 1);
    assert_eq!(over_http.body["faults"]["latencySpikes"], 1);
    s.client
        .post(admin("counters/reset"))
        .send()
        .await
        .expect("reset");
    assert_eq!(
        emulator.counters(),
        pingone_emulator::RequestCounts::default(),
        "the reset clears every counter"
    );
    s.running.shutdown().await;
}

#[tokio::test]
async fn faults_are_set_over_http_validated_and_seeded() {
    let s = Session::start().await;
    let url = format!("{}/__emulator/faults", s.creds.api_url);
    let wanted = json!({ "errorRates": [{ "status": 503, "rate": 0.5 }], "seed": 42 });
    let put = reply(s.client.put(&url).json(&wanted).send().await.expect("put")).await;
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(put.body["errorRates"][0]["status"], 503);
    assert_eq!(put.body["latencyMs"], 0);
    let path = s.env_path("/populations");
    let mut first = Vec::new();
    for _ in 0..20 {
        first.push(s.call(Method::GET, &path, None).await.status.as_u16());
    }
    assert!(first.contains(&503) && first.contains(&200), "{first:?}");
    // Setting the same faults reseeds: the same sequence again.
    s.client.put(&url).json(&wanted).send().await.expect("put");
    let mut second = Vec::new();
    for _ in 0..20 {
        second.push(s.call(Method::GET, &path, None).await.status.as_u16());
    }
    assert_eq!(first, second);

    for bad in [
        json!({ "errorRates": [{ "status": 404, "rate": 0.5 }] }),
        json!({ "dropAfterCommitRate": 2 }),
        json!({ "latencySpikeRate": 0.1 }),
        json!({ "latencySpikeRate": 1.5, "latencySpikeMs": 10 }),
        json!({ "latencyMs": "slow" }),
        json!({ "unknown": 1 }),
    ] {
        let got = reply(s.client.put(&url).json(&bad).send().await.expect("put")).await;
        assert_eq!(
            (got.status.as_u16(), got.body["code"].clone()),
            (400, json!("INVALID_DATA")),
            "{bad}"
        );
    }
    let got = reply(s.client.put(&url).body("{").send().await.expect("put")).await;
    assert_eq!(got.status, 400);
    let current = reply(s.client.get(&url).send().await.expect("get")).await;
    assert_eq!(current.body["seed"], 42, "refused settings change nothing");
    s.running.shutdown().await;
}

/// A worker app in the seeded environment and a token for it (it holds no role yet).
async fn new_worker(s: &Session, name: &str) -> (String, String) {
    let apps = s.env_path("/applications");
    let app = s.call(Method::POST, &apps, Some(&worker_body(name))).await;
    assert_eq!(app.status, 201, "{}", app.body);
    let id = app.body["id"].as_str().expect("id").to_owned();
    let secret = s
        .call(Method::GET, &format!("{apps}/{id}/secret"), None)
        .await;
    let secret = secret.body["secret"].as_str().expect("secret").to_owned();
    let token = app_token(s, &s.creds.environment_id, &id, &secret).await;
    assert_eq!(token.status, 200, "{}", token.body);
    let token = token.body["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    (id, token)
}

#[tokio::test]
async fn a_new_role_assignment_takes_effect_after_its_consistency_window() {
    const WINDOW: Duration = Duration::from_millis(1500);
    let s = Session::start().await;
    let url = format!("{}/__emulator/faults", s.creds.api_url);
    let put = reply(
        s.client
            .put(&url)
            .json(&json!({ "roleConsistencyMs": WINDOW.as_millis() as u64 }))
            .send()
            .await
            .expect("put"),
    )
    .await;
    assert_eq!(put.body["roleConsistencyMs"], 1500, "{}", put.body);
    let (app_id, token) = new_worker(&s, "late").await;
    let users = s.env_path("/users");
    // Identity Data Admin on the seeded environment (its ID is fixed by the seed).
    let grant = json!({"role": {"id": "b1e00000-0000-4000-8000-000000000003"},
                       "scope": {"type": "ENVIRONMENT", "id": s.creds.environment_id}});
    let granted_at = Instant::now();
    let path = s.env_path(&format!("/applications/{app_id}/roleAssignments"));
    let made = s.call(Method::POST, &path, Some(&grant)).await;
    assert_eq!(made.status, 201, "{}", made.body);
    // The seeded admin's own assignments are older than the emulator: never delayed.
    assert_eq!(s.call(Method::GET, &users, None).await.status, 200);

    let early = call_as(&s, &token, Method::GET, &users, None).await;
    assert!(
        granted_at.elapsed() < WINDOW,
        "the call came too late to test"
    );
    assert_eq!(early.status, 403, "{}", early.body);
    assert_eq!(early.body["code"], "ACCESS_FAILED");
    assert_eq!(
        early.body["message"],
        "You do not have permissions or are not licensed to make this request."
    );
    assert_eq!(early.body["details"][0]["code"], "INSUFFICIENT_PERMISSIONS");
    assert_eq!(
        early.body["details"][0]["message"],
        "The actor attempting to perform the request is not authorized."
    );
    assert_matches_spec("GET", &users, 403, &early.body);

    tokio::time::sleep(WINDOW.saturating_sub(granted_at.elapsed()) + Duration::from_millis(50))
        .await;
    let late = call_as(&s, &token, Method::GET, &users, None).await;
    assert_eq!(late.status, 200, "{}", late.body);
    assert_matches_spec("GET", &users, 200, &late.body);
    s.running.shutdown().await;
}

#[tokio::test]
async fn the_role_window_also_holds_back_granting_and_listing() {
    const ENVIRONMENT_ADMIN: &str = "b1e00000-0000-4000-8000-000000000002";
    const IDENTITY_DATA_ADMIN: &str = "b1e00000-0000-4000-8000-000000000003";
    const CLIENT_APPLICATION_DEVELOPER: &str = "b1e00000-0000-4000-8000-000000000005";
    let s = Session::start().await;
    let emulator = s.running.emulator();
    let on_env = |role: &str| json!({"role": {"id": role}, "scope": {"type": "ENVIRONMENT", "id": s.creds.environment_id}});
    let assignments = |app: &str| s.env_path(&format!("/applications/{app}/roleAssignments"));
    let (grantor, grantor_token) = new_worker(&s, "grantor").await;
    let (reader, reader_token) = new_worker(&s, "reader").await;
    let (grantee, _) = new_worker(&s, "grantee").await;
    // Settled before the window is on: the grantor may create role assignments.
    let made = s
        .call(
            Method::POST,
            &assignments(&grantor),
            Some(&on_env(IDENTITY_DATA_ADMIN)),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);

    emulator
        .set_faults(Faults {
            role_consistency_ms: 3_600_000,
            ..Faults::default()
        })
        .expect("set");
    for (app, role) in [
        (&grantor, ENVIRONMENT_ADMIN),
        (&reader, IDENTITY_DATA_ADMIN),
    ] {
        let made = s
            .call(Method::POST, &assignments(app), Some(&on_env(role)))
            .await;
        assert_eq!(made.status, 201, "{}", made.body);
    }
    // Only the pending Environment Admin could assign Client Application Developer.
    let cad = on_env(CLIENT_APPLICATION_DEVELOPER);
    let grantee_path = assignments(&grantee);
    let grant = || call_as(&s, &grantor_token, Method::POST, &grantee_path, Some(&cad));
    let refused = grant().await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(
        refused.body["details"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Must have role at the same or broader scope"),
        "{}",
        refused.body
    );
    assert_matches_spec("POST", &grantee_path, 403, &refused.body);
    let listed = call_as(&s, &reader_token, Method::GET, "/v1/environments", None).await;
    assert_eq!(listed.body["count"], 0, "{}", listed.body);

    emulator.set_faults(Faults::default()).expect("set");
    let granted = grant().await;
    assert_eq!(granted.status, 201, "{}", granted.body);
    assert_matches_spec("POST", &grantee_path, 201, &granted.body);
    let listed = call_as(&s, &reader_token, Method::GET, "/v1/environments", None).await;
    assert_eq!(listed.body["count"], 1, "{}", listed.body);
    s.running.shutdown().await;
}
