//! A made-up API description and a recording HTTP server on loopback.
//!
//! The API ("Widget API") shares nothing with Headout on purpose: its header,
//! prefixes, hosts and field names differ, so the tests prove the runtime carries
//! no fact of one particular API.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use headout_client::runtime::{
    ApiSpec, ClientBuilder, EnvironmentSpec, OffsetKind, PageSpec, RetryPolicy, VersionSpec,
    WithKey,
};
use headout_client::{Client, Error};

/// A key of the `test` environment.
pub const TEST_KEY: &str = "test_s3cr3t-0123456789abcdef";
/// A key of the `live` environment.
pub const LIVE_KEY: &str = "live_s3cr3t-fedcba9876543210";

pub static API: ApiSpec = ApiSpec {
    name: "Widget API",
    crate_name: "widget-client",
    crate_version: "9.9.9",
    auth_header: "X-Test-Key",
    environments: &[
        EnvironmentSpec {
            name: "live",
            base_url: "https://api.widgets.invalid",
            key_prefix: "live_",
        },
        EnvironmentSpec {
            name: "test",
            base_url: "https://sandbox.widgets.invalid",
            key_prefix: "test_",
        },
    ],
    versions: &[
        VersionSpec {
            name: "v1",
            prefix: "/api/open/v1",
            legacy_prefixes: &["/api/v1"],
        },
        VersionSpec {
            name: "v2",
            prefix: "/api/open/v2",
            legacy_prefixes: &[],
        },
    ],
};

pub fn live() -> &'static EnvironmentSpec {
    &API.environments[0]
}

pub fn test_env() -> &'static EnvironmentSpec {
    &API.environments[1]
}

/// Index-paged listing whose items sit under `widgets`.
pub static WIDGETS: PageSpec = PageSpec {
    offset_param: "offset",
    limit_param: "limit",
    offset_kind: OffsetKind::Index,
    default_limit: None,
    max_limit: None,
    items_field: "widgets",
    next_url_field: Some("nextLink"),
    prev_url_field: Some("prevLink"),
    total_field: Some("count"),
    next_offset_field: "nextFrom",
};

/// Index-paged listing with a default and a maximum page size.
pub static BOUNDED: PageSpec = PageSpec {
    offset_param: "start",
    limit_param: "size",
    offset_kind: OffsetKind::Index,
    default_limit: Some(10),
    max_limit: Some(20),
    items_field: "items",
    next_url_field: None,
    prev_url_field: None,
    total_field: None,
    next_offset_field: "next",
};

/// Cursor-paged listing.
pub static CURSORED: PageSpec = PageSpec {
    offset_param: "cursor",
    limit_param: "count",
    offset_kind: OffsetKind::Cursor,
    default_limit: None,
    max_limit: None,
    items_field: "data",
    next_url_field: None,
    prev_url_field: None,
    total_field: None,
    next_offset_field: "nextCursor",
};

/// A retry policy with millisecond waits, so that tests never sleep for seconds.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
        .max_elapsed(Duration::from_secs(5))
}

/// A client of `server` with the test key and fast retries.
pub fn client(server: &Server) -> Client<WithKey> {
    ClientBuilder::with_base_url(&API, server.url())
        .key(TEST_KEY)
        .retry(fast_retry())
        .build()
        .expect("client builds")
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The decoded value of query parameter `name`, if present.
    pub fn param(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    /// Whether any header value contains `needle`.
    pub fn any_header_contains(&self, needle: &str) -> bool {
        self.headers
            .values()
            .any(|v| String::from_utf8_lossy(v.as_bytes()).contains(needle))
    }
}

/// What the server answers.
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Reply::raw(status, body.to_string()).header("content-type", "application/json")
    }

    pub fn raw(status: u16, body: impl Into<String>) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Responder = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

#[derive(Clone)]
struct ServerState {
    requests: Arc<Mutex<Vec<Recorded>>>,
    responder: Arc<Responder>,
}

/// A loopback HTTP server that records every request and answers with a closure
/// of the request and its zero-based call number.
pub struct Server {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    pub async fn start(
        responder: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let state = ServerState {
            requests: Arc::clone(&requests),
            responder: Arc::new(responder),
        };
        let app = Router::new().fallback(handle).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve");
        });
        Server {
            addr,
            requests,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn calls(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn handle(State(state): State<ServerState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default()
        .to_vec();
    let recorded = Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: parts.headers,
        body,
    };
    let call = {
        let mut requests = state.requests.lock().unwrap();
        requests.push(recorded.clone());
        requests.len() - 1
    };
    let reply = (state.responder)(&recorded, call);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() = StatusCode::from_u16(reply.status).expect("status");
    for (name, value) in reply.headers {
        response.headers_mut().append(
            HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            HeaderValue::from_str(&value).expect("header value"),
        );
    }
    response
}

/// Asserts that neither the display nor the debug form of `error` holds a key.
pub fn assert_no_key(error: &Error) {
    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
    ] {
        for key in [TEST_KEY, LIVE_KEY] {
            assert!(!text.contains(key), "key leaked in {text}");
            assert!(!text.contains(&key[5..]), "key body leaked in {text}");
        }
    }
}
