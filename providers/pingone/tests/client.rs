//! The HTTP client against a scripted fake: token handling, retries, paging, and the
//! wording of errors for answers that are not PingOne's.

mod common;

use std::time::{Duration, Instant};

use common::{CLIENT_ID, Canned, ENV, Fake, SECRET};
use engine::provider::ProviderErrorKind;
use pingone::{Client, ClientError};
use serde_json::json;

const POPS: &str = "/v1/environments/e1/populations";

fn route(method: &str, path: &str) -> String {
    format!("{method} {path}")
}

async fn fake_with_token() -> Fake {
    let fake = Fake::start().await;
    fake.always(&Fake::token_route(), Canned::token("tok-1"));
    fake
}

#[tokio::test]
async fn token_uses_basic_auth_form_grant_and_is_cached() {
    let fake = fake_with_token().await;
    fake.always(
        &route("GET", POPS),
        Canned::json(200, json!({"_embedded": {"populations": []}})),
    );
    let client = fake.client();
    client
        .get(&["environments", "e1", "populations"])
        .await
        .unwrap();
    client
        .get(&["environments", "e1", "populations"])
        .await
        .unwrap();

    assert_eq!(fake.count(&Fake::token_route()), 1, "the token is reused");
    let requests = fake.requests();
    let token_req = &requests[0];
    let expected = reqwest::Client::new()
        .get("http://127.0.0.1/")
        .basic_auth(CLIENT_ID, Some(SECRET))
        .build()
        .unwrap();
    assert_eq!(
        token_req.headers["authorization"].as_bytes(),
        expected.headers()["authorization"].as_bytes(),
        "CLIENT_SECRET_BASIC"
    );
    assert_eq!(token_req.body, "grant_type=client_credentials");
    let api_req = &requests[1];
    assert_eq!(api_req.headers["authorization"], "Bearer tok-1");
    let agent = api_req.headers["user-agent"].to_str().unwrap();
    assert!(agent.starts_with("pingform/"), "{agent}");
}

#[tokio::test]
async fn transient_statuses_are_retried_honouring_retry_after() {
    let fake = fake_with_token().await;
    let path = route("GET", POPS);
    fake.push(
        &path,
        Canned::p1_error(429, "REQUEST_LIMITED", "slow down").header("retry-after", "0"),
    );
    fake.push(&path, Canned::raw(503, "text/html", "<html>busy</html>"));
    fake.push(&path, Canned::p1_error(400, "UNEXPECTED_ERROR", "hiccup"));
    fake.always(&path, Canned::json(200, json!({"ok": true})));
    let answer = fake
        .client()
        .get(&["environments", "e1", "populations"])
        .await
        .unwrap();
    assert_eq!(answer, json!({"ok": true}));
    assert_eq!(fake.count(&path), 4);
}

#[tokio::test]
async fn retries_stop_after_max_attempts_with_the_last_error() {
    let fake = fake_with_token().await;
    let path = route("GET", POPS);
    fake.always(
        &path,
        Canned::p1_error(500, "UNEXPECTED_ERROR", "still broken"),
    );
    let err = fake
        .client()
        .get(&["environments", "e1", "populations"])
        .await
        .unwrap_err();
    assert_eq!(fake.count(&path), 4, "max_attempts = 4 in fast_options");
    assert_eq!(err.status(), Some(500));
    assert!(err.to_string().contains("still broken"));
}

#[tokio::test]
async fn a_long_retry_after_is_capped() {
    let fake = fake_with_token().await;
    let path = route("GET", POPS);
    fake.push(
        &path,
        Canned::p1_error(503, "SERVICE_UNAVAILABLE", "later").header("retry-after", "3600"),
    );
    fake.always(&path, Canned::json(200, json!({})));
    let started = Instant::now();
    fake.client()
        .get(&["environments", "e1", "populations"])
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "capped at 50 ms by fast_options"
    );
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let fake = fake_with_token().await;
    let path = route("POST", POPS);
    fake.always(
        &path,
        Canned::json(
            400,
            json!({"id": "e-9", "code": "INVALID_DATA", "message": "bad",
                   "details": [{"code": "UNIQUENESS_VIOLATION", "target": "name", "message": "taken"}]}),
        ),
    );
    let err = fake
        .client()
        .post(
            &["environments", "e1", "populations"],
            &json!({"name": "x"}),
        )
        .await
        .unwrap_err();
    assert_eq!(fake.count(&path), 1);
    let ClientError::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.code, "INVALID_DATA");
    assert_eq!(api.id.as_deref(), Some("e-9"));
    let shown = err.to_provider_error("create pingone_population.staff");
    assert_eq!(shown.kind, ProviderErrorKind::Api);
    assert!(
        shown.message.contains("name: UNIQUENESS_VIOLATION: taken"),
        "{}",
        shown.message
    );
}

