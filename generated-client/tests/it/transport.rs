//! Broken connections, against a raw TCP listener on loopback that misbehaves on purpose.
//!
//! An HTTP framework always answers properly, so these tests write bytes by hand: a
//! connection closed or reset before the answer, an answer cut off mid-body, a port
//! nobody listens on, a listener that never completes a handshake. Each must end in a
//! typed error (never a panic or a hang), retried for `GET` and never for `POST`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use headout_client::runtime::{KeyUse, Method, Request, RetryPolicy};
use headout_client::{Client, ClientBuilder, Error, Page, WithKey};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::fixture::{API, TEST_KEY, WIDGETS, assert_no_key, fast_retry};

/// What the raw server does with one connection, by its zero-based number.
#[derive(Clone, Copy, Debug)]
enum Act {
    /// Reads the request, then closes the connection without a word.
    Close,
    /// Reads the request, then resets the connection.
    Reset,
    /// Announces a 1000-byte JSON body, sends 20 bytes of it, then closes.
    CutBody,
    /// Starts a chunked JSON body, stops in the middle of a chunk, then closes.
    CutChunk,
    /// Answers `{"ok": true}` properly.
    Answer,
}

/// A loopback TCP server acting out `script` on its connections in turn (the last
/// act repeats), counting connections.
struct RawServer {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl RawServer {
    async fn start(script: &'static [Act]) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&connections);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let number = counter.fetch_add(1, Ordering::SeqCst);
                let act = script[number.min(script.len() - 1)];
                tokio::spawn(act_out(stream, act));
            }
        });
        RawServer {
            addr,
            connections,
            task,
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    fn client(&self, retry: RetryPolicy) -> Client<WithKey> {
        ClientBuilder::with_base_url(&API, self.url())
            .key(TEST_KEY)
            .timeout(Duration::from_secs(10))
            .retry(retry)
            .build()
            .unwrap()
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request: its head, then as many body bytes as it announces.
async fn read_request(stream: &mut TcpStream) {
    let mut data = Vec::new();
    let mut buffer = [0_u8; 4096];
    loop {
        let Ok(read) = stream.read(&mut buffer).await else {
            return;
        };
        if read == 0 {
            return;
        }
        data.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&data);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return;
            }
        }
    }
}

async fn act_out(mut stream: TcpStream, act: Act) {
    read_request(&mut stream).await;
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n";
    let reply = match act {
        Act::Close => None,
        Act::Reset => {
            // A zero linger time makes closing send a reset instead of a clean end.
            let _ = stream.set_zero_linger();
            None
        }
        Act::CutBody => Some(format!(
            "{head}content-length: 1000\r\n\r\n{{\"id\": 1, \"lines\": ["
        )),
        Act::CutChunk => Some(format!(
            "{head}transfer-encoding: chunked\r\n\r\n40\r\n{{\"id\": 1, \"lines\": ["
        )),
        Act::Answer => Some(format!(
            "{head}content-length: 11\r\nconnection: close\r\n\r\n{{\"ok\":true}}"
        )),
    };
    if let Some(reply) = reply {
        let _ = stream.write_all(reply.as_bytes()).await;
        let _ = stream.flush().await;
        let _ = stream.shutdown().await;
    }
    drop(stream);
}

fn request(method: Method) -> Request {
    let mut request = Request::new(
        "op",
        method.clone(),
        "v1",
        "/things".into(),
        KeyUse::Required,
    );
    if method == Method::POST {
        request.json_body(&json!({"name": "lamp"})).unwrap();
    }
    request
}

/// Runs `future`, failing the test instead of hanging when it takes more than 5 s.
async fn within<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(5), future)
        .await
        .expect("the client hung")
}

/// Asserts a transport error of the connection (not a timeout nor a refused connect).
fn assert_broken_connection(error: &Error) {
    assert_no_key(error);
    match error {
        Error::Transport {
            operation,
            is_timeout,
            is_connect,
            ..
        } => {
            assert_eq!(*operation, "op");
            assert!(!is_timeout && !is_connect, "{error:?}");
        }
        other => panic!("expected Error::Transport, got {other:?}"),
    }
    assert!(error.is_retryable(), "{error}");
    assert!(
        error.to_string().contains("the connection broke"),
        "{error}"
    );
}

