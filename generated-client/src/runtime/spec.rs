//! Static descriptions of an API that generated code hands to the runtime.
//!
//! Everything API-specific (hosts, key prefixes, the auth header, path prefixes,
//! pagination field names) lives in `static` values of these types, written by the
//! code generator. The runtime only ever reads them, so one runtime serves any API
//! described in the same format.

/// The API as a whole: its name, its environments, its versions and how it
/// authenticates.
#[derive(Debug)]
pub struct ApiSpec {
    /// Human-readable name of the API, used in documentation and messages.
    pub name: &'static str,
    /// Name of the generated crate, sent in the default `User-Agent`.
    pub crate_name: &'static str,
    /// Version of the generated crate, sent in the default `User-Agent`.
    pub crate_version: &'static str,
    /// Name of the request header that carries the API key.
    pub auth_header: &'static str,
    /// Every environment (production, sandbox, …) the API is served from.
    pub environments: &'static [EnvironmentSpec],
    /// Every version of the API, each with its path prefix.
    pub versions: &'static [VersionSpec],
}

/// One deployment of the API, such as production or a sandbox.
#[derive(Debug)]
pub struct EnvironmentSpec {
    /// Name of the environment, as used in messages (`"production"`).
    pub name: &'static str,
    /// Base URL of the environment, scheme and host without a trailing slash.
    pub base_url: &'static str,
    /// Prefix that every key valid in this environment starts with; empty when
    /// the API does not distinguish keys by prefix.
    pub key_prefix: &'static str,
}

/// One version of the API and where its paths live.
#[derive(Debug)]
pub struct VersionSpec {
    /// Name of the version, as generated code refers to it (`"v1"`).
    pub name: &'static str,
    /// Path prefix of the version, starting with `/` (`"/api/v1"`).
    pub prefix: &'static str,
    /// Older prefixes the version still answers on; the first one is used when
    /// [`ClientBuilder::legacy_prefix`](super::ClientBuilder::legacy_prefix) switches
    /// the version to it.
    pub legacy_prefixes: &'static [&'static str],
}

/// How one paginated operation pages: the query parameters it takes and the fields
/// of the JSON object it answers with.
#[derive(Debug)]
pub struct PageSpec {
    /// Query parameter carrying the offset of the requested page.
    pub offset_param: &'static str,
    /// Query parameter carrying the number of items per page.
    pub limit_param: &'static str,
    /// Whether offsets are item indexes or opaque cursors.
    pub offset_kind: OffsetKind,
    /// Page size sent when the caller gives none; `None` leaves the choice to the
    /// server by not sending the limit parameter at all.
    pub default_limit: Option<u32>,
    /// Largest page size the server honours; larger requested limits are lowered to
    /// it before sending.
    pub max_limit: Option<u32>,
    /// Field of the response object that holds the array of items.
    pub items_field: &'static str,
    /// Field holding the URL of the next page, if the API sends one.
    pub next_url_field: Option<&'static str>,
    /// Field holding the URL of the previous page, if the API sends one.
    pub prev_url_field: Option<&'static str>,
    /// Field holding the total number of items, if the API sends one.
    pub total_field: Option<&'static str>,
    /// Field holding the offset of the next page (`null` on the last page).
    pub next_offset_field: &'static str,
}

/// The kind of offset an operation pages with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffsetKind {
    /// Offsets are zero-based item indexes; the first page starts at 0.
    Index,
    /// Offsets are opaque strings handed out by the server.
    Cursor,
}

impl ApiSpec {
    /// Finds a version by name.
    pub fn version(&self, name: &str) -> Option<&'static VersionSpec> {
        self.versions.iter().find(|v| v.name == name)
    }

    /// Finds the environment whose key prefix `key` starts with, if any.
    pub(crate) fn environment_for_key(&self, key: &str) -> Option<&'static EnvironmentSpec> {
        self.environments
            .iter()
            .filter(|env| !env.key_prefix.is_empty() && key.starts_with(env.key_prefix))
            // The longest matching prefix wins, so `live_` and `live_test_` can coexist.
            .max_by_key(|env| env.key_prefix.len())
    }
}