#[tokio::test]
async fn a_401_renews_the_token_once() {
    let fake = Fake::start().await;
    fake.push(&Fake::token_route(), Canned::token("old"));
    fake.always(&Fake::token_route(), Canned::token("new"));
    let path = route("GET", POPS);
    fake.push(&path, Canned::p1_error(401, "ACCESS_FAILED", "expired"));
    fake.always(&path, Canned::json(200, json!({"ok": 1})));
    fake.client()
        .get(&["environments", "e1", "populations"])
        .await
        .unwrap();
    let api_calls: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.path == POPS)
        .collect();
    assert_eq!(api_calls.len(), 2);
    assert_eq!(api_calls[1].headers["authorization"], "Bearer new");

    // A second 401 in a row is reported, not retried forever.
    let fake = fake_with_token().await;
    fake.always(&path, Canned::p1_error(401, "ACCESS_FAILED", "no access"));
    let err = fake
        .client()
        .get(&["environments", "e1", "populations"])
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(fake.count(&path), 2);
}

#[tokio::test]
async fn paging_follows_next_links_verbatim() {
    let fake = fake_with_token().await;
    let page2 = format!(
        "{}/v1/environments/e1/populations?cursor=abc%3D&limit=2",
        fake.base
    );
    fake.push(
        &route("GET", POPS),
        Canned::json(
            200,
            json!({
                "_links": {"next": {"href": page2}},
                "_embedded": {"populations": [{"id": "a"}, {"id": "b"}]}
            }),
        ),
    );
    fake.push(
        &route("GET", POPS),
        Canned::json(200, json!({"_embedded": {"populations": [{"id": "c"}]}})),
    );
    let items = fake
        .client()
        .list_all(&["environments", "e1", "populations"], "populations")
        .await
        .unwrap();
    let ids: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let queries: Vec<_> = fake
        .requests()
        .into_iter()
        .filter_map(|r| r.query)
        .collect();
    assert_eq!(queries, ["limit=500", "cursor=abc%3D&limit=2"]);
}

#[tokio::test]
async fn pages_arrive_one_at_a_time_and_a_looping_link_ends_with_one_error() {
    let fake = fake_with_token().await;
    let again = format!("{}/v1/environments/e1/populations?cursor=x", fake.base);
    for ids in [["a", "b"], ["c", "d"]] {
        let items: Vec<_> = ids.iter().map(|id| json!({ "id": id })).collect();
        fake.push(
            &route("GET", POPS),
            Canned::json(
                200,
                json!({"_links": {"next": {"href": again}}, "_embedded": {"populations": items}}),
            ),
        );
    }
    let mut pages = fake
        .client()
        .pages(&["environments", "e1", "populations"], "populations");
    let mut seen = Vec::new();
    while let Some(page) = pages.recv().await {
        seen.push(page.map(|items| items.len()).map_err(|e| e.to_string()));
    }
    // The second page links to itself: its items are not handed over, the loop is reported once.
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[0], Ok(2));
    let error = seen[1].as_ref().unwrap_err();
    assert!(error.contains("a page already read"), "{error}");
    assert_eq!(fake.count(&route("GET", POPS)), 2);
}

#[tokio::test]
async fn paging_never_sends_the_token_to_another_origin() {
    let fake = fake_with_token().await;
    fake.push(
        &route("GET", POPS),
        Canned::json(
            200,
            json!({
                "_links": {"next": {"href": "https://evil.example.com/v1/x"}},
                "_embedded": {"populations": []}
            }),
        ),
    );
    let err = fake
        .client()
        .list_all(&["environments", "e1", "populations"], "populations")
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("refusing to send the access token"),
        "{err}"
    );
}