#[tokio::test]
async fn a_body_cut_off_is_a_transport_error() {
    for act in [Act::CutBody, Act::CutChunk] {
        let server = RawServer::start(if matches!(act, Act::CutBody) {
            &[Act::CutBody]
        } else {
            &[Act::CutChunk]
        })
        .await;
        let client = server.client(RetryPolicy::none());
        let error = within(client.send_json::<Value>(request(Method::GET)))
            .await
            .unwrap_err();
        assert_broken_connection(&error);
        assert!(
            error.to_string().contains("while the answer was read"),
            "{act:?}: {error}"
        );
        assert_eq!(server.connections(), 1);

        // A page stream yields the error once and ends.
        let results: Vec<Result<Page<Value>, Error>> = within(
            client
                .pages(request(Method::GET), &WIDGETS, None, None)
                .collect(),
        )
        .await;
        assert_eq!(results.len(), 1, "{act:?}");
        assert_broken_connection(results[0].as_ref().unwrap_err());
    }
}

#[tokio::test]
async fn a_get_cut_off_mid_body_is_retried() {
    let server = RawServer::start(&[Act::CutBody, Act::Answer]).await;
    let value: Value = within(server.client(fast_retry()).send_json(request(Method::GET)))
        .await
        .unwrap();
    assert_eq!(value, json!({"ok": true}));
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn a_get_whose_connection_breaks_before_the_answer_is_retried() {
    for script in [&[Act::Close, Act::Answer], &[Act::Reset, Act::Answer]] {
        let server = RawServer::start(script).await;
        let value: Value = within(server.client(fast_retry()).send_json(request(Method::GET)))
            .await
            .unwrap_or_else(|e| panic!("{script:?}: {e}"));
        assert_eq!(value, json!({"ok": true}));
        assert_eq!(server.connections(), 2, "{script:?}");
    }
}

#[tokio::test]
async fn a_post_whose_connection_breaks_is_not_retried() {
    for script in [&[Act::Close, Act::Answer], &[Act::Reset, Act::Answer]] {
        let server = RawServer::start(script).await;
        // Even a policy that retries every idempotent method leaves POST alone.
        let client = server.client(fast_retry().retry_idempotent(true).max_attempts(5));
        let error = within(client.send_json::<Value>(request(Method::POST)))
            .await
            .unwrap_err();
        assert_broken_connection(&error);
        assert_eq!(server.connections(), 1, "{script:?}");
    }
}

#[tokio::test]
async fn a_get_whose_connection_breaks_every_time_gives_up() {
    let server = RawServer::start(&[Act::Reset]).await;
    let error = within(
        server
            .client(fast_retry().max_attempts(4))
            .send_json::<Value>(request(Method::GET)),
    )
    .await
    .unwrap_err();
    assert_broken_connection(&error);
    assert_eq!(server.connections(), 4);
}

/// A loopback address where nothing listens.
async fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    addr
}

fn client_of(addr: SocketAddr, retry: RetryPolicy) -> Client<WithKey> {
    ClientBuilder::with_base_url(&API, format!("http://{addr}"))
        .key(TEST_KEY)
        .retry(retry)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_refused_get_is_retried_and_a_refused_post_is_not() {
    let addr = closed_port().await;
    // Three retries, each after a wait of at least half the fixed 40 ms backoff: a
    // refused connection is answered at once, so only retries can take 60 ms.
    let retrying = fast_retry()
        .max_attempts(4)
        .initial_backoff(Duration::from_millis(40))
        .max_backoff(Duration::from_millis(40));
    let started = Instant::now();
    let error = within(client_of(addr, retrying.clone()).send_empty(request(Method::GET)))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(
            error,
            Error::Transport {
                is_connect: true,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(elapsed >= Duration::from_millis(60), "{elapsed:?}");

    // A POST gets one attempt: with waits of at least 5 s, any retry would show.
    let slow = retrying
        .initial_backoff(Duration::from_secs(10))
        .max_backoff(Duration::from_secs(10))
        .max_elapsed(Duration::from_secs(60));
    let started = Instant::now();
    let error = within(client_of(addr, slow).send_empty(request(Method::POST)))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                is_connect: true,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_no_key(&error);
}

#[tokio::test]
async fn a_handshake_that_never_completes_hits_the_connect_timeout() {
    // A listener that is never accepted from and whose queue is full drops new
    // connection attempts, so connecting hangs until the connect timeout.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    let mut queue_full = false;
    for _ in 0..16 {
        match tokio::time::timeout(Duration::from_millis(200), TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => fillers.push(stream),
            Ok(Err(error)) => panic!("filling the queue: {error}"),
            Err(_) => {
                queue_full = true;
                break;
            }
        }
    }
    assert!(queue_full, "the listen queue never filled up");

    let client = ClientBuilder::with_base_url(&API, format!("http://{addr}"))
        .key(TEST_KEY)
        .connect_timeout(Duration::from_millis(200))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = within(client.send_empty(request(Method::GET)))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3));
    match &error {
        Error::Transport { is_connect, .. } => assert!(*is_connect, "{error:?}"),
        other => panic!("expected Error::Transport, got {other:?}"),
    }
    assert!(error.is_retryable());
    assert_no_key(&error);
    drop(listener);
}
