//! The example checker: compares documented JSON examples with the types the description
//! gives them, so that a description can be shown to match the real API.
//!
//! An example file is named after what it shows:
//!
//! | file name | checked against |
//! |---|---|
//! | `<v>.<resource>.<op>.request[.<variant>].json` | the operation's request body |
//! | `<v>.<resource>.<op>.response[.<variant>].json` | the operation's response |
//! | `<v>.<resource>.<event>.request.json` (no such operation) | the model of event `<event>` of `<v>` |
//! | `<v>.error.<name>.json` | the version's error model |
//! | `pagination-wrapper.json` | the wrapper of every pagination style, items of any type |
//!
//! ```no_run
//! let spec = spec::load("spec/headout.yaml").unwrap().spec;
//! let report = spec::examples::check_dir(&spec, "../shared/headout/examples/github-docs");
//! print!("{report}");
//! assert!(report.is_ok());
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde_json::Value;

use crate::model::{
    ModelKind, PaginationPlan, PaginationStyle, Response, ScalarType, Spec, TypeRef,
};
use crate::types::{is_absolute_url, is_date, is_local_datetime, is_time};

/// The name of the file that shows the generic pagination wrapper.
pub const PAGINATION_WRAPPER_FILE: &str = "pagination-wrapper.json";

/// One difference between a JSON value and the type it should have.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mismatch {
    /// Where in the value, e.g. `$.items[0].city.image`.
    pub path: String,
    /// What is wrong there.
    pub kind: MismatchKind,
}

/// What is wrong at one place of a JSON value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MismatchKind {
    /// The object has a key its model does not list; the path points at the key.
    UnknownField {
        /// The model (or pagination wrapper) that lacks the field.
        model: String,
        /// The key.
        field: String,
    },
    /// The value is not of the expected type or format.
    TypeMismatch {
        /// The expected type, as written in the description (`local_datetime`, `list<Pet>`).
        expected: String,
        /// The value found, e.g. `string "2017-04-12"`.
        found: String,
    },
    /// A string is not one of the values of its enum.
    EnumValue {
        /// The enum model.
        model: String,
        /// The value found.
        value: String,
        /// The values the enum lists.
        allowed: Vec<String>,
    },
    /// A field is `null` but the description does not allow `null` for it.
    NotNullable {
        /// The model (or pagination wrapper) the field belongs to.
        model: String,
        /// The key.
        field: String,
    },
    /// A required field is absent; the path points where it should be.
    MissingField {
        /// The model (or pagination wrapper) the field belongs to.
        model: String,
        /// The key.
        field: String,
    },
}

impl MismatchKind {
    /// A short name of the kind, for counting (`type mismatch`).
    pub fn name(&self) -> &'static str {
        match self {
            MismatchKind::UnknownField { .. } => "unknown field",
            MismatchKind::TypeMismatch { .. } => "type mismatch",
            MismatchKind::EnumValue { .. } => "enum value not listed",
            MismatchKind::NotNullable { .. } => "null where not nullable",
            MismatchKind::MissingField { .. } => "required field missing",
        }
    }
}

impl fmt::Display for MismatchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MismatchKind::UnknownField { model, field } => {
                write!(f, "unknown field `{field}`: {model} has no such field")
            }
            MismatchKind::TypeMismatch { expected, found } => match format_hint(expected) {
                Some(hint) => write!(
                    f,
                    "type mismatch: expected {expected} ({hint}), found {found}"
                ),
                None => write!(f, "type mismatch: expected {expected}, found {found}"),
            },
            MismatchKind::EnumValue {
                model,
                value,
                allowed,
            } => {
                write!(
                    f,
                    "enum value `{value}` is not listed in {model} (listed: {})",
                    allowed.join(", ")
                )
            }
            MismatchKind::NotNullable { model, field } => {
                write!(
                    f,
                    "null where not nullable: field `{field}` of {model} is not `nullable`"
                )
            }
            MismatchKind::MissingField { model, field } => {
                write!(f, "required field missing: `{field}` of {model}")
            }
        }
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind)
    }
}

