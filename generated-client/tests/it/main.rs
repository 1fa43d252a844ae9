//! Tests of the runtime against real HTTP servers on loopback, with a made-up API.

mod config;
mod errors;
mod examples;
mod fixture;
mod generated;
mod pagination;
mod requests;
mod retries;
mod scalars;
mod transport;
