//! Snapshot tests of the generator: every file it writes, byte for byte.
//!
//! Each description in `tests/fixtures/` exercises one feature of the format, and the
//! files generated from it are committed under `tests/snapshots/<fixture>/`, so that a
//! change to the generator shows up in review as a change to its output. The full Headout
//! description is checked the same way against the committed client in
//! `generated-client/src/generated/`, which is its snapshot: keeping a second copy of those
//! thousands of lines here would only let the two drift apart.
//!
//! After an intended change, rewrite the fixture snapshots with
//! `UPDATE_SNAPSHOTS=1 cargo test -p codegen --test snapshots` and review the diff. On CI
//! (`CI=true`) nothing is rewritten: any difference, or a missing snapshot, fails.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

mod common;

use common::{generate, workspace};

/// The command that rewrites the fixture snapshots.
const UPDATE_COMMAND: &str = "UPDATE_SNAPSHOTS=1 cargo test -p codegen --test snapshots";

/// The command that rewrites the Headout client. Only xtask writes into the client crate,
/// so this test never rewrites it, even with `UPDATE_SNAPSHOTS=1`.
const XTASK_COMMAND: &str = "cargo xtask codegen";

/// The directory every generated path starts with; snapshots are stored without it.
const GENERATED_DIR: &str = "src/generated/";

/// The fixtures, by file stem. `every_fixture_has_a_test` keeps this list, the tests
/// below and the two directories in step.
const FIXTURES: &[&str] = &[
    "auth-policies",
    "collisions",
    "enums",
    "keywords",
    "optional-fields",
    "pagination",
    "params",
];

#[test]
fn auth_policies() {
    check_fixture("auth-policies");
}

#[test]
fn collisions() {
    check_fixture("collisions");
}

#[test]
fn enums() {
    check_fixture("enums");
}

#[test]
fn keywords() {
    check_fixture("keywords");
}

#[test]
fn optional_fields() {
    check_fixture("optional-fields");
}

#[test]
fn pagination() {
    check_fixture("pagination");
}

#[test]
fn params() {
    check_fixture("params");
}

/// The real description, compared with the committed client crate.
#[test]
fn headout_matches_the_committed_client() {
    let files = generate(&workspace().join("spec/headout.yaml"));
    let dir = workspace().join("generated-client").join(GENERATED_DIR);
    if let Err(problems) = compare(&files, &dir, Mode::Check) {
        panic!(
            "the committed Headout client differs from what the generator writes now:\n\n\
             {problems}\nIf the change is intended, regenerate it with `{XTASK_COMMAND}` and \
             review the diff."
        );
    }
}

/// A fixture without a test or a compile test, or a snapshot directory without a
/// fixture, would go unnoticed: the first is never checked, the second never cleaned up.
#[test]
fn every_fixture_has_a_test() {
    let stems = |dir: &Path, yaml: bool| -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .filter(|path| !yaml || path.extension().is_some_and(|ext| ext == "yaml"))
            .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        stems(&crate_dir().join("tests/fixtures"), true),
        FIXTURES,
        "tests/fixtures/*.yaml and FIXTURES in {} differ: add a test for each fixture",
        file!()
    );
    // Each snapshot is also compiled, by a program of the same name in the client crate's
    // compile tests; a fixture without one would be checked as text only.
    let compiled = stems(
        &workspace().join("generated-client/tests/ui/snapshots"),
        false,
    );
    assert_eq!(
        compiled,
        FIXTURES,
        "generated-client/tests/ui/snapshots/*.rs and FIXTURES in {} differ: add a compile \
         test for each fixture (copy one of them and change the fixture's name)",
        file!()
    );
    // A missing snapshot directory is reported by the fixture's own test; here only
    // directories left behind by a removed or renamed fixture are.
    let orphans: Vec<String> = stems(&crate_dir().join("tests/snapshots"), false)
        .into_iter()
        .filter(|name| !FIXTURES.contains(&name.as_str()))
        .collect();
    if Mode::from_env() == Mode::Update {
        for name in &orphans {
            let dir = crate_dir().join("tests/snapshots").join(name);
            fs::remove_dir_all(&dir).unwrap();
            eprintln!("removed {}", shown(&dir));
        }
    } else {
        assert!(
            orphans.is_empty(),
            "tests/snapshots/ holds directories of no fixture, remove them: {orphans:?}"
        );
    }
}

