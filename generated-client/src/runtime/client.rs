//! The client: configuration, the API key, and sending requests with retries.
//!
//! Whether the client holds a key is part of its type ([`Client<NoKey>`] or
//! [`Client<WithKey>`]), so generated code can offer operations that need the key
//! only on clients that have one. The key is checked against the environment when
//! the client is built, sent only to the configured origin, and never printed.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{
    ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, LOCATION, USER_AGENT,
};
use reqwest::{StatusCode, Url, redirect};
use serde::de::DeserializeOwned;

use super::error::{Error, excerpt, is_retryable_status, parse_error_body};
use super::request::{KeyUse, Request};
use super::retry::{RetryPolicy, parse_retry_after};
use super::spec::{ApiSpec, EnvironmentSpec};

/// `Accept` of every JSON operation.
const ACCEPT_JSON: &str = "application/json";
/// `Accept` of operations that return a page or text; JSON stays acceptable because
/// such operations still report errors as JSON.
const ACCEPT_TEXT: &str = "text/html, text/plain;q=0.9, application/json;q=0.8, */*;q=0.5";
/// Default time to establish a connection.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time for a whole request, from connecting to the end of the body.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Redirects followed within the origin before giving up, to end redirect loops.
const MAX_REDIRECTS: usize = 5;

mod sealed {
    /// Keeps [`AuthState`](super::AuthState) implemented by the two markers only.
    pub trait Sealed {}
}

/// Whether a [`Client`] holds an API key; implemented by [`NoKey`] and [`WithKey`]
/// only.
pub trait AuthState: sealed::Sealed + fmt::Debug + Send + Sync + 'static {}

/// Marker of a client without an API key: operations that need the key are not
/// available on it.
#[derive(Debug, Clone, Copy)]
pub struct NoKey;

/// Marker of a client with an API key: every operation is available.
#[derive(Debug, Clone, Copy)]
pub struct WithKey;

impl sealed::Sealed for NoKey {}
impl sealed::Sealed for WithKey {}
impl AuthState for NoKey {}
impl AuthState for WithKey {}

/// The key state of a client that holds a key: implemented by [`WithKey`] only.
///
/// Generated operations that need the key, and versions whose every operation does,
/// require it of the client (`where A: HasKey`). Calling one on a client built without
/// `.key(…)` fails to compile with the message below instead of a bare "method not
/// found".
#[diagnostic::on_unimplemented(
    message = "this operation needs an API key, but the client was built without one",
    label = "called on a client without a key",
    note = "build the client with `.key(…)` before `.build()` to call operations that need the key"
)]
pub trait HasKey: AuthState {}

impl HasKey for WithKey {}

/// An API key, kept out of every `Debug` and `Display` output.
#[derive(Clone)]
struct ApiKey {
    value: String,
    /// The known key prefix the key starts with, the only part ever shown.
    shown_prefix: &'static str,
}

impl ApiKey {
    fn new(api: &ApiSpec, value: String) -> Self {
        let shown_prefix = api
            .environment_for_key(&value)
            .map_or("", |env| env.key_prefix);
        ApiKey {
            value,
            shown_prefix,
        }
    }

