//! The client of a made-up API, generated from `library.yaml` beside this file, built and
//! tested against loopback servers.
//!
//! The Lending Library API shares no fact with Headout: its key travels in
//! `X-Library-Key`, its environments are `main-branch` and `reading-room` with the key
//! prefixes `mb_` and `rr_`, its versions are `v3` and `staff` without legacy prefixes,
//! and it pages with opaque string cursors (`after`, `continueAfter`) and items under
//! `entries` or `loans`. That the generated client compiles and behaves proves that the
//! generator and the runtime know the description format, not one API.
//!
//! `cargo xtask codegen` writes `generated/`, and `cargo xtask codegen --check` (run by
//! xtask's tests too) fails when it is stale.

// The generated code calls `crate::runtime::…` and adds inherent methods to
// `crate::runtime::Client` (`Client::builder`, `client.v3()`), which Rust allows only in
// the crate that defines `Client`. Re-exporting `headout_client::runtime` would make
// `Client` a foreign type, so this test crate compiles its own copy of the hand-written
// runtime, as a crate generated for this API would ship one. Items that neither the
// generated code nor these tests use are dead in this binary, though not in a library.
#[path = "../../src/runtime/mod.rs"]
#[allow(dead_code, unused_imports)]
mod runtime;

// Written by `cargo xtask codegen`; prettyplease formats it and rustfmt must leave it
// alone. Not every generated item is called by the tests, which is no sign of dead code.
#[rustfmt::skip]
#[allow(dead_code)]
mod generated;

mod calls;
mod pagination;
mod server;
