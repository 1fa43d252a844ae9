//! The one error type every call of the client returns.
//!
//! Each variant names the operation that failed, so a log line alone says which call
//! went wrong. The API key never appears in an error: it is sent only as a header,
//! and response bodies that echo it are scrubbed before they are stored.

use std::fmt;

use reqwest::StatusCode;

/// Everything that can go wrong while configuring the client or calling the API.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client was configured in a way that cannot work (a plain-HTTP base URL, a
    /// key for another environment, an unknown version, …).
    Config {
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The request could not be put together (a body that does not serialize, a
    /// header value with control characters).
    Encode {
        /// The operation being called.
        operation: &'static str,
        /// What could not be encoded.
        message: String,
    },
    /// The request did not get a complete answer: connection refused, TLS failure,
    /// timeout, connection reset before the answer or dropped mid-body.
    Transport {
        /// The operation being called.
        operation: &'static str,
        /// The underlying HTTP client error.
        source: reqwest::Error,
        /// Whether the connect or request timeout expired.
        is_timeout: bool,
        /// Whether the connection could not be established.
        is_connect: bool,
    },
    /// The server answered with a status outside 2xx.
    Api {
        /// The operation being called.
        operation: &'static str,
        /// The HTTP status of the answer.
        status: StatusCode,
        /// Machine-readable error code, from an `error.code` field of a JSON body.
        code: Option<String>,
        /// Short title, from an `error.title` field of a JSON body.
        title: Option<String>,
        /// Human-readable message, from an `error.message` field of a JSON body (or a
        /// note from the client, for a redirect it refused to follow).
        message: Option<String>,
        /// The raw body of the answer, whatever its format.
        body: String,
    },
    /// The server answered 2xx, but the body is not what the operation returns.
    Decode {
        /// The operation being called.
        operation: &'static str,
        /// The HTTP status of the answer.
        status: StatusCode,
        /// JSON path of the value that failed to decode (`products[3].city.code`);
        /// empty when the body is not JSON at all.
        path: String,
        /// What the decoder expected.
        message: String,
        /// The first 200 characters or so of the body.
        excerpt: String,
    },
    /// A paginated listing misbehaved (the server sent an offset it had already
    /// sent, so following it would loop forever) or went on past the client's
    /// [`max_pages`](super::ClientBuilder::max_pages).
    Pagination {
        /// The operation being called.
        operation: &'static str,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// Whether sending the same request again may succeed: connection failures
    /// (refused, reset or closed before the answer was complete), timeouts, and the
    /// statuses 429, 502, 503 and 504.
    ///
    /// Whether the client does retry also depends on the method: see
    /// [`RetryPolicy`](super::RetryPolicy), which never retries a `POST`.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport {
                source,
                is_timeout,
                is_connect,
                ..
            } => *is_timeout || *is_connect || is_connection_lost(source),
            Error::Api { status, .. } => is_retryable_status(*status),
            _ => false,
        }
    }

    /// The HTTP status of the answer, for errors that got one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            _ => None,
        }
    }

    /// The operation that failed, for errors raised while calling one.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Config { .. } => None,
            Error::Encode { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Api { operation, .. }
            | Error::Decode { operation, .. }
            | Error::Pagination { operation, .. } => Some(operation),
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    pub(crate) fn transport(operation: &'static str, source: reqwest::Error) -> Self {
        // The URL in a transport error carries the path and query, never the key,
        // which travels in a header; it is kept because it helps debugging.
        let is_timeout = source.is_timeout();
        let is_connect = source.is_connect();
        Error::Transport {
            operation,
            source,
            is_timeout,
            is_connect,
        }
    }
}

/// Whether the connection broke while the request was sent or the answer read: the
/// server closed or reset it before a complete answer. Such a failure says nothing
/// about the request itself, unlike a malformed URL or a redirect loop.
fn is_connection_lost(source: &reqwest::Error) -> bool {
    source.is_request() || is_body_cut(source)
}

/// Whether reading the body failed. reqwest reports a body that ends early as a
/// decode error wrapping a body error, so the chain of sources is searched.
fn is_body_cut(error: &reqwest::Error) -> bool {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = current {
        if error
            .downcast_ref::<reqwest::Error>()
            .is_some_and(reqwest::Error::is_body)
        {
            return true;
        }
        current = error.source();
    }
    false
}

/// The statuses worth retrying: rate limiting and the gateway family, which signal
/// a temporary condition rather than a problem with the request.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config { message } => write!(f, "invalid client configuration: {message}"),
            Error::Encode { operation, message } => {
                write!(f, "{operation}: could not encode the request: {message}")
            }
            Error::Transport {
                operation,
                source,
                is_timeout,
                is_connect,
            } => {
                let what = if *is_timeout {
                    "timed out"
                } else if *is_connect {
                    "could not connect"
                } else if is_body_cut(source) {
                    "the connection broke while the answer was read"
                } else if source.is_request() {
                    "the connection broke before an answer came"
                } else {
                    "request failed"
                };
                write!(f, "{operation}: {what}: {source}")
            }
            Error::Api {
                operation,
                status,
                code,
                title,
                message,
                body,
            } => {
                write!(f, "{operation}: the server answered {status}")?;
                if let Some(code) = code {
                    write!(f, " [{code}]")?;
                }
                match (title, message) {
                    (Some(title), Some(message)) => write!(f, ": {title}: {message}"),
                    (Some(text), None) | (None, Some(text)) => write!(f, ": {text}"),
                    (None, None) if body.trim().is_empty() => Ok(()),
                    (None, None) => write!(f, ": {}", excerpt(body)),
                }
            }
            Error::Decode {
                operation,
                status,
                path,
                message,
                excerpt,
            } => {
                write!(f, "{operation}: could not decode the {status} answer")?;
                if !path.is_empty() {
                    write!(f, " at `{path}`")?;
                }
                write!(f, ": {message} (body starts with: {excerpt:?})")
            }
            Error::Pagination { operation, message } => {
                write!(f, "{operation}: pagination failed: {message}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Length, in characters, of the body excerpts kept in errors.
const EXCERPT_CHARS: usize = 200;

/// The first [`EXCERPT_CHARS`] characters of `body`, cut on a character boundary,
/// with an ellipsis when something was cut.
pub(crate) fn excerpt(body: &str) -> String {
    match body.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &body[..cut]),
        None => body.to_owned(),
    }
}

/// Extracts `code`, `title` and `message` from an `error` object in a JSON body, the
/// shape most JSON APIs share (`{"error": {"code": …, "message": …}}`, possibly
/// beside other fields such as a `status`). Anything else yields nothing, and the
/// raw body stays available in [`Error::Api::body`](Error::Api).
pub(crate) fn parse_error_body(body: &str) -> (Option<String>, Option<String>, Option<String>) {
    let Ok(serde_json::Value::Object(root)) = serde_json::from_str::<serde_json::Value>(body)
    else {
        return (None, None, None);
    };
    let Some(serde_json::Value::Object(error)) = root.get("error") else {
        return (None, None, None);
    };
    let text = |name: &str| match error.get(name) {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        // Some APIs send numeric codes; their text form is what a caller matches on.
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    (text("code"), text("title"), text("message"))
}