    fn redacted(&self) -> String {
        format!("{}…(redacted)", self.shown_prefix)
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Configures and builds a [`Client`].
///
/// Start with [`ClientBuilder::new`] for one of the API's environments, or
/// [`ClientBuilder::with_base_url`] for any other host; add the key with
/// [`key`](ClientBuilder::key), which turns the builder into a
/// `ClientBuilder<WithKey>`.
pub struct ClientBuilder<A: AuthState = NoKey> {
    api: &'static ApiSpec,
    environment: Option<&'static EnvironmentSpec>,
    base_url: String,
    key: Option<ApiKey>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    legacy: Vec<(String, bool)>,
    user_agent: Option<String>,
    max_pages: Option<u32>,
    auth: PhantomData<fn() -> A>,
}

impl ClientBuilder<NoKey> {
    /// Starts a client for `environment`, one of `api.environments`. A key given
    /// later must not belong to another environment.
    pub fn new(api: &'static ApiSpec, environment: &'static EnvironmentSpec) -> Self {
        Self::start(api, Some(environment), environment.base_url.to_owned())
    }

    /// Starts a client for any base URL (another host of an environment, a proxy,
    /// a local fake). Any key is accepted, since the environment is unknown. The
    /// URL must use `https`, except on loopback hosts.
    pub fn with_base_url(api: &'static ApiSpec, base_url: impl Into<String>) -> Self {
        Self::start(api, None, base_url.into())
    }

    fn start(
        api: &'static ApiSpec,
        environment: Option<&'static EnvironmentSpec>,
        base_url: String,
    ) -> Self {
        ClientBuilder {
            api,
            environment,
            base_url,
            key: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            legacy: Vec::new(),
            user_agent: None,
            max_pages: None,
            auth: PhantomData,
        }
    }

    /// Sets the API key, sent in the API's auth header. Surrounding whitespace is
    /// removed, since keys are often pasted from files and variables.
    pub fn key(self, key: impl Into<String>) -> ClientBuilder<WithKey> {
        let key = ApiKey::new(self.api, key.into().trim().to_owned());
        ClientBuilder {
            api: self.api,
            environment: self.environment,
            base_url: self.base_url,
            key: Some(key),
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            retry: self.retry,
            legacy: self.legacy,
            user_agent: self.user_agent,
            max_pages: self.max_pages,
            auth: PhantomData,
        }
    }
}

impl<A: AuthState> ClientBuilder<A> {
    /// Replaces the base URL while keeping the environment (and so the check that
    /// the key belongs to it): for an environment reachable on several hosts.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Sets the time a whole request may take, from connecting to the end of the
    /// body (default 30 s). Each retry gets this time anew.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the time establishing a connection may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets how failed requests are retried (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends the calls of `version` under its first legacy prefix instead of its
    /// current one (or back, with `enabled` false). [`build`](Self::build) fails
    /// when the version is unknown or has no legacy prefix.
    pub fn legacy_prefix(mut self, version: &str, enabled: bool) -> Self {
        self.legacy.retain(|(name, _)| name != version);
        self.legacy.push((version.to_owned(), enabled));
        self
    }

    /// Names the application in the `User-Agent` header, before the client's own
    /// `crate_name/crate_version` (`my-app/1.2 example-client/1.0.0`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Bounds every page and item stream of the client to `pages` pages. A listing
    /// that would go on past them ends with [`Error::Pagination`], whose message names
    /// the offset to resume from, rather than fetching without end from a server that
    /// keeps handing out new offsets. Streams are unbounded by default;
    /// [`build`](Self::build) refuses 0.
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// Fails with [`Error::Config`] when the base URL is not an `https` URL (plain
    /// `http` is accepted for loopback hosts only), when the key is empty or
    /// belongs to another environment, or when a legacy prefix was asked for a
    /// version that has none.
    pub fn build(mut self) -> Result<Client<A>, Error> {
        let base_url = check_base_url(&self.base_url)?;
        let auth_header =
            HeaderName::from_bytes(self.api.auth_header.as_bytes()).map_err(|_| {
                Error::config(format!(
                    "the auth header name `{}` of {} is not a valid HTTP header name",
                    self.api.auth_header, self.api.name
                ))
            })?;
        let key = match self.key.take() {
            Some(key) => Some(self.check_key(key)?),
            None => None,
        };
        let legacy_versions = self.check_legacy()?;
        if self.max_pages == Some(0) {
            return Err(Error::config(
                "max_pages(0) would end every listing before its first page; use at least 1",
            ));
        }

        let product = format!("{}/{}", self.api.crate_name, self.api.crate_version);
        let user_agent = match &self.user_agent {
            Some(app) => format!("{app} {product}"),
            None => product,
        };
        let user_agent = HeaderValue::from_str(&user_agent).map_err(|_| {
            Error::config(format!(
                "the user agent `{user_agent}` is not a valid HTTP header value"
            ))
        })?;

        let origin = base_url.origin();
        // The key is a plain header, which reqwest would carry along to any host a
        // redirect points to. Only redirects within the configured origin (same
        // scheme, host and port) are followed; any other redirect is returned as
        // an `Error::Api` carrying the status and the target.
        let policy = redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > MAX_REDIRECTS {
                attempt.error("too many redirects")
            } else if stays_within(&origin, attempt.url()) {
                attempt.follow()
            } else {
                attempt.stop()
            }
        });
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .redirect(policy)
            .build()
            .map_err(|e| Error::config(format!("the HTTP client could not be set up: {e}")))?;

        Ok(Client {
            inner: Arc::new(Inner {
                api: self.api,
                environment: self.environment,
                base_url,
                key,
                auth_header,
                user_agent,
                retry: self.retry,
                legacy_versions,
                max_pages: self.max_pages,
                timeout: self.timeout,
                connect_timeout: self.connect_timeout,
                http,
            }),
            auth: PhantomData,
        })
    }

