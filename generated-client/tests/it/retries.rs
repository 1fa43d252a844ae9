//! Retries: which failures, which methods, how long.

use std::time::{Duration, Instant};

use headout_client::runtime::{KeyUse, Method, Request, RetryPolicy};
use headout_client::{ClientBuilder, Error};
use serde_json::json;

use crate::fixture::{API, Reply, Server, TEST_KEY, client, fast_retry};

fn request(method: Method) -> Request {
    Request::new("op", method, "v1", "/things".into(), KeyUse::Required)
}

fn unavailable() -> Reply {
    Reply::json(
        503,
        json!({"error": {"code": "UNAVAILABLE", "message": "try later"}}),
    )
}

#[tokio::test]
async fn get_is_retried_after_503() {
    let server = Server::start(|_, call| {
        if call == 0 {
            unavailable()
        } else {
            Reply::json(200, json!({"ok": true}))
        }
    })
    .await;
    let value: serde_json::Value = client(&server)
        .send_json(request(Method::GET))
        .await
        .unwrap();
    assert_eq!(value, json!({"ok": true}));
    assert_eq!(server.calls(), 2);
    // Every attempt carries the key.
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("x-test-key") == Some(TEST_KEY))
    );
}

#[tokio::test]
async fn gateway_and_rate_limit_statuses_are_retried() {
    let server = Server::start(|_, call| match call {
        0 => Reply::raw(502, "bad gateway"),
        1 => Reply::raw(504, "gateway timeout"),
        2 => Reply::raw(429, "slow down"),
        _ => Reply::json(200, json!(1)),
    })
    .await;
    let client = ClientBuilder::with_base_url(&API, server.url())
        .retry(fast_retry().max_attempts(4))
        .build()
        .unwrap();
    let value: u32 = client
        .send_json(Request::new(
            "op",
            Method::GET,
            "v1",
            "/x".into(),
            KeyUse::None,
        ))
        .await
        .unwrap();
    assert_eq!(value, 1);
    assert_eq!(server.calls(), 4);
}

#[tokio::test]
async fn post_is_never_retried() {
    let server = Server::start(|_, _| unavailable()).await;
    let client = ClientBuilder::with_base_url(&API, server.url())
        .key(TEST_KEY)
        .retry(fast_retry().retry_idempotent(true))
        .build()
        .unwrap();
    let mut post = request(Method::POST);
    post.json_body(&json!({"name": "x"})).unwrap();
    let error = client
        .send_json::<serde_json::Value>(post)
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert!(error.is_retryable());
    assert_eq!(server.calls(), 1);
}

#[tokio::test]
async fn put_is_retried_only_when_asked() {
    let server = Server::start(|_, call| {
        if call % 2 == 0 {
            unavailable()
        } else {
            Reply::json(200, json!({}))
        }
    })
    .await;
    let default = client(&server);
    assert!(default.send_empty(request(Method::PUT)).await.is_err());
    assert_eq!(server.calls(), 1);
    let opted_in = ClientBuilder::with_base_url(&API, server.url())
        .key(TEST_KEY)
        .retry(fast_retry().retry_idempotent(true))
        .build()
        .unwrap();
    // Call 1 succeeds at once; call 2 fails and is retried as call 3.
    opted_in.send_empty(request(Method::PUT)).await.unwrap();
    assert_eq!(server.calls(), 2);
    opted_in.send_empty(request(Method::PUT)).await.unwrap();
    assert_eq!(server.calls(), 4);
}

#[tokio::test]
async fn attempts_are_bounded() {
    let server = Server::start(|_, _| unavailable()).await;
    let error = client(&server)
        .send_empty(request(Method::GET))
        .await
        .unwrap_err();
    match &error {
        Error::Api { status, code, .. } => {
            assert_eq!(status.as_u16(), 503);
            assert_eq!(code.as_deref(), Some("UNAVAILABLE"));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert_eq!(server.calls(), 3);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = Server::start(|_, _| Reply::json(400, json!({"error": {"code": "BAD"}}))).await;
    let error = client(&server)
        .send_empty(request(Method::GET))
        .await
        .unwrap_err();
    assert!(!error.is_retryable());
    assert_eq!(server.calls(), 1);
}

#[tokio::test]
async fn server_errors_other_than_gateway_ones_are_not_retried() {
    // A 500 or 501 says the request itself fails on the server; sending it again
    // would fail the same way.
    for status in [500, 501] {
        let server = Server::start(move |_, _| Reply::raw(status, "<html>oops</html>")).await;
        let error = client(&server)
            .send_empty(request(Method::GET))
            .await
            .unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert!(!error.is_retryable());
        assert_eq!(server.calls(), 1);
    }
}

#[tokio::test]
async fn no_retry_policy_sends_once() {
    let server = Server::start(|_, _| unavailable()).await;
    let client = ClientBuilder::with_base_url(&API, server.url())
        .key(TEST_KEY)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    client.send_empty(request(Method::GET)).await.unwrap_err();
    assert_eq!(server.calls(), 1);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = Server::start(|_, call| {
        if call == 0 {
            unavailable().header("retry-after", "0.3")
        } else {
            Reply::json(200, json!({}))
        }
    })
    .await;
    let client = ClientBuilder::with_base_url(&API, server.url())
        .key(TEST_KEY)
        .retry(fast_retry().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    let started = Instant::now();
    client.send_empty(request(Method::GET)).await.unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_eq!(server.calls(), 2);
}

#[tokio::test]
async fn retry_after_beyond_the_budget_gives_up_at_once() {
    let server = Server::start(|_, _| unavailable().header("retry-after", "3600")).await;
    let started = Instant::now();
    let error = client(&server)
        .send_empty(request(Method::GET))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.calls(), 1);
}

#[tokio::test]
async fn timeouts_are_retried_for_get() {
    let server = Server::start(|_, call| {
        let reply = Reply::json(200, json!({"call": call}));
        if call == 0 {
            reply.delay(Duration::from_secs(3))
        } else {
            reply
        }
    })
    .await;
    let client = ClientBuilder::with_base_url(&API, server.url())
        .key(TEST_KEY)
        .timeout(Duration::from_millis(200))
        .retry(fast_retry())
        .build()
        .unwrap();
    let value: serde_json::Value = client.send_json(request(Method::GET)).await.unwrap();
    assert_eq!(value, json!({"call": 1}));
    assert_eq!(server.calls(), 2);
}