/// The format a scalar's text must have, shown beside its name in messages.
fn format_hint(expected: &str) -> Option<&'static str> {
    Some(match ScalarType::from_name(expected)? {
        ScalarType::Int32 => "an integer that fits 32 bits",
        ScalarType::Int64 => "an integer that fits 64 bits",
        ScalarType::Money => "a number or a numeric string",
        ScalarType::Date => "a string yyyy-MM-dd",
        ScalarType::Time => "a string HH:mm",
        ScalarType::LocalDateTime => "a string YYYY-MM-DDThh:mm:ss without offset",
        ScalarType::TimestampS => "epoch seconds: an integer below 10^11",
        ScalarType::TimestampMs => "epoch milliseconds: an integer of 12 or 13 digits, from 10^11",
        ScalarType::Url => "an absolute URL string",
        ScalarType::Id => "a string or an integer",
        ScalarType::String | ScalarType::Bool | ScalarType::Float64 | ScalarType::Json => {
            return None;
        }
    })
}

/// Checks `value` against `ty` and returns every difference, in document order.
pub fn check_value(spec: &Spec, ty: &TypeRef, value: &Value) -> Vec<Mismatch> {
    let mut out = Vec::new();
    check_type(spec, ty, value, "$", &mut out);
    out
}

/// Checks `value` against the wrapper of pagination `style`; with `item` given, every
/// element of the items array is checked against it, otherwise items may be anything.
pub fn check_page(
    spec: &Spec,
    style: &PaginationStyle,
    item: Option<&TypeRef>,
    value: &Value,
) -> Vec<Mismatch> {
    let mut out = Vec::new();
    check_wrapper(spec, style, item, value, "$", &mut out);
    out
}

fn push(out: &mut Vec<Mismatch>, path: &str, kind: MismatchKind) {
    out.push(Mismatch {
        path: path.to_string(),
        kind,
    });
}

fn type_mismatch(out: &mut Vec<Mismatch>, path: &str, expected: impl Into<String>, value: &Value) {
    push(
        out,
        path,
        MismatchKind::TypeMismatch {
            expected: expected.into(),
            found: describe(value),
        },
    );
}

fn check_type(spec: &Spec, ty: &TypeRef, value: &Value, path: &str, out: &mut Vec<Mismatch>) {
    match ty {
        TypeRef::Scalar(scalar) => {
            if !scalar_matches(*scalar, value) {
                type_mismatch(out, path, scalar.name(), value);
            }
        }
        TypeRef::List(inner) => match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    check_type(spec, inner, item, &format!("{path}[{i}]"), out);
                }
            }
            _ => type_mismatch(out, path, ty.to_string(), value),
        },
        TypeRef::Map(inner) => match value {
            Value::Object(entries) => {
                for (key, item) in entries {
                    check_type(spec, inner, item, &key_path(path, key), out);
                }
            }
            _ => type_mismatch(out, path, ty.to_string(), value),
        },
        TypeRef::Model(name) => check_model(spec, name, value, path, out),
    }
}

