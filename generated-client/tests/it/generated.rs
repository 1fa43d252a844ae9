//! The generated Headout client round-trips requests against a loopback server that
//! answers with the documented examples.
//!
//! These tests check the facts that come from `spec/headout.yaml` end to end: hosts and
//! key prefixes of the environments, version and legacy prefixes, headers, page sizes,
//! and the errors of the Headout operations themselves.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use headout_client::{AUTH_HEADER, Client};

fn example(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/headout/examples")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What the server saw: method, path and query, and the auth header.
type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;

async fn serve(routes: Vec<(&'static str, String)>) -> (SocketAddr, Seen) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let app = Router::new().fallback(move |headers: HeaderMap, request: Request| {
        let routes = routes.clone();
        let log = log.clone();
        async move {
            let target = format!("{} {}", request.method(), request.uri());
            let key = headers
                .get(AUTH_HEADER)
                .map(|v| v.to_str().unwrap().to_string());
            log.lock().unwrap().push((target.clone(), key));
            match routes.iter().find(|(prefix, _)| target.starts_with(prefix)) {
                Some((_, body)) => {
                    ([("content-type", "application/json")], body.clone()).into_response()
                }
                None => Response::builder()
                    .status(StatusCode::NOT_FOUND)
                    .body(target.into())
                    .unwrap(),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, seen)
}

#[tokio::test]
async fn keyed_v2_get_product_round_trips() {
    let (addr, seen) = serve(vec![(
        "GET /api/public/v2/products/",
        example("partner-docs/v2.products.get.response.json"),
    )])
    .await;
    let client = Client::builder_with_base_url(format!("http://{addr}"))
        .key("tk_test-key")
        .build()
        .unwrap();
    let product = client.v2().products().get("18969").send().await.unwrap();
    // The example describes product 19513 whatever id the request names.
    assert_eq!(product.id.to_string(), "19513");
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].0, "GET /api/public/v2/products/18969/");
    assert_eq!(seen[0].1.as_deref(), Some("tk_test-key"));
}

#[tokio::test]
async fn open_v1_call_works_without_a_key_and_sends_none() {
    let (addr, seen) = serve(vec![(
        "GET /api/public/v1/product/get/",
        example("github-docs/v1.product.get.response.json"),
    )])
    .await;
    let client = Client::builder_with_base_url(format!("http://{addr}"))
        .build()
        .unwrap();
    let product = client.v1().product().get("512").send().await.unwrap();
    assert!(!product.name.is_empty());
    let seen = seen.lock().unwrap();
    assert!(
        seen[0].0.starts_with("GET /api/public/v1/product/get/512"),
        "{}",
        seen[0].0
    );
    assert_eq!(seen[0].1, None);
}

#[tokio::test]
async fn v2_cities_page_decodes_from_its_own_items_field() {
    let (addr, seen) = serve(vec![(
        "GET /api/public/v2/cities/",
        example("partner-docs/v2.cities.list.response.json"),
    )])
    .await;
    let client = Client::builder_with_base_url(format!("http://{addr}"))
        .key("tk_test-key")
        .build()
        .unwrap();
    let page = client.v2().cities().list().limit(20).send().await.unwrap();
    assert!(!page.items.is_empty());
    let mut items = std::pin::pin!(client.v2().cities().list().items().take(1));
    assert!(items.next().await.unwrap().is_ok());
    let seen = seen.lock().unwrap();
    assert!(seen[0].0.contains("limit=20"), "{}", seen[0].0);
}

/// A client of the generated API for `server`, with the sandbox key.
fn keyed(server: &crate::fixture::Server) -> Client<headout_client::WithKey> {
    Client::builder_with_base_url(server.url())
        .key("tk_test-key")
        .retry(headout_client::runtime::RetryPolicy::none())
        .build()
        .unwrap()
}

#[test]
fn the_spec_environments_have_their_hosts_and_key_prefixes() {
    use headout_client::Environment;
    let production = Client::builder(Environment::Production).build().unwrap();
    assert_eq!(production.base_url().as_str(), "https://www.headout.com/");
    let sandbox = Client::builder(Environment::Sandbox)
        .key("tk_test-key")
        .build()
        .unwrap();
    assert_eq!(
        sandbox.base_url().as_str(),
        "https://sandbox.api.test-headout.com/"
    );
    assert_eq!(Environment::Production.key_prefix(), "pk_");
    assert_eq!(Environment::Sandbox.key_prefix(), "tk_");
    // The other sandbox hosts of the current docs are reached by configuration, and
    // keep the sandbox's key check.
    let moved = Client::builder(Environment::Sandbox)
        .base_url("https://www.sandbox-headout.com")
        .key("tk_test-key")
        .build()
        .unwrap();
    assert_eq!(moved.base_url().host_str(), Some("www.sandbox-headout.com"));
    assert_eq!(moved.environment().map(|e| e.name), Some("sandbox"));
}

#[test]
fn a_key_of_the_other_environment_is_refused_with_advice() {
    use headout_client::{Environment, Error};
    let secret = "s3cr3t-0123456789";
    for (environment, key, fits) in [
        (Environment::Production, format!("tk_{secret}"), "sandbox"),
        (Environment::Sandbox, format!("pk_{secret}"), "production"),
    ] {
        let error = Client::builder(environment).key(key).build().unwrap_err();
        let Error::Config { message } = &error else {
            panic!("expected Error::Config, got {error:?}");
        };
        assert!(
            message.contains(&format!("`{fits}` environment")),
            "{message}"
        );
        assert!(
            message.contains(&format!("`{}` environment", environment.name())),
            "{message}"
        );
        assert!(message.contains(environment.key_prefix()), "{message}");
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains(secret), "{text}");
        }
    }
    // Plain http is refused for a real host before anything is sent.
    let error = Client::builder_with_base_url("http://www.headout.com")
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
}

