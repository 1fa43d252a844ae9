//! Compile tests of the generated Headout client, as downstream code uses it, and of the
//! generator's snapshots.
//!
//! `ui/pass/` holds programs that must build (and run, without touching the network);
//! `ui/fail/` holds misuse the types must reject, each with the compiler's message in a
//! `.stderr` file beside it. After a deliberate change to those messages, rewrite them with
//! `TRYBUILD=overwrite cargo test -p headout-client --test ui` and read the diff.
//!
//! `ui/snapshots/` holds one program per fixture of `codegen/tests/fixtures/`: it compiles
//! that fixture's committed snapshot with the runtime and denies warnings, so that every
//! snapshot is also a compile test (as typify's are).

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.pass("tests/ui/snapshots/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