#[tokio::test]
async fn html_and_plain_text_answers_are_connection_errors() {
    let fake = fake_with_token().await;
    // Nothing scripted for this route: the fake answers "404 page not found" as text.
    let err = fake
        .client()
        .get(&["environments", "e1", "populations"])
        .await
        .unwrap_err();
    let shown = err.to_provider_error("read pingone_population");
    assert_eq!(shown.kind, ProviderErrorKind::Connection);
    let m = &shown.message;
    assert!(m.contains(&format!("{}{POPS}", fake.base)), "{m}");
    assert!(m.contains("HTTP 404"), "{m}");
    assert!(m.contains("does not look like the PingOne API"), "{m}");
    assert!(m.contains("PINGONE_API_URL"), "{m}");

    fake.always(
        &route("GET", POPS),
        Canned::raw(200, "text/html", "<html><body>Welcome</body></html>"),
    );
    let err = fake
        .client()
        .get(&["environments", "e1", "populations"])
        .await
        .unwrap_err();
    assert!(
        matches!(err, ClientError::Unrecognized { status: 200, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn redirects_are_reported_not_followed() {
    let fake = fake_with_token().await;
    fake.always(
        &route("GET", POPS),
        Canned::raw(302, "text/plain", "").header("location", "https://login.example.com/"),
    );
    let err = fake
        .client()
        .get(&["environments", "e1", "populations"])
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("a redirect to https://login.example.com/"),
        "{err}"
    );
}

#[tokio::test]
async fn token_refusals_name_the_token_url_and_the_oauth_error() {
    let fake = Fake::start().await;
    fake.always(
        &Fake::token_route(),
        Canned::json(401, json!({"error": "invalid_client", "error_description": "Unsupported authentication method"})),
    );
    let err = fake.client().get(&["environments"]).await.unwrap_err();
    let shown = err.to_provider_error("read pingone_population");
    assert_eq!(shown.kind, ProviderErrorKind::Configuration);
    let m = &shown.message;
    assert!(m.contains(&format!("{}/{ENV}/as/token", fake.base)), "{m}");
    assert!(
        m.contains("invalid_client: Unsupported authentication method"),
        "{m}"
    );
    assert!(
        !m.contains(SECRET) && !format!("{err:?}").contains(SECRET),
        "{m}"
    );
}

#[tokio::test]
async fn a_token_endpoint_that_is_not_oauth_is_a_connection_error() {
    let fake = Fake::start().await; // Nothing at the token route: text 404.
    let err = fake.client().get(&["environments"]).await.unwrap_err();
    assert_eq!(err.kind(), ProviderErrorKind::Connection);
    let text = err.to_string();
    assert!(
        text.contains("does not look like a PingOne token endpoint"),
        "{text}"
    );
    assert!(text.contains("PINGONE_AUTH_URL"), "{text}");
}

#[tokio::test]
async fn unreachable_hosts_are_one_line_connection_errors() {
    let mut config = Fake::start().await.config();
    config.api_url = "http://127.0.0.1:1".parse().unwrap();
    config.auth_url = "http://127.0.0.1:1".parse().unwrap();
    let client = Client::new(config).unwrap();
    let err = client.get(&["environments"]).await.unwrap_err();
    let shown = err.to_provider_error("read pingone_population");
    assert_eq!(shown.kind, ProviderErrorKind::Connection);
    let m = &shown.message;
    assert!(!m.contains('\n'), "{m}");
    assert!(
        m.contains(&format!(
            "could not reach PingOne at http://127.0.0.1:1/{ENV}/as/token"
        )),
        "{m}"
    );
    assert!(m.contains("connection refused"), "{m}");
}

#[tokio::test]
async fn debug_output_never_shows_the_secret() {
    let fake = fake_with_token().await;
    let config = fake.config();
    let client = Client::new(config.clone()).unwrap();
    for shown in [format!("{config:?}"), format!("{client:?}")] {
        assert!(!shown.contains(SECRET), "{shown}");
    }
}

#[tokio::test]
async fn concurrent_requests_share_one_token_request() {
    let fake = fake_with_token().await;
    fake.always(&route("GET", POPS), Canned::json(200, json!({})));
    let client = fake.client();
    let calls = (0..8).map(|_| {
        let c = client.clone();
        tokio::spawn(async move { c.get(&["environments", "e1", "populations"]).await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    assert_eq!(fake.count(&Fake::token_route()), 1);
}
