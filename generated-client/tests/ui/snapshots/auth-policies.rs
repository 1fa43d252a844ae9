//! The generator's snapshot of `codegen/tests/fixtures/auth-policies.yaml` compiles, without a
//! warning, against the runtime.

#![deny(warnings)]

// The generated code names `crate::runtime` and `crate::generated`, and adds inherent
// methods to `crate::runtime::Client`, which Rust allows only in the crate that defines
// it: this program compiles its own copy of the runtime, as `tests/other_api` does.
// Only `main` uses them, and hardly, which is no sign of dead code. rustfmt must leave
// the generated files as prettyplease wrote them.
#[path = "../../../src/runtime/mod.rs"]
#[allow(dead_code, unused_imports)]
mod runtime;

#[path = "../../../../codegen/tests/snapshots/auth-policies/mod.rs"]
#[rustfmt::skip]
#[allow(dead_code)]
mod generated;

// The generated module re-exports `api::*` for a client crate's users; naming
// `Environment` through it, as they do, keeps that re-export from being unused here.
fn main() {
    let _ = generated::Environment::ALL;
}
