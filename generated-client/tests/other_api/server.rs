//! A recording HTTP server on loopback: it keeps every request it gets and answers each
//! with what the test's closure returns. Nothing leaves the machine.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// The query parameters in the order they were sent, decoded.
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first value of a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    status: StatusCode,
    content_type: Option<&'static str>,
    body: String,
}

impl Reply {
    /// `200` with a JSON body.
    pub fn json(value: serde_json::Value) -> Self {
        Reply {
            status: StatusCode::OK,
            content_type: Some("application/json"),
            body: value.to_string(),
        }
    }

    /// `200` with a plain-text body.
    pub fn text(text: &str) -> Self {
        Reply {
            status: StatusCode::OK,
            content_type: Some("text/plain"),
            body: text.to_owned(),
        }
    }

    /// `204` without a body.
    pub fn no_content() -> Self {
        Reply {
            status: StatusCode::NO_CONTENT,
            content_type: None,
            body: String::new(),
        }
    }

    /// Another status, with a JSON body.
    pub fn status(status: u16, value: serde_json::Value) -> Self {
        Reply {
            status: StatusCode::from_u16(status).expect("a valid status"),
            ..Reply::json(value)
        }
    }
}

type Answer = dyn Fn(&Recorded) -> Reply + Send + Sync;

#[derive(Clone)]
struct Shared {
    requests: Arc<Mutex<Vec<Recorded>>>,
    answer: Arc<Answer>,
}

/// A running server; it stops when dropped.
pub struct Server {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Starts a server on a free loopback port that answers every request with
    /// `answer(request)`.
    pub async fn start(answer: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Server {
        let shared = Shared {
            requests: Arc::default(),
            answer: Arc::new(answer),
        };
        let requests = shared.requests.clone();
        let app = Router::new().fallback(handle).with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free loopback port");
        let addr = listener.local_addr().expect("a bound address");
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("the server runs");
        });
        Server {
            addr,
            requests,
            task,
        }
    }

    /// The base URL to give the client.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests
            .lock()
            .expect("no test panicked while recording")
            .clone()
    }

    /// The only request received so far.
    pub fn single_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "expected one request, got {requests:#?}");
        requests.into_iter().next().expect("one request")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn handle(State(shared): State<Shared>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, usize::MAX)
        .await
        .expect("the request body can be read");
    let recorded = Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: url::form_urlencoded::parse(parts.uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect(),
        headers: parts.headers,
        body: body.to_vec(),
    };
    let reply = (shared.answer)(&recorded);
    shared
        .requests
        .lock()
        .expect("no test panicked while recording")
        .push(recorded);
    let mut response = Response::builder().status(reply.status);
    if let Some(content_type) = reply.content_type {
        response = response.header(header::CONTENT_TYPE, content_type);
    }
    response
        .body(Body::from(reply.body))
        .expect("a valid response")
}
