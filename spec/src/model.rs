//! The validated description: what the generator consumes. Every reference is
//! resolved, every default filled in, every collection in a stable order.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

pub use crate::raw::{Method, OffsetKind, OperationAuth, ParamLocation, VersionAuth};

/// A whole, valid API description.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// The file it was loaded from.
    pub source: PathBuf,
    /// Name, crate name and doc.
    pub api: Api,
    /// The deployments, by name.
    pub environments: Vec<Environment>,
    /// How the key travels.
    pub auth: Auth,
    /// The versions, by name.
    pub versions: Vec<Version>,
    /// The pagination styles, by name.
    pub pagination: BTreeMap<String, PaginationStyle>,
    /// Objects and enums, by name.
    pub models: BTreeMap<String, Model>,
    /// Every operation, ordered by version, resource and name.
    pub operations: Vec<Operation>,
    /// Requests the API sends to the client's own server, ordered by version and name.
    pub events: Vec<Event>,
    /// Accepted differences between documented examples and this description.
    pub example_exceptions: Vec<ExampleException>,
}

impl Spec {
    /// The version called `name`.
    pub fn version(&self, name: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.name == name)
    }

    /// The model called `name`.
    pub fn model(&self, name: &str) -> Option<&Model> {
        self.models.get(name)
    }

    /// The operation `version.resource.name`.
    pub fn operation(&self, version: &str, resource: &str, name: &str) -> Option<&Operation> {
        self.operations
            .iter()
            .find(|o| o.version == version && o.resource == resource && o.name == name)
    }

    /// The default environment (validation guarantees exactly one).
    pub fn default_environment(&self) -> &Environment {
        self.environments
            .iter()
            .find(|e| e.is_default)
            .unwrap_or(&self.environments[0])
    }
}

/// `api:`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    /// Human name of the API.
    pub name: String,
    /// Package name of the generated client crate.
    pub crate_name: String,
    /// What the API is.
    pub doc: String,
}

/// One deployment of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// The name, as written.
    pub name: String,
    /// `https://` origin without a trailing slash.
    pub base_url: String,
    /// Keys for this environment start with this.
    pub key_prefix: String,
    /// Whether a client built without naming an environment uses this one.
    pub is_default: bool,
    /// What the environment is for.
    pub doc: String,
}

/// How the key travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auth {
    /// The request header that carries the key.
    pub header: String,
    /// What the key is.
    pub doc: String,
}

/// One API version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The name, as written (`v1`).
    pub name: String,
    /// The path prefix (`/api/public/v1`), without a trailing slash.
    pub prefix: String,
    /// Older prefixes the version also answers on.
    pub legacy_prefixes: Vec<String>,
    /// Whether every operation needs the key.
    pub auth: VersionAuth,
    /// The model of the version's error bodies.
    pub error: Option<TypeRef>,
    /// What the version is.
    pub doc: String,
}

/// One pagination contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaginationStyle {
    /// The style's name.
    pub name: String,
    /// The query parameter of the offset.
    pub offset_param: String,
    /// The query parameter of the page size.
    pub limit_param: String,
    /// Index or cursor.
    pub offset_kind: OffsetKind,
    /// The page size the server uses when none is sent.
    pub default_limit: Option<u32>,
    /// The largest page size the server honours.
    pub max_limit: Option<u32>,
    /// The response field that holds the items.
    pub items_field: String,
    /// The response field with the URL of the next page.
    pub next_url_field: Option<String>,
    /// The response field with the URL of the previous page.
    pub prev_url_field: Option<String>,
    /// The response field with the total number of items.
    pub total_field: Option<String>,
    /// The response field with the offset of the next page.
    pub next_offset_field: String,
    /// What the contract is.
    pub doc: String,
}

/// An object or enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The name (PascalCase).
    pub name: String,
    /// What it is.
    pub doc: String,
    /// Whether it should no longer be used.
    pub deprecated: bool,
    /// Fields or values.
    pub kind: ModelKind,
}

/// What a model is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelKind {
    /// A JSON object, fields ordered by wire name.
    Object {
        /// The fields.
        fields: Vec<Field>,
    },
    /// A string enum, values in the order written.
    Enum {
        /// The values.
        values: Vec<EnumValue>,
    },
}

/// One field of an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The JSON key.
    pub wire_name: String,
    /// The value's type.
    pub ty: TypeRef,
    /// Whether the key is always present.
    pub required: bool,
    /// Whether the value may be `null`.
    pub nullable: bool,
    /// Whether it should no longer be used.
    pub deprecated: bool,
    /// What it is.
    pub doc: String,
}

/// One value of a string enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    /// The value on the wire.
    pub value: String,
    /// What it means.
    pub doc: Option<String>,
    /// Whether it should no longer be used.
    pub deprecated: bool,
}

