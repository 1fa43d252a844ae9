//! Building clients: base URL checks, key checks, redaction.

use std::time::Duration;

use headout_client::runtime::RetryPolicy;
use headout_client::{ClientBuilder, Error};

use crate::fixture::{API, LIVE_KEY, TEST_KEY, assert_no_key, live, test_env};

fn config_message(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(Error::Config { message }) => message,
        other => panic!("expected Error::Config, got {other:?}"),
    }
}

#[test]
fn plain_http_is_refused_unless_loopback() {
    for url in [
        "http://example.com",
        "http://api.widgets.invalid/base",
        "http://10.0.0.1:8080",
        "http://127.0.0.1.example.com",
    ] {
        let message = config_message(ClientBuilder::with_base_url(&API, url).build());
        assert!(message.contains("https"), "{message}");
        assert!(message.contains("loopback"), "{message}");
    }
    for url in [
        "http://127.0.0.1:9",
        "http://127.3.2.1:9/prefix/",
        "http://localhost:9",
        "http://LOCALHOST:9",
        "http://[::1]:9",
        "https://example.com",
        "https://example.com/mounted/",
    ] {
        let client = ClientBuilder::with_base_url(&API, url)
            .build()
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        assert!(!client.base_url().as_str().is_empty());
    }
}

#[test]
fn malformed_base_urls_are_refused() {
    for url in [
        "ftp://example.com",
        "not a url",
        "https://user:pass@example.com",
        "https://example.com/?x=1",
        "https://example.com/#top",
    ] {
        config_message(ClientBuilder::with_base_url(&API, url).build());
    }
    // An environment's host can be replaced while keeping the key check.
    let message = config_message(
        ClientBuilder::new(&API, live())
            .base_url("http://live-mirror.widgets.invalid")
            .build(),
    );
    assert!(message.contains("plain http"), "{message}");
}

#[test]
fn key_of_another_environment_is_refused() {
    let message = config_message(ClientBuilder::new(&API, live()).key(TEST_KEY).build());
    assert!(message.contains("`test_`"), "{message}");
    assert!(message.contains("`test` environment"), "{message}");
    assert!(message.contains("`live` environment"), "{message}");
    assert!(message.contains("`live_`"), "{message}");
    assert!(!message.contains(&TEST_KEY[5..]), "{message}");

    let message = config_message(ClientBuilder::new(&API, test_env()).key(LIVE_KEY).build());
    assert!(message.contains("`live_`"), "{message}");

    // The matching key is accepted, and so is a key with no known prefix.
    ClientBuilder::new(&API, live())
        .key(LIVE_KEY)
        .build()
        .unwrap();
    ClientBuilder::new(&API, test_env())
        .key(TEST_KEY)
        .build()
        .unwrap();
    ClientBuilder::new(&API, live())
        .key("legacy-key-123")
        .build()
        .unwrap();
    // A moved host keeps the environment and so the check.
    config_message(
        ClientBuilder::new(&API, live())
            .base_url("https://live-mirror.widgets.invalid")
            .key(TEST_KEY)
            .build(),
    );
    // A custom base URL accepts any key.
    ClientBuilder::with_base_url(&API, "https://elsewhere.invalid")
        .key(TEST_KEY)
        .build()
        .unwrap();
    ClientBuilder::with_base_url(&API, "https://elsewhere.invalid")
        .key(LIVE_KEY)
        .build()
        .unwrap();
}

#[test]
fn unusable_keys_are_refused() {
    let message = config_message(ClientBuilder::new(&API, live()).key("  ").build());
    assert!(message.contains("empty"), "{message}");
    let result = ClientBuilder::new(&API, live())
        .key("live_bad\nkey")
        .build();
    let error = result.unwrap_err();
    assert!(matches!(error, Error::Config { .. }));
    assert!(!error.to_string().contains("bad\nkey"));
    // Whitespace around a pasted key is dropped.
    let client = ClientBuilder::new(&API, live())
        .key(format!(" {LIVE_KEY}\n"))
        .build()
        .unwrap();
    assert!(client.has_key());
}

#[test]
fn key_is_redacted_in_debug() {
    let builder = ClientBuilder::new(&API, test_env())
        .key(TEST_KEY)
        .timeout(Duration::from_secs(3))
        .retry(RetryPolicy::none());
    let shown = format!("{builder:?} {builder:#?}");
    assert!(!shown.contains(&TEST_KEY[5..]), "{shown}");
    assert!(shown.contains("test_…(redacted)"), "{shown}");

    let client = builder.build().unwrap();
    for shown in [
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{:?}", client.clone()),
    ] {
        assert!(!shown.contains(&TEST_KEY[5..]), "{shown}");
        assert!(shown.contains("test_…(redacted)"), "{shown}");
    }

    // A key with no known prefix shows nothing of itself.
    let client = ClientBuilder::with_base_url(&API, "https://elsewhere.invalid")
        .key("opaque-secret-value")
        .build()
        .unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains("opaque"), "{shown}");
    assert!(shown.contains("…(redacted)"), "{shown}");
}

#[test]
fn legacy_prefix_needs_a_known_version_with_one() {
    let message = config_message(
        ClientBuilder::new(&API, live())
            .legacy_prefix("v7", true)
            .build(),
    );
    assert!(
        message.contains("v7") && message.contains("v1, v2"),
        "{message}"
    );
    let message = config_message(
        ClientBuilder::new(&API, live())
            .legacy_prefix("v2", true)
            .build(),
    );
    assert!(message.contains("no legacy prefix"), "{message}");
    ClientBuilder::new(&API, live())
        .legacy_prefix("v1", true)
        .build()
        .unwrap();
    ClientBuilder::new(&API, live())
        .legacy_prefix("v2", false)
        .build()
        .unwrap();
}

#[test]
fn config_errors_never_show_the_key() {
    let error = ClientBuilder::new(&API, live())
        .key(TEST_KEY)
        .build()
        .unwrap_err();
    assert_no_key(&error);
    let error = ClientBuilder::new(&API, test_env())
        .key(LIVE_KEY)
        .build()
        .unwrap_err();
    assert_no_key(&error);
}

#[test]
fn public_types_cross_threads() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Error>();
    assert_send_sync::<headout_client::Client>();
    assert_send_sync::<headout_client::Client<headout_client::WithKey>>();
    assert_send_sync::<headout_client::runtime::Request>();
    assert_send_sync::<headout_client::Page<headout_client::Id>>();
}

#[test]
fn timeouts_have_defaults_and_can_be_set() {
    // Both timeouts are finite by default, so that a silent server cannot hang a
    // caller forever; the values are documented on the builder.
    let default = ClientBuilder::new(&API, live()).build().unwrap();
    let shown = format!("{default:?}");
    assert!(shown.contains("timeout: 30s"), "{shown}");
    assert!(shown.contains("connect_timeout: 10s"), "{shown}");
    let custom = ClientBuilder::new(&API, live())
        .timeout(Duration::from_millis(1500))
        .connect_timeout(Duration::from_millis(250))
        .build()
        .unwrap();
    let shown = format!("{custom:?}");
    assert!(shown.contains("timeout: 1.5s"), "{shown}");
    assert!(shown.contains("connect_timeout: 250ms"), "{shown}");
}