fn check_model(spec: &Spec, name: &str, value: &Value, path: &str, out: &mut Vec<Mismatch>) {
    let Some(model) = spec.model(name) else {
        type_mismatch(
            out,
            path,
            format!("{name} (a model the description does not define)"),
            value,
        );
        return;
    };
    match &model.kind {
        ModelKind::Enum { values } => match value {
            Value::String(text) => {
                if !values.iter().any(|v| v.value == *text) {
                    push(
                        out,
                        path,
                        MismatchKind::EnumValue {
                            model: name.to_string(),
                            value: text.clone(),
                            allowed: values.iter().map(|v| v.value.clone()).collect(),
                        },
                    );
                }
            }
            _ => type_mismatch(out, path, format!("{name} (a string enum)"), value),
        },
        ModelKind::Object { fields } => {
            let Value::Object(entries) = value else {
                type_mismatch(out, path, format!("{name} (an object)"), value);
                return;
            };
            // Fields are visited in the model's order (sorted by wire name), then unknown keys.
            for field in fields {
                let field_path = key_path(path, &field.wire_name);
                match entries.get(&field.wire_name) {
                    None if field.required => push(
                        out,
                        &field_path,
                        MismatchKind::MissingField {
                            model: name.to_string(),
                            field: field.wire_name.clone(),
                        },
                    ),
                    None => {}
                    Some(Value::Null)
                        if field.nullable || field.ty == TypeRef::Scalar(ScalarType::Json) => {}
                    Some(Value::Null) => push(
                        out,
                        &field_path,
                        MismatchKind::NotNullable {
                            model: name.to_string(),
                            field: field.wire_name.clone(),
                        },
                    ),
                    Some(item) => check_type(spec, &field.ty, item, &field_path, out),
                }
            }
            for key in entries.keys() {
                if !fields.iter().any(|f| f.wire_name == *key) {
                    push(
                        out,
                        &key_path(path, key),
                        MismatchKind::UnknownField {
                            model: name.to_string(),
                            field: key.clone(),
                        },
                    );
                }
            }
        }
    }
}

fn check_wrapper(
    spec: &Spec,
    style: &PaginationStyle,
    item: Option<&TypeRef>,
    value: &Value,
    path: &str,
    out: &mut Vec<Mismatch>,
) {
    let owner = format!("the pagination wrapper of style `{}`", style.name);
    let Value::Object(entries) = value else {
        type_mismatch(
            out,
            path,
            format!("pagination wrapper of style `{}` (an object)", style.name),
            value,
        );
        return;
    };
    let items_path = key_path(path, &style.items_field);
    match entries.get(&style.items_field) {
        None => push(
            out,
            &items_path,
            MismatchKind::MissingField {
                model: owner.clone(),
                field: style.items_field.clone(),
            },
        ),
        Some(Value::Null) => push(
            out,
            &items_path,
            MismatchKind::NotNullable {
                model: owner.clone(),
                field: style.items_field.clone(),
            },
        ),
        Some(Value::Array(items)) => {
            if let Some(item) = item {
                for (i, element) in items.iter().enumerate() {
                    check_type(spec, item, element, &format!("{items_path}[{i}]"), out);
                }
            }
        }
        Some(other) => {
            let expected = item.map_or_else(|| "an array".to_string(), |t| format!("list<{t}>"));
            type_mismatch(out, &items_path, expected, other);
        }
    }
    for url_field in [&style.next_url_field, &style.prev_url_field]
        .into_iter()
        .flatten()
    {
        if let Some(found) = entries.get(url_field) {
            let fits = match found {
                Value::Null => true,
                Value::String(text) => is_absolute_url(text) || text.starts_with('/'),
                _ => false,
            };
            if !fits {
                type_mismatch(
                    out,
                    &key_path(path, url_field),
                    "an absolute URL, a /relative path or null",
                    found,
                );
            }
        }
    }
    if let Some(total_field) = &style.total_field
        && let Some(found) = entries.get(total_field)
    {
        let total_path = key_path(path, total_field);
        match found {
            Value::Null => push(
                out,
                &total_path,
                MismatchKind::NotNullable {
                    model: owner.clone(),
                    field: total_field.clone(),
                },
            ),
            _ if found.as_u64().is_some() => {}
            _ => type_mismatch(out, &total_path, "a non-negative integer", found),
        }
    }
    if let Some(found) = entries.get(&style.next_offset_field)
        && !(found.is_null() || found.is_string() || found.is_i64() || found.is_u64())
    {
        type_mismatch(
            out,
            &key_path(path, &style.next_offset_field),
            "an integer, a string or null",
            found,
        );
    }
    let known: BTreeSet<&str> = [
        Some(&style.items_field),
        style.next_url_field.as_ref(),
        style.prev_url_field.as_ref(),
    ]
    .into_iter()
    .chain([style.total_field.as_ref(), Some(&style.next_offset_field)])
    .flatten()
    .map(String::as_str)
    .collect();
    for key in entries.keys() {
        if !known.contains(key.as_str()) {
            push(
                out,
                &key_path(path, key),
                MismatchKind::UnknownField {
                    model: owner.clone(),
                    field: key.clone(),
                },
            );
        }
    }
}

