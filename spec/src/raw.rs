//! The description as written: serde shapes of each YAML section, before validation.
//!
//! Every struct denies unknown keys so that a typo is an error with a suggestion,
//! not a silently ignored setting. Nothing here knows any particular API.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::yaml::Node;

/// `operations:` — version name, then resource name, then operation name.
pub type RawOperations = BTreeMap<String, BTreeMap<String, BTreeMap<String, Node>>>;

/// `events:` — version name, then event name: requests the API sends to the client's own
/// server.
pub type RawEvents = BTreeMap<String, BTreeMap<String, Node>>;

/// The top-level keys of a description file, and whether each is required.
pub const SECTIONS: &[(&str, bool)] = &[
    ("api", true),
    ("environments", true),
    ("auth", true),
    ("versions", true),
    ("pagination", false),
    ("models", false),
    ("operations", true),
    ("events", false),
    ("examples", false),
];

/// The top level of a description file, one field per key of [`SECTIONS`]. Each
/// section is decoded on its own, so that a misspelt or broken section does not hide
/// the problems of the others; a section that is missing or did not decode is `None`.
/// Sections stay loosely typed here so that each entry (one environment, one model, one
/// operation) is decoded on its own too.
#[derive(Debug, Default)]
pub struct RawDocument {
    pub api: Option<Node>,
    pub environments: Option<BTreeMap<String, Node>>,
    pub auth: Option<Node>,
    pub versions: Option<BTreeMap<String, Node>>,
    pub pagination: Option<BTreeMap<String, Node>>,
    pub models: Option<BTreeMap<String, Node>>,
    pub operations: Option<RawOperations>,
    pub events: Option<RawEvents>,
    pub examples: Option<Node>,
}

/// `api:` — what the API is called and what the generated crate is called.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawApi {
    pub name: String,
    #[serde(rename = "crate")]
    pub crate_name: String,
    pub doc: String,
}

/// `environments.<name>:` — one deployment of the API.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnvironment {
    pub base_url: String,
    pub key_prefix: String,
    #[serde(default)]
    pub default: bool,
    pub doc: String,
}

/// `auth:` — how the key travels.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAuth {
    pub header: String,
    pub doc: String,
}

/// The auth policy of a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VersionAuth {
    /// Every operation of the version needs the key.
    Required,
    /// Each operation says whether it needs the key.
    PerOperation,
}

/// `versions.<name>:` — one API version and where it lives.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVersion {
    pub prefix: String,
    #[serde(default)]
    pub legacy_prefixes: Vec<String>,
    pub auth: VersionAuth,
    /// The model of the version's error bodies.
    #[serde(default)]
    pub error: Option<String>,
    pub doc: String,
}

/// Whether an offset is a position in the list or an opaque cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OffsetKind {
    /// An integer index from 0.
    Index,
    /// An opaque string chosen by the server.
    Cursor,
}

/// `pagination.<style>:` — one pagination contract.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPagination {
    pub offset_param: String,
    pub limit_param: String,
    pub offset_kind: OffsetKind,
    #[serde(default)]
    pub default_limit: Option<u32>,
    #[serde(default)]
    pub max_limit: Option<u32>,
    pub items_field: String,
    #[serde(default)]
    pub next_url_field: Option<String>,
    #[serde(default)]
    pub prev_url_field: Option<String>,
    #[serde(default)]
    pub total_field: Option<String>,
    pub next_offset_field: String,
    pub doc: String,
}

/// `models.<Name>:` — an object (with `fields`) or a string enum (with `values`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    pub doc: String,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub fields: Option<BTreeMap<String, Node>>,
    #[serde(default)]
    pub values: Option<Vec<Node>>,
}

/// `models.<Name>.fields.<wireName>:` — one field of an object.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawField {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub nullable: bool,
    #[serde(default)]
    pub deprecated: bool,
    pub doc: String,
}

/// `models.<Name>.values[i]:` written as a mapping, to give the value a doc.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnumValue {
    pub value: Node,
    #[serde(default)]
    pub doc: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
}

/// The HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method as sent on the wire: `GET`, `POST`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// What an operation needs of the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OperationAuth {
    /// The call fails without the key.
    Required,
    /// The call works without the key; it is sent when the client has one.
    Optional,
    /// The key is never sent.
    None,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParamLocation {
    /// A `{placeholder}` of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
}

/// `operations.<v>.<resource>.<op>:` — one endpoint.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOperation {
    pub method: Method,
    pub path: String,
    #[serde(default)]
    pub auth: Option<OperationAuth>,
    pub doc: String,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub params: BTreeMap<String, Node>,
    #[serde(default)]
    pub body: Option<String>,
    pub response: Node,
    #[serde(default)]
    pub error: Option<String>,
}

/// `...params.<wireName>:` — one parameter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParam {
    #[serde(rename = "in")]
    pub location: ParamLocation,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub default: Option<Node>,
    #[serde(default)]
    pub deprecated: bool,
    pub doc: String,
}

/// The kind of body a response carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResponseKind {
    /// A JSON document of `model`.
    Json,
    /// One page of a paginated list of `model`.
    Paginated,
    /// An HTML page.
    Html,
    /// Plain text.
    Text,
    /// No body.
    Empty,
}

/// `...response:` — what a successful call returns.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResponse {
    pub kind: ResponseKind,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub pagination: Option<String>,
    #[serde(default)]
    pub items_field: Option<String>,
    #[serde(default)]
    pub default_limit: Option<u32>,
    #[serde(default)]
    pub max_limit: Option<u32>,
}

/// `events.<v>.<name>:` — a request the API sends to the client's server.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    pub model: String,
    pub doc: String,
}

/// `examples:` — where the checked examples live and the deviations accepted in them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExamples {
    #[serde(default)]
    pub exceptions: Vec<RawExampleException>,
}

/// One accepted difference between a documented example and the description.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExampleException {
    /// The example's file name.
    pub file: String,
    /// The JSON path inside the example, e.g. `$.items[0].city.image`.
    pub path: String,
    /// Why the description is right and the example is not.
    pub reason: String,
}
