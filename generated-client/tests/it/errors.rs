//! Non-2xx answers, undecodable bodies, transport failures, and the key in errors.

use std::time::Duration;

use futures_util::StreamExt;
use headout_client::runtime::{KeyUse, Method, Request, RetryPolicy};
use headout_client::{ClientBuilder, Decimal, Error, Id};
use serde::Deserialize;
use serde_json::json;

use crate::fixture::{API, Reply, Server, TEST_KEY, WIDGETS, assert_no_key, client};

fn get(operation: &'static str, path: &str) -> Request {
    Request::new(
        operation,
        Method::GET,
        "v1",
        path.to_owned(),
        KeyUse::Required,
    )
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Order {
    id: Id,
    lines: Vec<Line>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Line {
    sku: String,
    price: Price,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Price {
    #[serde(with = "headout_client::runtime::money_serde")]
    amount: Decimal,
    currency: String,
}

#[tokio::test]
async fn error_body_with_status_and_code_message() {
    let body = json!({"status": 400, "error": {"code": "E_MISSING_PARAMETER", "message": "city is required"}});
    let raw = body.to_string();
    let server = Server::start(move |_, _| Reply::json(400, body.clone())).await;
    let error = client(&server)
        .send_json::<Order>(get("listThings", "/things"))
        .await
        .unwrap_err();
    match &error {
        Error::Api {
            operation,
            status,
            code,
            title,
            message,
            body,
        } => {
            assert_eq!(*operation, "listThings");
            assert_eq!(status.as_u16(), 400);
            assert_eq!(code.as_deref(), Some("E_MISSING_PARAMETER"));
            assert_eq!(title.as_deref(), None);
            assert_eq!(message.as_deref(), Some("city is required"));
            assert_eq!(body, &raw);
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    let shown = error.to_string();
    assert!(
        shown.contains("listThings") && shown.contains("400"),
        "{shown}"
    );
    assert!(
        shown.contains("E_MISSING_PARAMETER") && shown.contains("city is required"),
        "{shown}"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert!(!error.is_retryable());
    assert_no_key(&error);
}

#[tokio::test]
async fn error_body_with_code_title_message() {
    let body = json!({"error": {"code": "CAL-0121", "title": "Itinerary error", "message": "Not available anymore."}});
    let server = Server::start(move |_, _| Reply::json(404, body.clone())).await;
    let error = client(&server)
        .send_json::<Order>(get("getThing", "/things/1"))
        .await
        .unwrap_err();
    match &error {
        Error::Api {
            status,
            code,
            title,
            message,
            body,
            ..
        } => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(code.as_deref(), Some("CAL-0121"));
            assert_eq!(title.as_deref(), Some("Itinerary error"));
            assert_eq!(message.as_deref(), Some("Not available anymore."));
            assert!(body.contains("CAL-0121"));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    let shown = error.to_string();
    assert!(
        shown.contains("Itinerary error: Not available anymore."),
        "{shown}"
    );
    assert_no_key(&error);
}

#[tokio::test]
async fn html_error_page_keeps_the_raw_body() {
    let page = "<html><body><h1>500 Internal Server Error</h1></body></html>";
    let server =
        Server::start(move |_, _| Reply::raw(500, page).header("content-type", "text/html")).await;
    let error = client(&server)
        .send_json::<Order>(get("getThing", "/things/1"))
        .await
        .unwrap_err();
    match &error {
        Error::Api {
            status,
            code,
            title,
            message,
            body,
            ..
        } => {
            assert_eq!(status.as_u16(), 500);
            assert!(code.is_none() && title.is_none() && message.is_none());
            assert_eq!(body, page);
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert!(error.to_string().contains("500 Internal Server Error"));
    assert!(!error.is_retryable());
}

/// Asserts a decode error and returns its path and excerpt.
fn decode_parts(error: &Error) -> (String, String) {
    assert_no_key(error);
    match error {
        Error::Decode {
            operation,
            status,
            path,
            excerpt,
            message,
        } => {
            assert_eq!(*operation, "getOrder");
            assert_eq!(status.as_u16(), 200);
            assert!(!message.is_empty());
            (path.clone(), excerpt.clone())
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn undecodable_success_bodies_are_decode_errors() {
    let long_html = format!("<html>{}</html>", "x".repeat(1000));
    let bodies = vec![
        long_html.clone(),
        r#"{"id": 1, "lines": [{"sku": "a", "pri"#.to_owned(),
        r#"{"id": 1, "lines": [{"sku": "a", "price": {"amount": 1.5, "currency": "EUR"}}, {"sku": "b", "price": {"amount": "lots", "currency": "EUR"}}]}"#.to_owned(),
        String::new(),
        r#"{"id": 1, "lines": []} trailing"#.to_owned(),
        r#"{"id": true, "lines": []}"#.to_owned(),
    ];
    let served = bodies.clone();
    let server = Server::start(move |_, call| Reply::raw(200, served[call].clone())).await;
    let client = client(&server);
    let mut results = Vec::new();
    for _ in 0..bodies.len() {
        let error = client
            .send_json::<Order>(get("getOrder", "/orders/1"))
            .await
            .unwrap_err();
        results.push(decode_parts(&error));
    }
    // Not JSON at all: no path, an excerpt of about 200 characters.
    assert_eq!(results[0].0, "");
    assert!(results[0].1.starts_with("<html>xxx"));
    assert!(results[0].1.chars().count() <= 201, "{}", results[0].1);
    // Truncated JSON: the path reached when the body ended.
    assert!(results[1].0.starts_with("lines[0]"), "{}", results[1].0);
    // A wrong type deep inside.
    assert_eq!(results[2].0, "lines[1].price.amount");
    // Empty body.
    assert_eq!(results[3], (String::new(), String::new()));
    // Trailing garbage after a complete value.
    assert_eq!(results[4].0, "");
    assert_eq!(results[5].0, "id");
}

#[tokio::test]
async fn decode_error_display_names_operation_and_path() {
    let server =
        Server::start(|_, _| Reply::json(200, json!({"id": 1, "lines": [{"sku": 5}]}))).await;
    let error = client(&server)
        .send_json::<Order>(get("getOrder", "/orders/1"))
        .await
        .unwrap_err();
    let shown = error.to_string();
    assert!(
        shown.contains("getOrder") && shown.contains("`lines[0].sku`"),
        "{shown}"
    );
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn undecodable_pages_report_the_path() {
    let server = Server::start(|request, _| match request.path.as_str() {
        "/api/open/v1/wrong-item" => Reply::json(
            200,
            json!({"widgets": [{"sku": "a", "price": {"amount": 1, "currency": "EUR"}}, {"sku": "b", "price": {"amount": 2}}], "nextFrom": null}),
        ),
        "/api/open/v1/no-items" => Reply::json(200, json!({"things": [], "nextFrom": null})),
        "/api/open/v1/bad-total" => Reply::json(200, json!({"widgets": [], "count": "many", "nextFrom": null})),
        "/api/open/v1/bad-offset" => Reply::json(200, json!({"widgets": [], "nextFrom": {"at": 3}})),
        _ => Reply::json(200, json!([1, 2])),
    })
    .await;
    let client = client(&server);
    let mut paths = Vec::new();
    for path in [
        "/wrong-item",
        "/no-items",
        "/bad-total",
        "/bad-offset",
        "/array",
    ] {
        let error = client
            .send_page::<Line>(get("listLines", path), &WIDGETS, None, None)
            .await
            .unwrap_err();
        assert_no_key(&error);
        match error {
            Error::Decode { path, .. } => paths.push(path),
            other => panic!("expected Error::Decode, got {other:?}"),
        }
    }
    assert_eq!(
        paths,
        ["widgets[1].price", "widgets", "count", "nextFrom", ""]
    );
}

#[tokio::test]
async fn echoed_key_is_scrubbed_from_errors() {
    // A server that echoes the request headers back in its error and success bodies.
    let server = Server::start(|request, call| {
        let key = request.header("x-test-key").unwrap_or_default().to_owned();
        if call == 0 {
            Reply::json(
                401,
                json!({"error": {"code": "E_AUTH", "message": format!("bad key {key}")}}),
            )
        } else {
            Reply::raw(200, format!("<html>your key is {key}</html>"))
        }
    })
    .await;
    let client = client(&server);
    let unauthorized = client
        .send_json::<Order>(get("getOrder", "/orders/1"))
        .await
        .unwrap_err();
    assert_no_key(&unauthorized);
    match &unauthorized {
        Error::Api { message, body, .. } => {
            assert_eq!(message.as_deref(), Some("bad key test_…(redacted)"));
            assert!(!body.contains(TEST_KEY));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    let undecodable = client
        .send_json::<Order>(get("getOrder", "/orders/1"))
        .await
        .unwrap_err();
    assert_no_key(&undecodable);
    let (_, excerpt) = decode_parts(&undecodable);
    assert!(excerpt.contains("test_…(redacted)"), "{excerpt}");
}

#[tokio::test]
async fn timeout_is_a_retryable_transport_error() {
    let server =
        Server::start(|_, _| Reply::json(200, json!({})).delay(Duration::from_secs(3))).await;
    let client = ClientBuilder::with_base_url(&API, server.url())
        .key(TEST_KEY)
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let error = client
        .send_json::<serde_json::Value>(get("slow", "/slow"))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    match &error {
        Error::Transport {
            operation,
            is_timeout,
            ..
        } => {
            assert_eq!(*operation, "slow");
            assert!(*is_timeout);
        }
        other => panic!("expected Error::Transport, got {other:?}"),
    }
    assert!(error.is_retryable());
    assert!(error.to_string().contains("slow: timed out"), "{error}");
    assert!(std::error::Error::source(&error).is_some());
    assert_no_key(&error);
}

#[tokio::test]
async fn refused_connection_is_a_connect_error() {
    // Bind a port, then free it, so that nothing listens there.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = ClientBuilder::with_base_url(&API, format!("http://{addr}"))
        .key(TEST_KEY)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client
        .send_json::<serde_json::Value>(get("ping", "/ping"))
        .await
        .unwrap_err();
    match &error {
        Error::Transport { is_connect, .. } => assert!(*is_connect, "{error:?}"),
        other => panic!("expected Error::Transport, got {other:?}"),
    }
    assert!(error.is_retryable());
    assert_eq!(error.status(), None);
    assert_no_key(&error);
}

#[tokio::test]
async fn pagination_errors_name_the_operation() {
    let error = Error::Pagination {
        operation: "listThings",
        message: "loop".into(),
    };
    assert_eq!(error.to_string(), "listThings: pagination failed: loop");
    assert_eq!(error.operation(), Some("listThings"));
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn no_error_variant_shows_the_key() {
    // Every variant is produced by a client holding the key, with a server that echoes
    // the key wherever it can, so that a leak through any path would show.
    let server = Server::start(|request, _| {
        let key = request.header("x-test-key").unwrap_or_default().to_owned();
        match request.path.as_str() {
            "/api/open/v1/api" => Reply::json(
                503,
                json!({"error": {"code": key, "title": key, "message": key}}),
            ),
            "/api/open/v1/decode" => {
                Reply::raw(200, format!("{{\"id\": \"{key}\", \"lines\": 5}}"))
            }
            _ => Reply::json(200, json!({"widgets": [key], "nextFrom": 0})),
        }
    })
    .await;
    let client = client(&server);
    let mut errors = vec![
        ClientBuilder::new(&API, crate::fixture::live())
            .key(TEST_KEY)
            .build()
            .unwrap_err(),
        client.send_empty(get("api", "/api")).await.unwrap_err(),
        client
            .send_json::<Order>(get("decode", "/decode"))
            .await
            .unwrap_err(),
    ];
    let mut encode = get("encode", "/x");
    encode.header("X-Echo", &format!("{TEST_KEY}\n"));
    errors.push(client.send_empty(encode).await.unwrap_err());
    let mut pages =
        Box::pin(client.pages::<serde_json::Value>(get("loop", "/loop"), &WIDGETS, None, None));
    pages.next().await.unwrap().unwrap();
    errors.push(pages.next().await.unwrap().unwrap_err());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed = listener.local_addr().unwrap();
    drop(listener);
    let unreachable = ClientBuilder::with_base_url(&API, format!("http://{closed}"))
        .key(TEST_KEY)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    errors.push(
        unreachable
            .send_empty(get("transport", "/x"))
            .await
            .unwrap_err(),
    );

    let mut variants: Vec<String> = errors
        .iter()
        .map(|error| {
            assert_no_key(error);
            let debug = format!("{error:?}");
            debug[..debug.find([' ', '{', '(']).unwrap_or(debug.len())].to_owned()
        })
        .collect();
    variants.sort();
    assert_eq!(
        variants,
        [
            "Api",
            "Config",
            "Decode",
            "Encode",
            "Pagination",
            "Transport"
        ],
        "every variant of Error must be covered here"
    );
}