fn scalar_matches(scalar: ScalarType, value: &Value) -> bool {
    let text = value.as_str();
    let magnitude = value
        .as_i64()
        .map(i64::unsigned_abs)
        .or_else(|| value.as_u64());
    match scalar {
        ScalarType::String => value.is_string(),
        ScalarType::Bool => value.is_boolean(),
        ScalarType::Int32 => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        ScalarType::Int64 => value.as_i64().is_some(),
        ScalarType::Float64 => value.is_number(),
        ScalarType::Money => value.is_number() || text.is_some_and(is_decimal),
        ScalarType::Date => text.is_some_and(is_date),
        ScalarType::Time => text.is_some_and(is_time),
        ScalarType::LocalDateTime => text.is_some_and(is_local_datetime),
        ScalarType::TimestampS => magnitude.is_some_and(|n| n < 100_000_000_000),
        ScalarType::TimestampMs => {
            magnitude.is_some_and(|n| (100_000_000_000..10_000_000_000_000).contains(&n))
        }
        ScalarType::Url => text.is_some_and(is_absolute_url),
        ScalarType::Id => value.is_string() || value.is_i64() || value.is_u64(),
        ScalarType::Json => true,
    }
}

/// Whether `text` is a plain decimal number: an optional `-`, digits, and optionally a
/// `.` followed by digits.
fn is_decimal(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && all_digits(fraction)
}

/// A short description of a JSON value for messages: `string "2017-04-12"`, `integer 5`.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("bool {b}"),
        Value::Number(n) if n.is_i64() || n.is_u64() => format!("integer {n}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => {
            const LIMIT: usize = 60;
            if s.chars().count() > LIMIT {
                let cut: String = s.chars().take(LIMIT).collect();
                format!("string {}…", Value::String(cut))
            } else {
                format!("string {}", Value::String(s.clone()))
            }
        }
        Value::Array(items) => format!("an array of {} items", items.len()),
        Value::Object(entries) => format!("an object with {} keys", entries.len()),
    }
}

/// `path` followed by `key`: `.key` when the key is a plain identifier, else `["key"]`.
fn key_path(path: &str, key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        format!("{path}.{key}")
    } else {
        format!("{path}[{}]", Value::String(key.to_string()))
    }
}

/// What an example file must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// What the file shows, for reports: `the request body of v2.bookings.capture`.
    pub description: String,
    /// The shape its JSON must have.
    pub shape: Shape,
}

/// The shape an example's JSON must have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// A value of this type.
    Type(TypeRef),
    /// One page of a paginated list.
    Page(Box<PaginationPlan>),
    /// The wrapper of every pagination style of the description, items of any type.
    AnyPage(Vec<PaginationStyle>),
    /// Nothing in JSON: the operation answers with something else, described here
    /// (`an HTML page`); any JSON example is a mismatch.
    NotJson(String),
}

