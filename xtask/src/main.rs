//! Project automation, run as `cargo xtask <command>`.
//!
//! `cargo xtask codegen` regenerates the client from `spec/headout.yaml`;
//! `cargo xtask codegen --check` writes nothing and fails when the committed client is
//! stale; `--spec PATH --out DIR` generates another description into another crate.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "\
usage: cargo xtask codegen [--check] [--spec PATH] [--out DIR]

  --check       write nothing; fail if any generated file is missing, different or stale
  --spec PATH   the API description (default: spec/headout.yaml)
  --out DIR     the client crate to write into (default: generated-client)";

/// What `codegen` should do.
#[derive(Debug)]
struct Options {
    check: bool,
    spec: PathBuf,
    out: PathBuf,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => parse_options(&args[1..]).and_then(|options| codegen(&options)),
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent directory")
        .to_path_buf()
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let root = workspace_root();
    let mut options = Options {
        check: false,
        spec: root.join("spec/headout.yaml"),
        out: root.join("generated-client"),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => options.check = true,
            "--spec" => options.spec = args.next().ok_or("--spec needs a path")?.into(),
            "--out" => options.out = args.next().ok_or("--out needs a directory")?.into(),
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
    }
    Ok(options)
}

/// The changes that would bring `out` in line with the description.
#[derive(Debug, Default, PartialEq, Eq)]
struct Plan {
    /// Files to write, with their new contents.
    write: Vec<(PathBuf, String)>,
    /// Generated files the description no longer produces.
    remove: Vec<PathBuf>,
    /// How many files are already up to date.
    unchanged: usize,
}

fn plan(options: &Options) -> Result<Plan, String> {
    let loaded = spec::load(&options.spec).map_err(|problems| problems.to_string())?;
    if !loaded.warnings.0.is_empty() {
        eprintln!("{}", loaded.warnings);
    }
    let files = codegen::generate(&loaded.spec)
        .map_err(|error| format!("the generator produced invalid Rust: {error}"))?;
    let mut plan = Plan::default();
    for file in &files {
        let path = options.out.join(&file.path);
        match std::fs::read_to_string(&path) {
            Ok(current) if current == file.contents => plan.unchanged += 1,
            _ => plan.write.push((path, file.contents.clone())),
        }
    }
    // Any file in the generated folder that carries the header but is not produced any
    // more is stale; hand-written files (without the header) are never touched.
    let produced: Vec<PathBuf> = files.iter().map(|f| options.out.join(&f.path)).collect();
    for dir in files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent())
        .collect::<std::collections::BTreeSet<_>>()
    {
        let Ok(entries) = std::fs::read_dir(options.out.join(dir)) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            let generated =
                std::fs::read_to_string(&path).is_ok_and(|text| text.starts_with(codegen::HEADER));
            if generated && !produced.contains(&path) {
                plan.remove.push(path);
            }
        }
    }
    Ok(plan)
}

fn codegen(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let plan = plan(options)?;
    let shown = |path: &Path| {
        path.strip_prefix(workspace_root())
            .unwrap_or(path)
            .display()
            .to_string()
    };
    if options.check {
        if plan.write.is_empty() && plan.remove.is_empty() {
            println!("generated code is up to date ({} files)", plan.unchanged);
            return Ok(());
        }
        let mut message = String::from("generated code is out of date:\n");
        for (path, _) in &plan.write {
            message.push_str(&format!("  stale:   {}\n", shown(path)));
        }
        for path in &plan.remove {
            message.push_str(&format!("  removed: {}\n", shown(path)));
        }
        message.push_str("run `cargo xtask codegen` and commit the result");
        return Err(message);
    }
    for (path, contents) in &plan.write {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(path, contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("wrote   {}", shown(path));
    }
    for path in &plan.remove {
        std::fs::remove_file(path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        println!("removed {}", shown(path));
    }
    println!(
        "{} written, {} removed, {} unchanged in {:.1?}",
        plan.write.len(),
        plan.remove.len(),
        plan.unchanged,
        started.elapsed()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails when the committed client differs from what the description generates, so
    /// `cargo test --workspace` catches a forgotten `cargo xtask codegen`.
    #[test]
    fn generated_client_is_up_to_date() {
        let options = parse_options(&["--check".to_string()]).unwrap();
        if let Err(message) = codegen(&options) {
            panic!("{message}");
        }
    }
}
