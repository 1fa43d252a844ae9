//! The hand-written runtime that generated operations call.
//!
//! Nothing in this module knows a particular API: hosts, key prefixes, the auth
//! header, version prefixes and pagination field names all arrive as `static`
//! descriptions ([`ApiSpec`], [`EnvironmentSpec`], [`VersionSpec`], [`PageSpec`])
//! written by the code generator. The runtime provides:
//!
//! - [`ClientBuilder`] and [`Client`]: base URL checks (`https` only, except on
//!   loopback hosts), the API key and its environment check, timeouts, retries,
//!   redirects kept within the configured origin, an optional bound on the pages of
//!   one stream;
//! - [`Request`], [`ToParam`] and [`path_segment`]: how generated code describes a
//!   call;
//! - [`Client::send_json`], [`Client::send_text`], [`Client::send_empty`],
//!   [`Client::send_page`], [`Client::pages`] and [`Client::items`]: sending it;
//! - [`Error`]: one error type naming the failed operation;
//! - scalar types for ids, times, epoch timestamps and money amounts, and serde
//!   helpers for generated models ([`money_serde`], [`money_serde_opt`], [`money_serde_nested`],
//!   [`null_as_default`]).
//!
//! # Example
//!
//! Generated code wraps calls like this one in typed methods; the `static`
//! descriptions below stand for what the generator writes.
//!
//! ```no_run
//! use headout_client::runtime::{
//!     ApiSpec, EnvironmentSpec, KeyUse, Method, OffsetKind, PageSpec, Request, VersionSpec,
//!     path_segment,
//! };
//! use headout_client::{ClientBuilder, Error, Id};
//! use futures_util::TryStreamExt;
//!
//! static API: ApiSpec = ApiSpec {
//!     name: "Example API",
//!     crate_name: "example-client",
//!     crate_version: "1.0.0",
//!     auth_header: "X-Api-Key",
//!     environments: &[EnvironmentSpec {
//!         name: "production",
//!         base_url: "https://api.example.com",
//!         key_prefix: "live_",
//!     }],
//!     versions: &[VersionSpec { name: "v1", prefix: "/v1", legacy_prefixes: &[] }],
//! };
//!
//! static THINGS: PageSpec = PageSpec {
//!     offset_param: "offset",
//!     limit_param: "limit",
//!     offset_kind: OffsetKind::Index,
//!     default_limit: Some(20),
//!     max_limit: None,
//!     items_field: "items",
//!     next_url_field: Some("nextUrl"),
//!     prev_url_field: None,
//!     total_field: Some("total"),
//!     next_offset_field: "next",
//! };
//!
//! #[derive(serde::Deserialize)]
//! struct Thing {
//!     id: Id,
//!     name: String,
//! }
//!
//! # async fn run() -> Result<(), Error> {
//! let client = ClientBuilder::new(&API, &API.environments[0])
//!     .key("live_0123456789")
//!     .build()?;
//!
//! // One object.
//! let path = format!("/things/{}", path_segment(&Id::from(42)));
//! let thing: Thing = client
//!     .send_json(Request::new("getThing", Method::GET, "v1", path, KeyUse::Required))
//!     .await?;
//! println!("{}: {}", thing.id, thing.name);
//!
//! // Every item of a listing, fetched page by page as the stream is read.
//! let mut request = Request::new("listThings", Method::GET, "v1", "/things".into(), KeyUse::Required);
//! request.query("city", "PARIS");
//! let things: Vec<Thing> = client.items(request, &THINGS, None, None).try_collect().await?;
//! println!("{} things", things.len());
//! # Ok(())
//! # }
//! ```

mod client;
mod de;
mod error;
mod pagination;
mod request;
mod retry;
mod scalars;
mod spec;
mod wire_enum;

pub use client::{AuthState, Client, ClientBuilder, HasKey, NoKey, WithKey};
pub use de::null_as_default;
pub use error::Error;
pub use pagination::{Offset, Page};
pub use request::{KeyUse, Request, ToParam, path_segment};
pub use retry::RetryPolicy;
pub use scalars::{
    EpochMillis, EpochSeconds, Id, LocalTime, money_serde, money_serde_nested, money_serde_opt,
};
pub use spec::{ApiSpec, EnvironmentSpec, OffsetKind, PageSpec, VersionSpec};
pub use wire_enum::deserialize_wire_value;
pub(crate) use wire_enum::wire_enum;

pub use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
pub use futures_core::Stream;
pub use reqwest::{Method, StatusCode, Url};
pub use rust_decimal::Decimal;