/// Finds what the example file `file_name` (a bare name, not a path) must match, or says
/// why the name maps to nothing in the description.
pub fn resolve(spec: &Spec, file_name: &str) -> Result<Target, String> {
    let Some(stem) = file_name.strip_suffix(".json") else {
        return Err(format!("`{file_name}` does not end in `.json`"));
    };
    if file_name == PAGINATION_WRAPPER_FILE {
        if spec.pagination.is_empty() {
            return Err(
                "the description has no pagination style to check the generic wrapper against"
                    .into(),
            );
        }
        return Ok(Target {
            description: "the wrapper of every pagination style".into(),
            shape: Shape::AnyPage(spec.pagination.values().cloned().collect()),
        });
    }
    let parts: Vec<&str> = stem.split('.').collect();
    const EXPECTED: &str = "expected `<version>.<resource>.<operation>.<request|response>[.<variant>].json`, \
                            `<version>.error.<name>.json` or `pagination-wrapper.json`";
    let Some(version_name) = parts.first().copied() else {
        return Err(EXPECTED.into());
    };
    let version = spec.version(version_name);
    if let [_, "error", name] = parts.as_slice() {
        let Some(version) = version else {
            return Err(format!("the description has no version `{version_name}`"));
        };
        return match &version.error {
            Some(ty) => Ok(Target {
                description: format!("the error body `{name}` of version {version_name} ({ty})"),
                shape: Shape::Type(ty.clone()),
            }),
            None => Err(format!(
                "version `{version_name}` has no `error` model to check this error body against"
            )),
        };
    }
    let [_, resource, operation, direction, ..] = parts.as_slice() else {
        return Err(format!("cannot tell what `{file_name}` shows: {EXPECTED}"));
    };
    if version.is_none() {
        return Err(format!("the description has no version `{version_name}`"));
    }
    let variant = if parts.len() > 4 {
        format!(" (variant `{}`)", parts[4..].join("."))
    } else {
        String::new()
    };
    let qualified = format!("{version_name}.{resource}.{operation}");
    let op = spec.operation(version_name, resource, operation);
    match (*direction, op) {
        ("request", Some(op)) => match &op.body {
            Some(ty) => Ok(Target {
                description: format!("the request body of {qualified}{variant} ({ty})"),
                shape: Shape::Type(ty.clone()),
            }),
            None => Err(format!("operation `{qualified}` has no request `body`")),
        },
        ("request", None) => {
            match spec
                .events
                .iter()
                .find(|e| e.version == version_name && e.name == *operation)
            {
                Some(event) => Ok(Target {
                    description: format!(
                        "event `{operation}` of version {version_name}{variant} ({})",
                        event.model
                    ),
                    shape: Shape::Type(event.model.clone()),
                }),
                _ => Err(format!(
                    "the description has no operation `{qualified}` and no event `{operation}` in version {version_name}"
                )),
            }
        }
        ("response", Some(op)) => {
            let description = format!("the response of {qualified}{variant}");
            let shape = match &op.response {
                Response::Json(ty) => Shape::Type(ty.clone()),
                Response::Paginated(plan) => Shape::Page(Box::new(plan.clone())),
                Response::Html => Shape::NotJson("an HTML page".into()),
                Response::Text => Shape::NotJson("plain text".into()),
                Response::Empty => Shape::NotJson("an empty body".into()),
            };
            Ok(Target { description, shape })
        }
        ("response", None) => Err(format!("the description has no operation `{qualified}`")),
        (other, _) => Err(format!(
            "`{other}` is neither `request` nor `response`: {EXPECTED}"
        )),
    }
}

/// Checks `value` against `target`.
pub fn check_target(spec: &Spec, target: &Target, value: &Value) -> Vec<Mismatch> {
    match &target.shape {
        Shape::Type(ty) => check_value(spec, ty, value),
        Shape::Page(plan) => check_page(spec, &plan.style, Some(&plan.item), value),
        Shape::AnyPage(styles) => {
            let mut out: Vec<Mismatch> = styles
                .iter()
                .flat_map(|style| check_page(spec, style, None, value))
                .collect();
            out.sort();
            out.dedup();
            out
        }
        Shape::NotJson(what) => vec![Mismatch {
            path: "$".into(),
            kind: MismatchKind::TypeMismatch {
                expected: format!("{what}, not JSON"),
                found: describe(value),
            },
        }],
    }
}

/// Resolves the example `file_name` and checks `value` against what it must match; the
/// error says why the name maps to nothing.
pub fn check_example(spec: &Spec, file_name: &str, value: &Value) -> Result<Vec<Mismatch>, String> {
    let target = resolve(spec, file_name)?;
    Ok(check_target(spec, &target, value))
}

/// A `.json` file that was examined.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CheckedFile {
    /// `<folder name>/<file name>`.
    pub file: String,
    /// What it was checked against; `None` when it maps to nothing or is not valid JSON.
    pub target: Option<String>,
}

