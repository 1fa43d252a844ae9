//! What goes on the wire: URL, headers, the key, bodies, redirects.

use chrono::{NaiveDate, NaiveDateTime};
use headout_client::runtime::{KeyUse, Method, Request, path_segment};
use headout_client::{ClientBuilder, Decimal, Error, Id, LocalTime};
use serde_json::json;

use crate::fixture::{API, Reply, Server, TEST_KEY, assert_no_key, client, fast_retry};

fn get(operation: &'static str, path: &str, key: KeyUse) -> Request {
    Request::new(operation, Method::GET, "v1", path.to_owned(), key)
}

#[tokio::test]
async fn auth_header_follows_key_use() {
    let server = Server::start(|_, _| Reply::json(200, json!({"ok": true}))).await;
    let with_key = client(&server);
    for key in [KeyUse::Required, KeyUse::Optional, KeyUse::None] {
        let _: serde_json::Value = with_key.send_json(get("op", "/ping", key)).await.unwrap();
    }
    let without_key = ClientBuilder::with_base_url(&API, server.url())
        .build()
        .unwrap();
    for key in [KeyUse::Optional, KeyUse::None] {
        let _: serde_json::Value = without_key
            .send_json(get("op", "/ping", key))
            .await
            .unwrap();
    }
    let seen: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| r.header("x-test-key").map(str::to_owned))
        .collect();
    assert_eq!(
        seen,
        vec![
            Some(TEST_KEY.to_owned()),
            Some(TEST_KEY.to_owned()),
            None,
            None,
            None
        ]
    );
    // Requests without the auth header carry the key nowhere else either.
    for request in &server.requests()[2..] {
        assert!(!request.any_header_contains(&TEST_KEY[5..]));
    }

    // A required key on a client without one fails before anything is sent.
    let error = without_key
        .send_json::<serde_json::Value>(get("needsKey", "/ping", KeyUse::Required))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
    assert!(error.to_string().contains("needsKey"));
    assert_eq!(server.calls(), 5);
}