/// Generates one fixture, checks that every file is valid Rust, and compares the files
/// with the committed snapshots (or rewrites them when asked to).
fn check_fixture(name: &str) {
    let files = generate(&crate_dir().join(format!("tests/fixtures/{name}.yaml")));
    for file in &files {
        let body = file
            .contents
            .strip_prefix(codegen::HEADER)
            .unwrap_or_else(|| panic!("{name}: {} does not start with the header", file.path));
        if let Err(e) = syn::parse_file(body) {
            panic!("{name}: {} is not valid Rust: {e}", file.path);
        }
    }
    let dir = crate_dir().join("tests/snapshots").join(name);
    if let Err(problems) = compare(&files, &dir, Mode::from_env()) {
        let ignored = if Mode::update_requested() {
            "UPDATE_SNAPSHOTS is ignored because CI=true: snapshots are only rewritten locally.\n"
        } else {
            ""
        };
        panic!(
            "the snapshots of fixture `{name}` differ from what the generator writes now:\n\n\
             {problems}\n{ignored}If the change is intended, rewrite them with `{UPDATE_COMMAND}` \
             and review the diff."
        );
    }
}

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `path` relative to the workspace, as a reader would type it.
fn shown(path: &Path) -> String {
    let workspace = workspace();
    path.strip_prefix(&workspace)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Whether differences fail the test or rewrite the snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Check,
    Update,
}

impl Mode {
    /// `Update` when `UPDATE_SNAPSHOTS` asks for it, unless `CI` is set: on CI a stale or
    /// missing snapshot must fail rather than be written into a throwaway checkout.
    fn from_env() -> Self {
        if Self::update_requested() && !on_ci() {
            Mode::Update
        } else {
            Mode::Check
        }
    }

    fn update_requested() -> bool {
        std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| !v.is_empty() && v != "0")
    }
}

fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Compares the generated `files` with the snapshot directory `dir`: every file must be
/// there with the same bytes, and the directory must hold nothing else. In `Update` mode
/// the directory is made to match instead. Returns the report of every difference.
fn compare(files: &[codegen::GeneratedFile], dir: &Path, mode: Mode) -> Result<(), String> {
    let expected: BTreeMap<String, &str> = files
        .iter()
        .map(|file| {
            let relative = file
                .path
                .strip_prefix(GENERATED_DIR)
                .unwrap_or(&file.path)
                .to_string();
            (relative, file.contents.as_str())
        })
        .collect();
    let committed = files_under(dir);
    let mut report = String::new();
    for (relative, contents) in &expected {
        let path = dir.join(relative);
        let old = fs::read_to_string(&path).ok();
        if old.as_deref() == Some(*contents) {
            continue;
        }
        if mode == Mode::Update {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, contents).unwrap();
            eprintln!("updated {}", shown(&path));
            continue;
        }
        match old {
            None => report.push_str(&format!("{}: missing\n", shown(&path))),
            Some(old) => {
                report.push_str(&format!("{}: differs\n", shown(&path)));
                report.push_str(&short_diff(&old, contents));
            }
        }
    }
    for relative in committed.iter().filter(|r| !expected.contains_key(*r)) {
        let path = dir.join(relative);
        if mode == Mode::Update {
            fs::remove_file(&path).unwrap();
            eprintln!("removed {}", shown(&path));
        } else {
            report.push_str(&format!(
                "{}: no longer generated, remove it\n",
                shown(&path)
            ));
        }
    }
    if report.is_empty() {
        Ok(())
    } else {
        Err(report)
    }
}

/// The paths of the files under `dir`, relative to it and with `/` separators; none when
/// `dir` does not exist yet.
fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let Ok(entries) = fs::read_dir(&current) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                let parts: Vec<_> = relative.iter().map(|p| p.to_string_lossy()).collect();
                found.push(parts.join("/"));
            }
        }
    }
    found.sort();
    found
}

/// How many unchanged lines to show around the changed ones, and how many changed lines
/// of each side to show at most: enough to see what changed without flooding the output.
const CONTEXT: usize = 2;
const MAX_CHANGED: usize = 12;

/// A unified-style hunk of the region between the first and the last differing line of
/// `old` (the snapshot, `-`) and `new` (the generator's output, `+`), cut short when long.
fn short_diff(old: &str, new: &str) -> String {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (old_changed, new_changed) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );
    let start = prefix.saturating_sub(CONTEXT);
    let mut out = format!(
        "@@ -{},{} +{},{} @@\n",
        prefix + 1,
        old_changed.len(),
        prefix + 1,
        new_changed.len()
    );
    for line in &old[start..prefix] {
        out.push_str(&format!("  {line}\n"));
    }
    for (sign, lines) in [('-', old_changed), ('+', new_changed)] {
        for line in lines.iter().take(MAX_CHANGED) {
            out.push_str(&format!("{sign} {line}\n"));
        }
        if lines.len() > MAX_CHANGED {
            out.push_str(&format!(
                "{sign} … {} more changed lines\n",
                lines.len() - MAX_CHANGED
            ));
        }
    }
    let end = (old.len() - suffix + CONTEXT).min(old.len());
    for line in &old[old.len() - suffix..end] {
        out.push_str(&format!("  {line}\n"));
    }
    if old_changed.is_empty() && new_changed.is_empty() {
        // Same lines, different bytes: a trailing newline or a line ending changed.
        out.push_str("  (the lines are equal; the line endings or the final newline differ)\n");
    }
    out
}