/// A file that was not examined.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SkippedFile {
    /// `<folder name>/<file name>`.
    pub file: String,
    /// Why it was not examined.
    pub reason: String,
}

/// A mismatch that an entry of `examples.exceptions` accepts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AppliedException {
    /// `<folder name>/<file name>`.
    pub file: String,
    /// The accepted mismatch.
    pub mismatch: Mismatch,
    /// The reason the exception gives.
    pub reason: String,
}

/// Something the author of the description has to act on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// `<folder name>/<file name>` (for a stale exception, the file the exception names).
    pub file: String,
    /// The JSON path, `$` for problems with the whole file.
    pub path: String,
    /// What is wrong.
    pub kind: ProblemKind,
}

/// What is wrong with an example or an exception.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProblemKind {
    /// The example does not match the description.
    Mismatch(MismatchKind),
    /// The file name maps to nothing in the description.
    Unmapped(String),
    /// The file is not valid JSON.
    InvalidJson(String),
    /// The file or folder cannot be read.
    Unreadable(String),
    /// An entry of `examples.exceptions` accepts no mismatch.
    StaleException {
        /// The reason the exception gives.
        reason: String,
    },
}

impl ProblemKind {
    /// A short name of the kind, for counting (`type mismatch`, `unmapped file`).
    pub fn name(&self) -> &'static str {
        match self {
            ProblemKind::Mismatch(kind) => kind.name(),
            ProblemKind::Unmapped(_) => "unmapped file",
            ProblemKind::InvalidJson(_) => "invalid JSON",
            ProblemKind::Unreadable(_) => "unreadable",
            ProblemKind::StaleException { .. } => "stale exception",
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProblemKind::Mismatch(kind) => kind.fmt(f),
            ProblemKind::Unmapped(reason) => write!(f, "unmapped file: {reason}"),
            ProblemKind::InvalidJson(error) => write!(f, "invalid JSON: {error}"),
            ProblemKind::Unreadable(error) => write!(f, "unreadable: {error}"),
            ProblemKind::StaleException { reason } => write!(
                f,
                "stale exception: no mismatch at this file and path (reason given: {reason}); remove the entry from `examples.exceptions`"
            ),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.path, self.kind)
    }
}

/// The outcome of checking folders of examples. Every list is sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Every `.json` file examined.
    pub checked: Vec<CheckedFile>,
    /// Every other entry of the folders, with the reason it was not examined.
    pub skipped: Vec<SkippedFile>,
    /// Everything the description's author has to act on.
    pub problems: Vec<Problem>,
    /// Mismatches accepted by `examples.exceptions`.
    pub exceptions_applied: Vec<AppliedException>,
}

impl Report {
    /// Whether there is no problem.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// The number of problems of each kind, by [`ProblemKind::name`].
    pub fn problem_counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for problem in &self.problems {
            *counts.entry(problem.kind.name()).or_insert(0) += 1;
        }
        counts
    }

    /// One line of counts: `checked 51 files, skipped 1, 2 exceptions applied, 3 problems`.
    pub fn summary(&self) -> String {
        let mut line = format!(
            "checked {} files, skipped {}, {} exceptions applied, {} problems",
            self.checked.len(),
            self.skipped.len(),
            self.exceptions_applied.len(),
            self.problems.len()
        );
        let counts = self.problem_counts();
        if !counts.is_empty() {
            let parts: Vec<String> = counts
                .iter()
                .map(|(kind, n)| format!("{n} {kind}"))
                .collect();
            line.push_str(&format!(" ({})", parts.join(", ")));
        }
        line
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.summary())?;
        for skipped in &self.skipped {
            writeln!(f, "skipped {}: {}", skipped.file, skipped.reason)?;
        }
        for applied in &self.exceptions_applied {
            writeln!(
                f,
                "accepted {}: {} (because: {})",
                applied.file, applied.mismatch, applied.reason
            )?;
        }
        for problem in &self.problems {
            writeln!(f, "{problem}")?;
        }
        Ok(())
    }
}

