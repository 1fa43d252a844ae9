//! Data-driven tests of the loader's diagnostics, one small description per rule.
//!
//! Every file in `tests/fixtures/invalid/` is a description with exactly one mistake. It
//! starts with `# expect: TEXT` comment lines, one per diagnostic the loader must print
//! (`LINE:COL: error at PATH: message`) and, where useful, one for its help
//! (`help: …`). The test loads each file, renders every diagnostic and checks that
//!
//! - each expected text appears in what was rendered, and
//! - as many errors were printed as there are `# expect:` lines saying `error` (the same
//!   for warnings), so a mistake that drags follow-on errors behind it fails the test.
//!
//! Every file in `tests/fixtures/valid/` must load with no error; it may expect warnings
//! the same way.
//!
//! To write the expectations of a new fixture, run
//!
//! ```sh
//! UPDATE_EXPECT=1 cargo test -q -p spec --test it fixtures -- --nocapture
//! ```
//!
//! which prints what the loader says about every fixture as `# expect:` lines
//! (`UPDATE_EXPECT=<part of a file name>` prints the matching fixtures only). Nothing is
//! rewritten: read the output, and copy the lines that say what the loader should say.

mod mutations;

use std::path::{Path, PathBuf};

use spec::{Diagnostic, Diagnostics};

/// Fewer invalid fixtures than this means some were lost.
const MIN_INVALID_FIXTURES: usize = 30;

fn fixture_dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(kind)
}

/// The `.yaml` files of a fixture folder, in name order.
fn fixture_files(kind: &str) -> Vec<PathBuf> {
    let dir = fixture_dir(kind);
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    files
}

/// The `# expect:` lines of a fixture, without the prefix.
fn expectations(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|line| line.strip_prefix("# expect:"))
        .map(str::trim)
        .collect()
}

/// What a diagnostic looks like in an expectation: its rendering without the file name,
/// e.g. `12:5: error at versions.v1.prefix: …` and `help: …` on their own lines.
fn render(diagnostic: &Diagnostic) -> Vec<String> {
    let text = diagnostic.to_string();
    let file = diagnostic.file.display().to_string();
    let text = text.strip_prefix(&file).unwrap_or(&text);
    let text = text.strip_prefix(':').unwrap_or(text);
    text.lines().map(|line| line.trim().to_string()).collect()
}

/// The loader's diagnostics for a fixture, errors and warnings, whether it loaded or not.
fn diagnostics(name: &str, text: &str) -> (bool, Diagnostics) {
    match spec::load_str(name, text) {
        Ok(loaded) => (true, loaded.warnings),
        Err(problems) => (false, problems),
    }
}

/// Whether an expectation is about an error (`12:5: error at …`, `error: …`), a warning,
/// or neither (a `help:` line).
fn severity_of(expectation: &str) -> Option<&'static str> {
    // Skip the `LINE:COL: ` in front, when there is one.
    let mut rest = expectation;
    if let Some((position, after)) = expectation.split_once(": ")
        && !position.is_empty()
        && position.chars().all(|c| c.is_ascii_digit() || c == ':')
    {
        rest = after;
    }
    if rest.starts_with("error at ") || rest.starts_with("error: ") {
        Some("error")
    } else if rest.starts_with("warning at ") || rest.starts_with("warning: ") {
        Some("warning")
    } else {
        None
    }
}

