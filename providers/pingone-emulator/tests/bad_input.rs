//! Bad input over real sockets: malformed JSON, wrong types, missing fields, invalid ids,
//! oversized bodies, unknown paths and methods, garbage HTTP. Every answer is a PingOne error
//! body (never a panic, a 5xx or a hung connection), and the server keeps serving.

mod support;

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::http::{Reply, Session, reply};
use support::openapi::{assert_matches_component, assert_matches_spec};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Asserts a 4xx PingOne error body with `code` (any code if `None`).
#[track_caller]
fn assert_error(got: &Reply, status: u16, code: Option<&str>) {
    assert_eq!(got.status.as_u16(), status, "{}", got.body);
    let content_type = got
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok());
    assert_eq!(content_type, Some("application/json"), "{}", got.body);
    let id = got.body["id"].as_str().unwrap_or_default();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{}", got.body);
    assert!(got.body["message"].is_string(), "{}", got.body);
    if let Some(code) = code {
        assert_eq!(got.body["code"], code, "{}", got.body);
    }
    assert_matches_component("P1Error", &got.body);
}

async fn raw_body(
    s: &Session,
    method: Method,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> Reply {
    let request = s
        .client
        .request(method, s.url(path))
        .bearer_auth(&s.token)
        .header("content-type", content_type)
        .body(body)
        .timeout(Duration::from_secs(30));
    reply(request.send().await.expect("send")).await
}

#[tokio::test]
async fn malformed_and_mistyped_bodies_get_400() {
    let s = Session::start().await;
    let path = s.env_path("/populations");
    let json_type = "application/json";
    let bodies: Vec<Vec<u8>> = vec![
        b"{\"name\": ".to_vec(),
        b"".to_vec(),
        b"[1, 2]".to_vec(),
        b"\"text\"".to_vec(),
        b"null".to_vec(),
        vec![0xff, 0xfe, b'{', b'}'],
        "[".repeat(10_000).into_bytes(),
        b"{\"name\": 1e999999}".to_vec(),
        b"{\"name\": \"a\", \"name\": \"b\"".to_vec(),
    ];
    for body in bodies {
        let got = raw_body(&s, Method::POST, &path, json_type, body).await;
        assert_error(&got, 400, None);
        assert_matches_spec("POST", &path, 400, &got.body);
    }
    for body in [
        json!({ "name": 7 }),
        json!({ "name": null }),
        json!({ "name": ["a"] }),
        json!({ "name": { "a": 1 } }),
        json!({}),
        json!({ "description": "no name" }),
        json!({ "name": "x", "default": "yes" }),
        json!({ "name": "x", "description": 5 }),
        json!({ "name": "" }),
    ] {
        let got = s.call(Method::POST, &path, Some(&body)).await;
        assert_error(&got, 400, Some("INVALID_DATA"));
        assert_matches_spec("POST", &path, 400, &got.body);
    }
    let got = raw_body(&s, Method::POST, &path, "text/plain", b"{}".to_vec()).await;
    assert_error(&got, 415, Some("INVALID_REQUEST"));
    s.running.shutdown().await;
}

#[tokio::test]
async fn invalid_ids_unknown_paths_and_methods() {
    let s = Session::start().await;
    for path in [
        "/v1/environments/not-a-uuid/populations".to_owned(),
        format!("/v1/environments/{}/populations", "x".repeat(5000)),
    ] {
        let got = s.call(Method::GET, &path, None).await;
        assert_error(&got, 403, Some("ACCESS_FAILED"));
    }
    // Bytes that are not UTF-8 cannot name anything.
    let got = s
        .call(Method::GET, "/v1/environments/%00%ff/populations", None)
        .await;
    assert_error(&got, 400, Some("INVALID_REQUEST"));
    for path in [
        "/v1/environments/not-a-uuid".to_owned(),
        s.env_path("/populations/not-a-uuid"),
        s.env_path("/populations/%E2%82%AC"),
        "/v1/nothing".to_owned(),
        "/v1".to_owned(),
        "/".to_owned(),
        "/v1/environments/a/b/c/d/e/f".to_owned(),
    ] {
        let got = s.call(Method::GET, &path, None).await;
        assert_error(&got, 404, Some("NOT_FOUND"));
    }
    let got = s.call(Method::DELETE, "/v1/environments", None).await;
    assert_error(&got, 405, None);
    let got = s
        .call(Method::PATCH, &s.env_path("/populations"), Some(&json!({})))
        .await;
    assert_error(&got, 405, None);
    let custom = Method::from_bytes(b"BREW").expect("method");
    let got = s.call(custom, &s.env_path("/populations"), None).await;
    assert!(got.status.is_client_error(), "{}", got.status);
    s.running.shutdown().await;
}

#[tokio::test]
async fn bad_query_parameters_get_400() {
    let s = Session::start().await;
    let path = s.env_path("/populations");
    for query in [
        "limit=abc",
        "limit=-1",
        "limit=99999999999999999999999",
        "cursor=%ff%fe",
        "cursor=not-a-cursor",
        "filter=name%20eq",
        "filter=((name%20eq%20%22a%22)",
        "filter=userCount%20gt%201",
        "filter=%22",
    ] {
        let got = s.call(Method::GET, &format!("{path}?{query}"), None).await;
        assert!(got.status.is_client_error(), "{query}: {}", got.status);
        assert_error(&got, got.status.as_u16(), None);
    }
    s.running.shutdown().await;
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_pingone_errors() {
    let s = Session::start().await;
    let path = s.env_path("/populations");
    let big = format!(
        "{{\"name\": \"{}\"}}",
        "x".repeat(pingone_emulator::MAX_BODY_BYTES)
    );
    let got = raw_body(
        &s,
        Method::POST,
        &path,
        "application/json",
        big.clone().into_bytes(),
    )
    .await;
    assert_error(&got, 400, Some("INVALID_DATA"));
    assert_eq!(got.body["details"][0]["code"], "SIZE_LIMIT_EXCEEDED");
    assert_matches_spec("POST", &path, 400, &got.body);

    // Without a Content-Length (chunked), the limit applies while reading.
    let answer = chunked_upload(&s, &path, big.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("SIZE_LIMIT_EXCEEDED"), "{answer}");
    assert_eq!(
        s.call(Method::GET, &path, None).await.status,
        StatusCode::OK
    );
    s.running.shutdown().await;
}

/// Sends `body` chunked over a raw socket (writes may fail once the server has answered) and
/// returns what the server answered.
async fn chunked_upload(s: &Session, path: &str, body: &[u8]) -> String {
    let mut stream = TcpStream::connect(s.running.local_addr())
        .await
        .expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        s.token
    );
    stream.write_all(head.as_bytes()).await.expect("write head");
    for chunk in body.chunks(64 * 1024) {
        let frame = [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
        if stream.write_all(&frame).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

/// Sends raw bytes, then reads what the server answers until it closes or 5 s pass.
async fn raw_exchange(addr: std::net::SocketAddr, bytes: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(bytes).await.expect("write");
    let _ = stream.shutdown().await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn garbage_http_does_not_hang_or_crash_the_server() {
    let s = Session::start().await;
    let addr = s.running.local_addr();
    let answer = raw_exchange(addr, b"NOT HTTP AT ALL\r\n\r\n").await;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 400"),
        "{answer}"
    );
    let truncated = format!(
        "POST {} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"na",
        s.env_path("/populations"),
        s.token
    );
    let answer = raw_exchange(addr, truncated.as_bytes()).await;
    assert!(!answer.starts_with("HTTP/1.1 5"), "{answer}");
    let bad_header = b"GET /v1/environments HTTP/1.1\r\nhost: x\r\nauthorization: \xff\xfe\r\n\r\n";
    let answer = raw_exchange(addr, bad_header).await;
    assert!(
        answer.starts_with("HTTP/1.1 401") || answer.starts_with("HTTP/1.1 400"),
        "{answer}"
    );
    // Still serving.
    let got = s.call(Method::GET, "/v1/environments", None).await;
    assert_eq!(got.status, StatusCode::OK);
    let _: &Value = &got.body;
    s.running.shutdown().await;
}
