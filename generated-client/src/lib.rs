//! Typed async client for the Headout Partner API, generated from `spec/headout.yaml`.

// The generated part: models, environments and one module per API version, written by
// `cargo xtask codegen`. prettyplease formats it; rustfmt must leave it alone.
#[rustfmt::skip]
mod generated;
pub use generated::*;

pub mod runtime;

pub use runtime::{
    Client, ClientBuilder, Decimal, EpochMillis, EpochSeconds, Error, Id, LocalTime, NaiveDate,
    NaiveDateTime, NoKey, Offset, Page, WithKey,
};

// The README's example is compiled (not run) as a doctest, so it cannot drift from the
// generated API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