    /// Refuses empty keys, keys that cannot be a header value, and keys whose
    /// prefix is another environment's.
    fn check_key(&self, key: ApiKey) -> Result<(HeaderValue, ApiKey), Error> {
        if key.value.is_empty() {
            return Err(Error::config("the API key is empty"));
        }
        let mut header = HeaderValue::from_str(&key.value).map_err(|_| {
            Error::config(format!(
                "the API key {} contains characters that cannot be sent in an HTTP header",
                key.redacted()
            ))
        })?;
        header.set_sensitive(true);
        // The longest known prefix decides which environment the key belongs to, so
        // a key is refused only when it clearly belongs elsewhere; keys with no
        // known prefix are left for the server to judge.
        if let Some(target) = self.environment
            && let Some(owner) = self.api.environment_for_key(&key.value)
            && owner.name != target.name
        {
            return Err(Error::config(format!(
                "the API key starts with `{}`, the prefix of {} keys for the `{}` \
                 environment, but the client targets the `{}` environment{}; use the {} \
                 key here, or target `{}`",
                owner.key_prefix,
                self.api.name,
                owner.name,
                target.name,
                if target.key_prefix.is_empty() {
                    String::new()
                } else {
                    format!(", whose keys start with `{}`", target.key_prefix)
                },
                target.name,
                owner.name,
            )));
        }
        Ok((header, key))
    }

    /// Resolves the legacy prefix switches into the versions that use them.
    fn check_legacy(&self) -> Result<Vec<&'static str>, Error> {
        let mut versions = Vec::new();
        for (name, enabled) in &self.legacy {
            let Some(version) = self.api.version(name) else {
                let known: Vec<&str> = self.api.versions.iter().map(|v| v.name).collect();
                return Err(Error::config(format!(
                    "legacy_prefix: {} has no version `{name}` (versions: {})",
                    self.api.name,
                    known.join(", ")
                )));
            };
            if *enabled {
                if version.legacy_prefixes.is_empty() {
                    return Err(Error::config(format!(
                        "legacy_prefix: version `{name}` of {} has no legacy prefix",
                        self.api.name
                    )));
                }
                versions.push(version.name);
            }
        }
        Ok(versions)
    }
}

impl<A: AuthState> fmt::Debug for ClientBuilder<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api", &self.api.name)
            .field("environment", &self.environment.map(|e| e.name))
            .field("base_url", &self.base_url)
            .field("key", &self.key)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("legacy", &self.legacy)
            .field("user_agent", &self.user_agent)
            .field("max_pages", &self.max_pages)
            .finish()
    }
}

/// Parses the base URL and refuses anything but `https`, except on loopback hosts
/// where no network is crossed (local fakes and tunnels).
fn check_base_url(text: &str) -> Result<Url, Error> {
    let trimmed = text.trim().trim_end_matches('/');
    let url = Url::parse(trimmed)
        .map_err(|e| Error::config(format!("the base URL `{text}` is not a valid URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(
            "the base URL must not carry credentials; the API key is configured with `key`",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "the base URL `{text}` must not have a query or a fragment"
        )));
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => {
            return Err(Error::config(format!("the base URL `{text}` has no host")));
        }
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        "http" => Err(Error::config(format!(
            "the base URL `{text}` uses plain http, which would send the API key \
             unencrypted; use https (plain http is accepted only for loopback hosts: \
             127.0.0.0/8, ::1, localhost)"
        ))),
        other => Err(Error::config(format!(
            "the base URL `{text}` uses the scheme `{other}`; use https"
        ))),
    }
}