/// Scalar types of the description language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScalarType {
    /// `string`
    String,
    /// `bool`
    Bool,
    /// `int32`
    Int32,
    /// `int64`
    Int64,
    /// `float64`
    Float64,
    /// `money`: a decimal amount that must not lose cents.
    Money,
    /// `date`: `yyyy-MM-dd`.
    Date,
    /// `local_datetime`: `YYYY-MM-DDThh:mm:ss`, no offset.
    LocalDateTime,
    /// `time`: `HH:mm`.
    Time,
    /// `timestamp_ms`: epoch milliseconds.
    TimestampMs,
    /// `timestamp_s`: epoch seconds.
    TimestampS,
    /// `url`: an absolute URL.
    Url,
    /// `id`: an identifier sent as a string or a number.
    Id,
    /// `json`: any JSON value.
    Json,
}

impl ScalarType {
    /// Every scalar with its name in the description language.
    pub const ALL: [(ScalarType, &'static str); 14] = [
        (ScalarType::String, "string"),
        (ScalarType::Bool, "bool"),
        (ScalarType::Int32, "int32"),
        (ScalarType::Int64, "int64"),
        (ScalarType::Float64, "float64"),
        (ScalarType::Money, "money"),
        (ScalarType::Date, "date"),
        (ScalarType::LocalDateTime, "local_datetime"),
        (ScalarType::Time, "time"),
        (ScalarType::TimestampMs, "timestamp_ms"),
        (ScalarType::TimestampS, "timestamp_s"),
        (ScalarType::Url, "url"),
        (ScalarType::Id, "id"),
        (ScalarType::Json, "json"),
    ];

    /// The scalar called `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(s, _)| *s)
    }

    /// Its name in the description language.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(s, _)| *s == self)
            .map(|(_, n)| *n)
            .unwrap_or("?")
    }
}

/// A resolved type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// A scalar.
    Scalar(ScalarType),
    /// `list<T>`: a JSON array.
    List(Box<TypeRef>),
    /// `map<T>`: a JSON object with string keys.
    Map(Box<TypeRef>),
    /// A model by name.
    Model(String),
}

impl fmt::Display for TypeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeRef::Scalar(s) => f.write_str(s.name()),
            TypeRef::List(inner) => write!(f, "list<{inner}>"),
            TypeRef::Map(inner) => write!(f, "map<{inner}>"),
            TypeRef::Model(name) => f.write_str(name),
        }
    }
}

/// One endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The version's name.
    pub version: String,
    /// The resource group's name, as written.
    pub resource: String,
    /// The operation's name, as written.
    pub name: String,
    /// The HTTP method.
    pub method: Method,
    /// The path below the version prefix, with `{placeholders}`.
    pub path: String,
    /// What the call needs of the key, after the version's policy is applied.
    pub auth: OperationAuth,
    /// What it does.
    pub doc: String,
    /// Whether it should no longer be used.
    pub deprecated: bool,
    /// Path parameters in path order, then query and header parameters by wire name.
    pub params: Vec<Param>,
    /// The request body's type.
    pub body: Option<TypeRef>,
    /// What a successful call returns.
    pub response: Response,
    /// The model of error bodies (the operation's own, else the version's).
    pub error: Option<TypeRef>,
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name on the wire.
    pub wire_name: String,
    /// Path, query or header.
    pub location: ParamLocation,
    /// The value's type.
    pub ty: TypeRef,
    /// Whether a call must give it.
    pub required: bool,
    /// The value the server assumes when it is left out.
    pub default: Option<DefaultValue>,
    /// Whether it should no longer be used.
    pub deprecated: bool,
    /// What it is.
    pub doc: String,
}

/// A parameter's default, already checked against the parameter's type.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// Text (also dates, times, enum values).
    String(String),
}

/// What a successful call returns.
// A spec holds one response per operation, so the size of the paginated variant does not
// matter, and matching on an unboxed plan keeps the generator simple.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// A JSON document.
    Json(TypeRef),
    /// One page of a list.
    Paginated(PaginationPlan),
    /// An HTML page.
    Html,
    /// Plain text.
    Text,
    /// Nothing.
    Empty,
}

/// How one operation pages: its style with the operation's overrides applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaginationPlan {
    /// The style, with `items_field`, `default_limit` and `max_limit` overridden.
    pub style: PaginationStyle,
    /// The type of one item.
    pub item: TypeRef,
}

/// A request the API sends to the client's own server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The version's name.
    pub version: String,
    /// The event's name.
    pub name: String,
    /// The body's type.
    pub model: TypeRef,
    /// What it announces.
    pub doc: String,
}

/// An accepted difference between a documented example and the description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleException {
    /// The example's file name.
    pub file: String,
    /// The JSON path inside it.
    pub path: String,
    /// Why it is accepted.
    pub reason: String,
}