#[tokio::test]
async fn headers_paths_and_bodies_follow_the_spec() {
    use crate::fixture::{Reply, Server};
    let booking = example("partner-docs/v2.bookings.create.response.json");
    let product = example("github-docs/v1.product.get.response.json");
    let server = Server::start(move |request, _| {
        let body = if request.method == "POST" {
            &booking
        } else {
            &product
        };
        Reply::raw(200, body.clone()).header("content-type", "application/json")
    })
    .await;
    let client = keyed(&server);
    let request_text = example("partner-docs/v2.bookings.create.request.json");
    let body: headout_client::models::V2BookingRequest =
        serde_json::from_str(&request_text).unwrap();
    client.v2().bookings().create(body).send().await.unwrap();
    client.v1().product().get("512").send().await.unwrap();
    let legacy = Client::builder_with_base_url(server.url())
        .legacy_prefix("v1", true)
        .build()
        .unwrap();
    legacy.v1().product().get("512").send().await.unwrap();

    let requests = server.requests();
    let post = &requests[0];
    assert_eq!(post.method, "POST");
    assert_eq!(post.path, "/api/public/v2/bookings/");
    assert_eq!(post.header("accept"), Some("application/json"));
    assert_eq!(post.header("content-type"), Some("application/json"));
    assert_eq!(
        post.header("user-agent"),
        Some(concat!("headout-client/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(post.header(AUTH_HEADER), Some("tk_test-key"));
    let sent: serde_json::Value = serde_json::from_slice(&post.body).unwrap();
    let documented: serde_json::Value = serde_json::from_str(&request_text).unwrap();
    assert_eq!(sent, documented);

    // An open v1 call still carries the key when the client has one, as the docs
    // recommend, and has no body and so no content type.
    let get = &requests[1];
    assert_eq!(get.path, "/api/public/v1/product/get/512");
    assert_eq!(get.header(AUTH_HEADER), Some("tk_test-key"));
    assert_eq!(get.header("content-type"), None);
    assert_eq!(get.header("accept"), Some("application/json"));
    assert_eq!(requests[2].path, "/api/v1/product/get/512");
    assert_eq!(requests[2].header(AUTH_HEADER), None);
}

#[tokio::test]
async fn page_size_defaults_and_caps_come_from_the_spec() {
    use crate::fixture::{Reply, Server};
    let cities = example("partner-docs/v2.cities.list.response.json");
    let collections = example("partner-docs/v2.collections.list.response.json");
    let server = Server::start(move |request, _| {
        let body = if request.path.contains("cities") {
            &cities
        } else {
            &collections
        };
        Reply::raw(200, body.clone()).header("content-type", "application/json")
    })
    .await;
    let client = keyed(&server);
    client
        .v2()
        .collections()
        .list("NEW_YORK")
        .send()
        .await
        .unwrap();
    let page = client.v2().cities().list().limit(50).send().await.unwrap();
    // The relative v2 link resolves against the server the page came from.
    assert_eq!(
        page.next_url.map(String::from),
        Some(format!(
            "{}/api/public/v2/cities/?offset=20&limit=20",
            server.url()
        ))
    );
    let requests = server.requests();
    // Collections default to 10 per page; cities cap the limit at 20.
    assert_eq!(requests[0].param("limit").as_deref(), Some("10"));
    assert_eq!(requests[0].param("offset"), None);
    assert_eq!(requests[0].param("cityCode").as_deref(), Some("NEW_YORK"));
    assert_eq!(requests[1].param("limit").as_deref(), Some("20"));
}

#[tokio::test]
async fn a_wrong_type_deep_inside_a_product_names_the_path_and_operation() {
    use crate::fixture::{Reply, Server};
    use headout_client::Error;
    let mut product: serde_json::Value =
        serde_json::from_str(&example("partner-docs/v2.products.get.response.json")).unwrap();
    product["variants"][0]["pax"]["max"] = serde_json::json!("ten");
    let mut listing: serde_json::Value =
        serde_json::from_str(&example("github-docs/v2.products.list.response.json")).unwrap();
    listing["products"][1]["city"]["code"] = serde_json::json!(5);
    let (product, listing) = (product.to_string(), listing.to_string());
    let server = Server::start(move |request, _| {
        let body = if request.path.ends_with("/products/") {
            &listing
        } else {
            &product
        };
        Reply::raw(200, body.clone()).header("content-type", "application/json")
    })
    .await;
    let client = keyed(&server);
    let error = client.v2().products().get(19513).send().await.unwrap_err();
    let Error::Decode {
        operation,
        status,
        path,
        excerpt,
        ..
    } = &error
    else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(*operation, "v2.products.get");
    assert_eq!(status.as_u16(), 200);
    assert_eq!(path, "variants[0].pax.max");
    assert!(
        excerpt.starts_with("{\"") && excerpt.ends_with('…'),
        "{excerpt}"
    );
    let shown = error.to_string();
    assert!(
        shown.contains("v2.products.get") && shown.contains("`variants[0].pax.max`"),
        "{shown}"
    );

    let error = client
        .v2()
        .products()
        .list("NEW_YORK")
        .send()
        .await
        .unwrap_err();
    match &error {
        Error::Decode {
            operation, path, ..
        } => {
            assert_eq!(*operation, "v2.products.list");
            assert_eq!(path, "products[1].city.code");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn empty_and_html_answers_are_typed_errors() {
    use crate::fixture::{Reply, Server};
    use headout_client::Error;
    let page = "<!DOCTYPE html><html><body><h1>Internal Server Error</h1></body></html>";
    let server = Server::start(move |request, _| {
        if request.path.contains("cities") {
            Reply::raw(500, page).header("content-type", "text/html")
        } else {
            Reply::raw(200, "")
        }
    })
    .await;
    let client = keyed(&server);
    let error = client.v2().products().get(1).send().await.unwrap_err();
    match &error {
        Error::Decode {
            operation,
            status,
            path,
            excerpt,
            ..
        } => {
            assert_eq!(*operation, "v2.products.get");
            assert_eq!(status.as_u16(), 200);
            assert_eq!((path.as_str(), excerpt.as_str()), ("", ""));
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    let error = client.v2().cities().list().send().await.unwrap_err();
    match &error {
        Error::Api {
            operation,
            status,
            code,
            body,
            ..
        } => {
            assert_eq!(*operation, "v2.cities.list");
            assert_eq!(status.as_u16(), 500);
            assert_eq!(*code, None);
            assert_eq!(body, page);
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert!(!error.is_retryable());
}