/// A client of one API in one environment.
///
/// Cloning is cheap: clones share the connection pool and configuration. Generated
/// code adds one method per operation.
pub struct Client<A: AuthState = NoKey> {
    pub(super) inner: Arc<Inner>,
    auth: PhantomData<fn() -> A>,
}

/// What clones of a [`Client`] share.
pub(super) struct Inner {
    api: &'static ApiSpec,
    environment: Option<&'static EnvironmentSpec>,
    base_url: Url,
    key: Option<(HeaderValue, ApiKey)>,
    auth_header: HeaderName,
    user_agent: HeaderValue,
    retry: RetryPolicy,
    legacy_versions: Vec<&'static str>,
    max_pages: Option<u32>,
    timeout: Duration,
    connect_timeout: Duration,
    http: reqwest::Client,
}

impl<A: AuthState> Clone for Client<A> {
    fn clone(&self) -> Self {
        Client {
            inner: Arc::clone(&self.inner),
            auth: PhantomData,
        }
    }
}

impl<A: AuthState> fmt::Debug for Client<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("api", &inner.api.name)
            .field("environment", &inner.environment.map(|e| e.name))
            .field("base_url", &inner.base_url.as_str())
            .field("key", &inner.key.as_ref().map(|(_, key)| key))
            .field("timeout", &inner.timeout)
            .field("connect_timeout", &inner.connect_timeout)
            .field("retry", &inner.retry)
            .field("legacy_versions", &inner.legacy_versions)
            .field("max_pages", &inner.max_pages)
            .finish_non_exhaustive()
    }
}

/// A complete answer with a 2xx status.
pub(super) struct Answer {
    pub(super) status: StatusCode,
    pub(super) url: Url,
    /// The body as reqwest handed it over, not copied.
    pub(super) body: Bytes,
}

