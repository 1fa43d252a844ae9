//! A request as generated code describes it, before the client turns it into HTTP.
//!
//! Generated operations build a [`Request`] (method, version, path, query, headers,
//! body) and hand it to one of the `send_*` methods of [`Client`](super::Client).
//! Values are turned into text through [`ToParam`], so every scalar of the API has
//! exactly one wire form for queries, headers and paths.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use rust_decimal::Decimal;
use serde::Serialize;

use super::error::Error;
use super::scalars::{EpochMillis, EpochSeconds, Id, LocalTime};

/// Whether an operation sends the API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUse {
    /// The operation needs the key; calling it on a client without one fails.
    Required,
    /// The operation works without the key but accepts it; it is sent when the
    /// client has one.
    Optional,
    /// The key is never sent (for example, an open page meant for browsers).
    None,
}

/// One call of an operation, as generated code describes it.
#[derive(Clone)]
pub struct Request {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    pub(crate) version: &'static str,
    pub(crate) path: String,
    pub(crate) key: KeyUse,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<Vec<u8>>,
}

impl Request {
    /// Starts a request for `operation` (its name, used in errors) with `path`
    /// relative to the prefix of `version`. Build the path with [`path_segment`] for
    /// every parameter placed inside it.
    pub fn new(
        operation: &'static str,
        method: Method,
        version: &'static str,
        path: String,
        key: KeyUse,
    ) -> Self {
        Request {
            operation,
            method,
            version,
            path,
            key,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// Adds the query parameter `name=value`. Adding a name twice sends it twice.
    pub fn query(&mut self, name: &'static str, value: &(impl ToParam + ?Sized)) {
        self.query.push((name, value.to_param()));
    }

    /// Adds the query parameter `name=value` when `value` is present.
    pub fn query_opt(&mut self, name: &'static str, value: Option<&(impl ToParam + ?Sized)>) {
        if let Some(value) = value {
            self.query(name, value);
        }
    }

    /// Replaces every query parameter called `name` by `name=value`; pagination uses
    /// it to move the offset while keeping every other parameter.
    pub(crate) fn set_query(&mut self, name: &'static str, value: String) {
        self.query.retain(|(n, _)| *n != name);
        self.query.push((name, value));
    }

    /// Adds the request header `name: value`.
    pub fn header(&mut self, name: &'static str, value: &(impl ToParam + ?Sized)) {
        self.headers.push((name, value.to_param()));
    }

    /// Serializes `body` as the JSON body of the request; the client then sends
    /// `Content-Type: application/json`.
    pub fn json_body(&mut self, body: &impl Serialize) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Encode {
            operation: self.operation,
            message: format!("the JSON body does not serialize: {e}"),
        })?;
        self.body = Some(bytes);
        Ok(())
    }

    /// The name of the operation this request calls.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP method of the request.
    pub fn method(&self) -> &Method {
        &self.method
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body is shown by size only: it can be large, and it is the caller's data.
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("version", &self.version)
            .field("path", &self.path)
            .field("key", &self.key)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .finish()
    }
}

/// The characters left as they are inside a path segment: the unreserved set of
/// RFC 3986. Everything else, `/` and `?` included, is percent-encoded, so a value
/// can never change which path is called.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Turns `value` into text for use as one segment of a path, percent-encoded.
///
/// ```
/// use headout_client::runtime::path_segment;
/// assert_eq!(path_segment(&"a b/c"), "a%20b%2Fc");
/// assert_eq!(path_segment(&42_i64), "42");
/// ```
pub fn path_segment(value: &(impl ToParam + ?Sized)) -> String {
    utf8_percent_encode(&value.to_param(), PATH_SEGMENT).to_string()
}

/// A value that can be sent as a query parameter, header or path segment.
///
/// The text form is the API's wire form: dates as `yyyy-MM-dd`, date-times as
/// `YYYY-MM-DDThh:mm:ss`, times as `HH:mm`, lists joined with commas. Generated
/// enums implement it with their wire names.
pub trait ToParam {
    /// The text form of the value, not yet percent-encoded.
    fn to_param(&self) -> String;
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }
}

impl ToParam for str {
    fn to_param(&self) -> String {
        self.to_owned()
    }
}

impl ToParam for String {
    fn to_param(&self) -> String {
        self.clone()
    }
}

/// Implements [`ToParam`] through `Display` for types whose display form is already
/// the wire form.
macro_rules! to_param_via_display {
    ($($ty:ty),* $(,)?) => {
        $(impl ToParam for $ty {
            fn to_param(&self) -> String {
                self.to_string()
            }
        })*
    };
}

to_param_via_display!(
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64,
    Id,
    Decimal,
    LocalTime,
    EpochSeconds,
    EpochMillis,
);

impl ToParam for NaiveDate {
    fn to_param(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

impl ToParam for NaiveDateTime {
    fn to_param(&self) -> String {
        // Whole seconds are the documented format; sub-second precision is kept
        // rather than silently dropped when a caller supplies it.
        if self.and_utc().timestamp_subsec_nanos() == 0 {
            self.format("%Y-%m-%dT%H:%M:%S").to_string()
        } else {
            self.format("%Y-%m-%dT%H:%M:%S%.f").to_string()
        }
    }
}

impl<T: ToParam> ToParam for [T] {
    fn to_param(&self) -> String {
        self.iter()
            .map(ToParam::to_param)
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl<T: ToParam> ToParam for Vec<T> {
    fn to_param(&self) -> String {
        self.as_slice().to_param()
    }
}
