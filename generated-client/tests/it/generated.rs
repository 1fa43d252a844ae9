//! The generated Headout client round-trips requests against a loopback server that
//! answers with the documented examples.

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