impl<A: AuthState> Client<A> {
    /// The API this client calls.
    pub fn api(&self) -> &'static ApiSpec {
        self.inner.api
    }

    /// The environment the client was built for; `None` for a custom base URL.
    pub fn environment(&self) -> Option<&'static EnvironmentSpec> {
        self.inner.environment
    }

    /// The base URL every path is appended to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Whether the client holds an API key.
    pub fn has_key(&self) -> bool {
        self.inner.key.is_some()
    }

    /// The most pages one stream fetches, if bounded (see
    /// [`ClientBuilder::max_pages`]).
    pub fn max_pages(&self) -> Option<u32> {
        self.inner.max_pages
    }

    /// Sends `request` and decodes its JSON answer as `T`.
    pub async fn send_json<T: DeserializeOwned>(&self, request: Request) -> Result<T, Error> {
        let answer = self.execute(&request, ACCEPT_JSON).await?;
        self.decode_json(request.operation, &answer)
    }

    /// Sends `request` and returns its answer as text (HTML pages, plain text).
    pub async fn send_text(&self, request: Request) -> Result<String, Error> {
        let answer = self.execute(&request, ACCEPT_TEXT).await?;
        Ok(String::from_utf8_lossy(&answer.body).into_owned())
    }

    /// Sends `request` and ignores the body of its 2xx answer.
    pub async fn send_empty(&self, request: Request) -> Result<(), Error> {
        self.execute(&request, ACCEPT_JSON).await.map(drop)
    }

    /// Decodes a JSON answer, reporting the path of the first value that does not
    /// fit `T`.
    ///
    /// Tracking the path costs an allocation per field, so the body is first decoded
    /// without it; only a body that fails is decoded again, with tracking, to say
    /// where.
    pub(super) fn decode_json<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        answer: &Answer,
    ) -> Result<T, Error> {
        match serde_json::from_slice(&answer.body) {
            Ok(value) => Ok(value),
            Err(error) => Err(self
                .decode_json_tracked::<T>(operation, answer)
                .err()
                // The tracked decoding fails on the same input; should it ever not,
                // the untracked error still says what is wrong.
                .unwrap_or_else(|| self.decode_error(operation, answer, String::new(), error))),
        }
    }

    /// The slow decoding of a JSON answer, with path tracking, for precise errors.
    fn decode_json_tracked<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        answer: &Answer,
    ) -> Result<T, Error> {
        let mut deserializer = serde_json::Deserializer::from_slice(&answer.body);
        let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let path = e.path().to_string();
            self.decode_error(operation, answer, json_path(&path), e.into_inner())
        })?;
        // Trailing garbage after a valid value means the body is not the JSON
        // document it looked like.
        deserializer
            .end()
            .map_err(|e| self.decode_error(operation, answer, String::new(), e))?;
        Ok(value)
    }

    /// Builds an [`Error::Decode`] for `answer`.
    pub(super) fn decode_error(
        &self,
        operation: &'static str,
        answer: &Answer,
        path: String,
        message: impl fmt::Display,
    ) -> Error {
        let body = String::from_utf8_lossy(&answer.body);
        Error::Decode {
            operation,
            status: answer.status,
            path,
            message: self.scrub(&message.to_string()),
            excerpt: excerpt(&self.scrub(&body)),
        }
    }

    /// Replaces the key by its redacted form, in case a server echoes it back.
    fn scrub(&self, text: &str) -> String {
        match &self.inner.key {
            // Very short keys are left alone: they would mangle ordinary text, and
            // a key that short is no secret anyway.
            Some((_, key)) if key.value.len() >= 4 && text.contains(&key.value) => {
                text.replace(&key.value, &key.redacted())
            }
            _ => text.to_owned(),
        }
    }

    /// The full URL of `request`: base URL, version prefix, path, query.
    fn url_for(&self, request: &Request) -> Result<Url, Error> {
        let inner = &self.inner;
        let version = inner.api.version(request.version).ok_or_else(|| {
            Error::config(format!(
                "{}: {} has no version `{}`",
                request.operation, inner.api.name, request.version
            ))
        })?;
        let prefix = if inner.legacy_versions.contains(&version.name) {
            version
                .legacy_prefixes
                .first()
                .copied()
                .unwrap_or(version.prefix)
        } else {
            version.prefix
        };
        let mut text = inner.base_url.as_str().trim_end_matches('/').to_owned();
        for part in [prefix, request.path.as_str()] {
            let part = part.trim_end_matches('/').trim_start_matches('/');
            if !part.is_empty() {
                text.push('/');
                text.push_str(part);
            }
        }
        // A trailing slash on the path is significant to some servers; keep it.
        if request.path.ends_with('/') && !text.ends_with('/') {
            text.push('/');
        }
        let mut url = Url::parse(&text).map_err(|e| Error::Encode {
            operation: request.operation,
            message: format!("the URL `{text}` is not valid: {e}"),
        })?;
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        Ok(url)
    }

    /// The headers of `request`: content negotiation, user agent, the key when the
    /// operation uses it, and the operation's own headers.
    fn headers_for(&self, request: &Request, accept: &'static str) -> Result<HeaderMap, Error> {
        let inner = &self.inner;
        let mut headers = HeaderMap::new();
        for (name, value) in &request.headers {
            let encode_error = |what: &str| Error::Encode {
                operation: request.operation,
                message: format!("the header `{name}` {what}"),
            };
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| encode_error("is not a valid header name"))?;
            let value = HeaderValue::from_str(value)
                .map_err(|_| encode_error("has a value that cannot be sent in a header"))?;
            headers.append(name, value);
        }
        headers.insert(ACCEPT, HeaderValue::from_static(accept));
        headers.insert(USER_AGENT, inner.user_agent.clone());
        if request.body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        match (request.key, &inner.key) {
            (KeyUse::Required | KeyUse::Optional, Some((value, _))) => {
                headers.insert(inner.auth_header.clone(), value.clone());
            }
            (KeyUse::Required, None) => {
                return Err(Error::config(format!(
                    "{}: this operation needs an API key; build the client with `.key(…)`",
                    request.operation
                )));
            }
            (KeyUse::Optional | KeyUse::None, _) => {}
        }
        Ok(headers)
    }

    /// Sends `request`, retrying as the policy allows, and returns its 2xx answer.
    pub(super) async fn execute(
        &self,
        request: &Request,
        accept: &'static str,
    ) -> Result<Answer, Error> {
        // The first attempt takes the URL and headers built here; a retry, which is
        // rare, builds them again rather than every request paying for copies.
        let mut prepared = Some((self.url_for(request)?, self.headers_for(request, accept)?));
        let policy = &self.inner.retry;
        let may_retry = policy.allows(&request.method);
        let started = Instant::now();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let (url, headers) = match prepared.take() {
                Some(prepared) => prepared,
                None => (self.url_for(request)?, self.headers_for(request, accept)?),
            };
            let (error, retry_after) = match self.attempt(request, url, headers).await {
                Ok(answer) => return Ok(answer),
                Err(failure) => failure,
            };
            if !(may_retry && error.is_retryable()) {
                return Err(error);
            }
            match policy.next_delay(attempts, started, retry_after) {
                Some(delay) => tokio::time::sleep(delay).await,
                None => return Err(error),
            }
        }
    }

    /// Sends `request` once. A failure comes with the server's `Retry-After`, if any.
    async fn attempt(
        &self,
        request: &Request,
        url: Url,
        headers: HeaderMap,
    ) -> Result<Answer, (Error, Option<Duration>)> {
        let operation = request.operation;
        // The request is put together directly rather than through reqwest's builder,
        // so the header map built for it is moved in instead of merged entry by entry
        // into a second one.
        let mut http_request = reqwest::Request::new(request.method.clone(), url);
        *http_request.headers_mut() = headers;
        if let Some(body) = &request.body {
            *http_request.body_mut() = Some(body.clone().into());
        }
        let response = self
            .inner
            .http
            .execute(http_request)
            .await
            .map_err(|e| (Error::transport(operation, e), None))?;
        let status = response.status();
        let final_url = response.url().clone();
        let retry_after = if is_retryable_status(status) {
            response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(parse_retry_after)
        } else {
            None
        };
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response
            .bytes()
            .await
            .map_err(|e| (Error::transport(operation, e), None))?;
        if status.is_success() {
            return Ok(Answer {
                status,
                url: final_url,
                body,
            });
        }
        let body = self.scrub(&String::from_utf8_lossy(&body));
        let (code, title, mut message) = parse_error_body(&body);
        if status.is_redirection() && message.is_none() {
            let target = location.as_deref().unwrap_or("an unnamed location");
            message = Some(format!(
                "redirected to `{target}`, which was not followed: the client follows \
                 redirects only within {}, so that the API key goes nowhere else",
                self.inner.base_url.origin().ascii_serialization()
            ));
        }
        Err((
            Error::Api {
                operation,
                status,
                code,
                title,
                message,
                body,
            },
            retry_after,
        ))
    }
}