#[tokio::test]
async fn standard_headers_are_sent() {
    let server = Server::start(|_, _| Reply::json(200, json!({}))).await;
    let client = client(&server);
    let _: serde_json::Value = client
        .send_json(get("op", "/a", KeyUse::None))
        .await
        .unwrap();

    let mut post = Request::new(
        "create",
        Method::POST,
        "v1",
        "/things".into(),
        KeyUse::Required,
    );
    post.json_body(&json!({"name": "lamp", "price": 19.99}))
        .unwrap();
    let _: serde_json::Value = client.send_json(post).await.unwrap();

    let custom = ClientBuilder::with_base_url(&API, server.url())
        .user_agent("my-app/1.0")
        .build()
        .unwrap();
    custom
        .send_empty(get("op", "/b", KeyUse::None))
        .await
        .unwrap();
    let _ = custom
        .send_text(get("page", "/c", KeyUse::None))
        .await
        .unwrap();

    let requests = server.requests();
    let plain = &requests[0];
    assert_eq!(plain.method, "GET");
    assert_eq!(plain.header("accept"), Some("application/json"));
    assert_eq!(plain.header("user-agent"), Some("widget-client/9.9.9"));
    assert_eq!(plain.header("content-type"), None);
    assert!(plain.body.is_empty());

    let posted = &requests[1];
    assert_eq!(posted.method, "POST");
    assert_eq!(posted.header("content-type"), Some("application/json"));
    assert_eq!(posted.header("accept"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&posted.body).unwrap();
    assert_eq!(body, json!({"name": "lamp", "price": 19.99}));

    assert_eq!(
        requests[2].header("user-agent"),
        Some("my-app/1.0 widget-client/9.9.9")
    );
    assert_eq!(requests[2].header("accept"), Some("application/json"));
    let text_accept = requests[3].header("accept").unwrap();
    assert!(text_accept.starts_with("text/html"), "{text_accept}");
}

#[tokio::test]
async fn url_is_base_prefix_path_and_query() {
    let server = Server::start(|_, _| Reply::json(200, json!({}))).await;
    let client = client(&server);

    let path = format!(
        "/things/{}/parts/{}/",
        path_segment(&"a b/c?d"),
        path_segment(&Id::from(7))
    );
    let mut request = Request::new("op", Method::GET, "v2", path, KeyUse::Required);
    request.query("city", "São Paulo & co");
    request.query("ids", &vec![Id::from(1), Id::from("x2")]);
    request.query("date", &NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
    request.query(
        "at",
        &NaiveDateTime::parse_from_str("2024-01-15T10:30:00", "%Y-%m-%dT%H:%M:%S").unwrap(),
    );
    request.query("time", &"09:05".parse::<LocalTime>().unwrap());
    request.query("price", &"77.08".parse::<Decimal>().unwrap());
    request.query("flag", &true);
    request.query_opt("absent", None::<&String>);
    request.query_opt("present", Some(&42_u32));
    request.header("X-Trace", "abc-123");
    let _: serde_json::Value = client.send_json(request).await.unwrap();

    // The legacy prefix replaces the current one for its version only.
    let legacy = ClientBuilder::with_base_url(&API, format!("{}/mount/", server.url()))
        .legacy_prefix("v1", true)
        .build()
        .unwrap();
    legacy
        .send_empty(get("op", "widgets", KeyUse::None))
        .await
        .unwrap();
    legacy
        .send_empty(Request::new(
            "op",
            Method::GET,
            "v2",
            "/widgets".into(),
            KeyUse::None,
        ))
        .await
        .unwrap();

    let requests = server.requests();
    let first = &requests[0];
    assert_eq!(first.path, "/api/open/v2/things/a%20b%2Fc%3Fd/parts/7/");
    assert_eq!(first.param("city").as_deref(), Some("São Paulo & co"));
    assert_eq!(first.param("ids").as_deref(), Some("1,x2"));
    assert_eq!(first.param("date").as_deref(), Some("2024-02-29"));
    assert_eq!(first.param("at").as_deref(), Some("2024-01-15T10:30:00"));
    assert_eq!(first.param("time").as_deref(), Some("09:05"));
    assert_eq!(first.param("price").as_deref(), Some("77.08"));
    assert_eq!(first.param("flag").as_deref(), Some("true"));
    assert_eq!(first.param("absent"), None);
    assert_eq!(first.param("present").as_deref(), Some("42"));
    assert_eq!(first.header("x-trace"), Some("abc-123"));

    assert_eq!(requests[1].path, "/mount/api/v1/widgets");
    assert_eq!(requests[2].path, "/mount/api/open/v2/widgets");
}

#[tokio::test]
async fn unknown_version_and_bad_header_are_reported() {
    let server = Server::start(|_, _| Reply::json(200, json!({}))).await;
    let client = client(&server);
    let error = client
        .send_empty(Request::new(
            "op",
            Method::GET,
            "v9",
            "/x".into(),
            KeyUse::None,
        ))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
    let mut request = get("badHeader", "/x", KeyUse::None);
    request.header("X-Bad", "line\nbreak");
    let error = client.send_empty(request).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Encode {
                operation: "badHeader",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.calls(), 0);
}

#[tokio::test]
async fn text_and_empty_answers() {
    let server = Server::start(|request, _| match request.path.as_str() {
        "/api/open/v1/page" => {
            Reply::raw(200, "<html><body>seats</body></html>").header("content-type", "text/html")
        }
        _ => Reply::raw(204, ""),
    })
    .await;
    let client = client(&server);
    let html = client
        .send_text(get("page", "/page", KeyUse::None))
        .await
        .unwrap();
    assert_eq!(html, "<html><body>seats</body></html>");
    let mut delete = Request::new(
        "remove",
        Method::DELETE,
        "v1",
        "/things/1".into(),
        KeyUse::Required,
    );
    delete.query("reason", "test");
    client.send_empty(delete).await.unwrap();
    assert_eq!(server.requests()[1].method, "DELETE");
}

#[tokio::test]
async fn redirect_to_another_origin_gets_no_key() {
    let elsewhere = Server::start(|_, _| Reply::json(200, json!({"stolen": true}))).await;
    let target = format!("{}/collect", elsewhere.url());
    let origin = Server::start(move |request, _| match request.path.as_str() {
        "/api/open/v1/away" => Reply::raw(302, "").header("location", &target),
        "/api/open/v1/old" => Reply::raw(301, "").header("location", "/api/open/v1/new"),
        _ => Reply::json(200, json!({"here": true})),
    })
    .await;
    let client = client(&origin);

    let error = client
        .send_json::<serde_json::Value>(get("away", "/away", KeyUse::Required))
        .await
        .unwrap_err();
    match &error {
        Error::Api {
            status, message, ..
        } => {
            assert_eq!(status.as_u16(), 302);
            let message = message.as_deref().unwrap();
            assert!(message.contains(&elsewhere.url()), "{message}");
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert_no_key(&error);
    assert_eq!(elsewhere.calls(), 0, "the other origin was contacted");

    // A redirect within the origin is followed, with the key.
    let value: serde_json::Value = client
        .send_json(get("old", "/old", KeyUse::Required))
        .await
        .unwrap();
    assert_eq!(value, json!({"here": true}));
    let requests = origin.requests();
    let last = requests.last().unwrap();
    assert_eq!(last.path, "/api/open/v1/new");
    assert_eq!(last.header("x-test-key"), Some(TEST_KEY));
}

#[tokio::test]
async fn optional_key_client_without_key_reaches_open_operations() {
    let server = Server::start(|_, _| Reply::json(200, json!([1, 2, 3]))).await;
    let client = ClientBuilder::with_base_url(&API, server.url())
        .retry(fast_retry())
        .build()
        .unwrap();
    let numbers: Vec<u8> = client
        .send_json(get("open", "/open", KeyUse::Optional))
        .await
        .unwrap();
    assert_eq!(numbers, vec![1, 2, 3]);
    assert!(!client.has_key());
}

#[tokio::test]
async fn redirect_to_another_host_or_scheme_of_the_same_server_gets_no_key() {
    // The same listener is reachable as `localhost` and over another scheme; both are
    // other origins, so the client must not follow even though the target is "local".
    let port = std::sync::Arc::new(std::sync::OnceLock::<u16>::new());
    let known = std::sync::Arc::clone(&port);
    let server = Server::start(move |request, _| {
        let port = known.get().copied().unwrap_or_default();
        match request.path.as_str() {
            "/api/open/v1/alias" => Reply::raw(302, "").header(
                "location",
                &format!("http://localhost:{port}/api/open/v1/collect"),
            ),
            "/api/open/v1/upgrade" => Reply::raw(307, "").header(
                "location",
                &format!("https://127.0.0.1:{port}/api/open/v1/collect"),
            ),
            _ => Reply::json(200, json!({"collected": true})),
        }
    })
    .await;
    port.set(server.addr.port()).unwrap();
    let client = client(&server);
    for (path, status) in [("/alias", 302), ("/upgrade", 307)] {
        let error = client
            .send_json::<serde_json::Value>(get("away", path, KeyUse::Required))
            .await
            .unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{path}");
        assert!(error.to_string().contains("not followed"), "{error}");
        assert_no_key(&error);
    }
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/api/open/v1/alias", "/api/open/v1/upgrade"]);
}