/// Checks every example in `dir` against `spec`; see [`check_dirs`].
pub fn check_dir(spec: &Spec, dir: impl AsRef<Path>) -> Report {
    check_dirs(spec, &[dir.as_ref()])
}

/// Checks every example in the folders `dirs` (not their subfolders) against `spec`.
///
/// Every `.json` file is checked; every other entry is listed as skipped. Files are
/// named `<folder name>/<file name>` in the report. An entry of `spec.example_exceptions`
/// accepts each mismatch whose file name (bare, or with its folder name) and JSON path it
/// names. An exception that accepts nothing in any of the folders is a problem, so check
/// all folders in one call.
pub fn check_dirs<P: AsRef<Path>>(spec: &Spec, dirs: &[P]) -> Report {
    let mut report = Report::default();
    let mut used = vec![false; spec.example_exceptions.len()];
    for dir in dirs {
        check_one_dir(spec, dir.as_ref(), &mut report, &mut used);
    }
    for (exception, used) in spec.example_exceptions.iter().zip(used) {
        if !used {
            report.problems.push(Problem {
                file: exception.file.clone(),
                path: exception.path.clone(),
                kind: ProblemKind::StaleException {
                    reason: exception.reason.clone(),
                },
            });
        }
    }
    report.checked.sort();
    report.skipped.sort();
    report.problems.sort();
    report.problems.dedup();
    report.exceptions_applied.sort();
    report.exceptions_applied.dedup();
    report
}

fn check_one_dir(spec: &Spec, dir: &Path, report: &mut Report, used: &mut [bool]) {
    let folder = dir.file_name().map_or_else(
        || dir.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            report.problems.push(Problem {
                file: dir.display().to_string(),
                path: "$".into(),
                kind: ProblemKind::Unreadable(format!("cannot list the folder: {error}")),
            });
            return;
        }
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let label = format!("{folder}/{name}");
        if path.is_dir() {
            report.skipped.push(SkippedFile {
                file: label,
                reason: "a folder; subfolders are not searched".into(),
            });
            continue;
        }
        if !name.ends_with(".json") {
            report.skipped.push(SkippedFile {
                file: label,
                reason: "not a `.json` file; only JSON examples are checked".into(),
            });
            continue;
        }
        let problem = |path: &str, kind| Problem {
            file: label.clone(),
            path: path.to_string(),
            kind,
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) => {
                report
                    .problems
                    .push(problem("$", ProblemKind::Unreadable(error.to_string())));
                report.checked.push(CheckedFile {
                    file: label,
                    target: None,
                });
                continue;
            }
        };
        let value: Value = match serde_json::from_str(&text) {
            Ok(value) => value,
            Err(error) => {
                report
                    .problems
                    .push(problem("$", ProblemKind::InvalidJson(error.to_string())));
                report.checked.push(CheckedFile {
                    file: label,
                    target: None,
                });
                continue;
            }
        };
        let target = match resolve(spec, &name) {
            Ok(target) => target,
            Err(reason) => {
                report
                    .problems
                    .push(problem("$", ProblemKind::Unmapped(reason)));
                report.checked.push(CheckedFile {
                    file: label,
                    target: None,
                });
                continue;
            }
        };
        for mismatch in check_target(spec, &target, &value) {
            // Every exception naming this place counts as used, so that writing the file
            // both bare and with its folder does not make one of them stale.
            let mut reason = None;
            for (index, exception) in spec.example_exceptions.iter().enumerate() {
                if (exception.file == name || exception.file == label)
                    && exception.path == mismatch.path
                {
                    used[index] = true;
                    reason.get_or_insert_with(|| exception.reason.clone());
                }
            }
            match reason {
                Some(reason) => {
                    report.exceptions_applied.push(AppliedException {
                        file: label.clone(),
                        mismatch,
                        reason,
                    });
                }
                None => report.problems.push(problem(
                    &mismatch.path,
                    ProblemKind::Mismatch(mismatch.kind),
                )),
            }
        }
        report.checked.push(CheckedFile {
            file: label,
            target: Some(target.description),
        });
    }
}