/// The JSON path as `serde_path_to_error` prints it, with its "root" marker `.`
/// turned into the empty path.
fn json_path(path: &str) -> String {
    if path == "." {
        String::new()
    } else {
        path.to_owned()
    }
}

/// Whether a redirect to `target` stays within `origin`: the same scheme, host and port.
/// Only such redirects are followed, because the key travels in a plain header that
/// reqwest would carry to any host, and over plain HTTP.
fn stays_within(origin: &url::Origin, target: &Url) -> bool {
    target.origin() == *origin
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    /// The loopback tests cannot serve HTTPS, so the step down from `https` to `http`
    /// on the same host is checked here, on the rule itself.
    #[test]
    fn redirects_stay_within_the_origin() {
        let origin = url("https://api.example.com/v2/").origin();
        assert!(stays_within(
            &origin,
            &url("https://api.example.com/v2/next")
        ));
        assert!(stays_within(
            &origin,
            &url("https://api.example.com:443/other")
        ));
        // Down to plain HTTP on the same host: the key would travel in clear text.
        assert!(!stays_within(
            &origin,
            &url("http://api.example.com/v2/next")
        ));
        assert!(!stays_within(
            &origin,
            &url("https://evil.example.com/v2/next")
        ));
        assert!(!stays_within(
            &origin,
            &url("https://api.example.com:8443/v2/next")
        ));
        assert!(!stays_within(&origin, &url("https://example.com/v2/next")));
    }
}