/// Checks one fixture against its expectations; `Err` says what differs.
fn check(name: &str, text: &str, must_load: bool) -> Result<(), String> {
    let expected = expectations(text);
    let (loaded, problems) = diagnostics(name, text);
    let rendered: Vec<String> = problems.0.iter().flat_map(render).collect();
    let actual = rendered.join("\n");
    let mut failures = Vec::new();
    for expectation in &expected {
        if !actual.contains(expectation) {
            failures.push(format!("expected, not printed: {expectation}"));
        }
    }
    let count = |severity: &str| {
        expected
            .iter()
            .filter(|e| severity_of(e) == Some(severity))
            .count()
    };
    let (errors, warnings) = (problems.errors().count(), problems.warnings().count());
    if errors != count("error") {
        failures.push(format!(
            "{errors} error(s) printed, {} expected",
            count("error")
        ));
    }
    if warnings != count("warning") {
        failures.push(format!(
            "{warnings} warning(s) printed, {} expected",
            count("warning")
        ));
    }
    if must_load && !loaded {
        failures.push("the description did not load".to_string());
    }
    if !must_load && count("error") == 0 {
        failures.push("an invalid fixture must expect at least one error".to_string());
    }
    for problem in problems.errors() {
        if problem.position.is_none() {
            failures.push(format!("an error without a position: {problem}"));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\nprinted:\n{}",
            failures.join("\n"),
            indent(&actual)
        ))
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|line| format!("    {line}\n")).collect()
}

/// With `UPDATE_EXPECT` set, prints a fixture's diagnostics as `# expect:` lines.
fn print_expectations(name: &str, text: &str) {
    let Ok(filter) = std::env::var("UPDATE_EXPECT") else {
        return;
    };
    if filter != "1" && !name.contains(&filter) {
        return;
    }
    let (_, problems) = diagnostics(name, text);
    println!("--- {name}");
    for line in problems.0.iter().flat_map(render) {
        println!("# expect: {line}");
    }
}

/// Runs `check` on every fixture of a folder and reports every failing one at once.
fn check_folder(kind: &str, must_load: bool) -> usize {
    let files = fixture_files(kind);
    let mut failures = Vec::new();
    for path in &files {
        let name = format!(
            "{kind}/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|error| panic!("cannot read {name}: {error}"));
        print_expectations(&name, &text);
        if let Err(failure) = check(&name, &text, must_load) {
            failures.push(format!("{name}:\n{}", indent(&failure)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixture(s) in {kind}/ failed (UPDATE_EXPECT=1 … -- --nocapture prints what the loader says):\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    files.len()
}

#[test]
fn each_invalid_fixture_prints_exactly_its_expected_diagnostics() {
    let count = check_folder("invalid", false);
    assert!(
        count >= MIN_INVALID_FIXTURES,
        "only {count} invalid fixtures; there must be at least {MIN_INVALID_FIXTURES}"
    );
}

#[test]
fn each_valid_fixture_loads_without_errors() {
    let count = check_folder("valid", true);
    assert!(count > 0, "no valid fixtures found");
}

#[test]
fn an_unused_model_is_a_warning_and_the_description_still_loads() {
    let path = fixture_dir("valid").join("unused-model-is-a-warning.yaml");
    let loaded = spec::load(&path).unwrap_or_else(|problems| panic!("{problems}"));
    let warnings: Vec<&Diagnostic> = loaded.warnings.warnings().collect();
    assert_eq!(warnings.len(), 1, "{}", loaded.warnings);
    assert!(
        warnings[0].message.contains("`Owner` is not used"),
        "{}",
        warnings[0]
    );
    assert!(
        loaded.spec.model("Owner").is_some(),
        "an unused model is still part of the spec"
    );
}

#[test]
fn keywords_are_allowed_as_names() {
    let loaded = spec::load(fixture_dir("valid").join("keywords-as-names.yaml"))
        .unwrap_or_else(|problems| panic!("{problems}"));
    assert!(loaded.spec.operation("v1", "async", "type").is_some());
    assert!(loaded.spec.operation("v1", "async", "match").is_some());
}

#[test]
fn the_harness_counts_severities_of_expectations() {
    assert_eq!(
        severity_of("41:9: error at operations.v1.pets.get.auth: `auth: none` …"),
        Some("error")
    );
    assert_eq!(severity_of("1:1: error: missing key `auth`"), Some("error"));
    assert_eq!(
        severity_of("error: the description is empty"),
        Some("error")
    );
    assert_eq!(
        severity_of("31:3: warning at models.Owner: model `Owner` is not used"),
        Some("warning")
    );
    assert_eq!(
        severity_of("help: add `model: SomeModel` for the error body"),
        None
    );
    assert_eq!(severity_of("help: error: not a diagnostic"), None);
}
