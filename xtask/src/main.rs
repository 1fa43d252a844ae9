//! Project automation, run as `cargo xtask <command>`.
//!
//! `cargo xtask codegen` regenerates every committed client: the Headout client from
//! `spec/headout.yaml`, and the client of a made-up API that the `other_api` test of
//! `generated-client` builds and tests, so that drift in either is caught.
//! `cargo xtask codegen --check` writes nothing and fails when a committed client is
//! stale; `--spec PATH --out DIR` generates one other description into another crate.
//! `cargo xtask bench` measures the generator, the generated code and the runtime and
//! prints one table (see `bench.rs`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

mod bench;

const USAGE: &str = "\
usage: cargo xtask codegen [--check] [--spec PATH] [--out DIR]
       cargo xtask bench [--smoke]

Without --spec and --out, regenerates every committed client:
  spec/headout.yaml                             -> generated-client/src/generated/
  generated-client/tests/other_api/library.yaml -> generated-client/tests/other_api/generated/

  --check       write nothing; fail if any generated file is missing, different or stale
  --spec PATH   generate only this API description (default: spec/headout.yaml)
  --out DIR     the client crate to write it into, under src/generated/ (default: generated-client)

bench measures the generator, the generated code, the runtime against a hand-written
baseline, and paging memory, and prints one table; --smoke uses tiny sizes.";

/// The committed clients, as (description, folder of the generated module) relative to
/// the workspace root. The second is a made-up API that shares no fact with Headout: its
/// client is built and tested by `generated-client/tests/other_api/main.rs`, which proves
/// that the generator and the runtime carry no Headout assumption.
const TARGETS: &[(&str, &str)] = &[
    ("spec/headout.yaml", "generated-client/src/generated"),
    (
        "generated-client/tests/other_api/library.yaml",
        "generated-client/tests/other_api/generated",
    ),
];

/// One description and the folder its generated module goes into.
#[derive(Debug, PartialEq, Eq)]
struct Target {
    /// The API description.
    spec: PathBuf,
    /// The folder of the generated module, where `mod.rs` is written.
    module_dir: PathBuf,
}

/// What `codegen` should do.
#[derive(Debug)]
struct Options {
    check: bool,
    targets: Vec<Target>,
    /// The command that regenerates these targets, named when `--check` fails.
    command: String,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => parse_options(&args[1..]).and_then(|options| codegen(&options)),
        Some("bench") => bench::run(&args[1..]),
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

/// Where the generator puts its module inside a client crate (`src/generated`): every
/// file it produces lies below it, and `--out DIR` writes them below `DIR/src/generated`.
fn generated_root() -> &'static Path {
    Path::new(codegen::emit::MOD_PATH)
        .parent()
        .expect("the generated module's root is inside a folder")
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut check = false;
    let mut spec: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--spec" => spec = Some(args.next().ok_or("--spec needs a path")?.into()),
            "--out" => out = Some(args.next().ok_or("--out needs a directory")?.into()),
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
    }
    let root = workspace_root();
    if spec.is_none() && out.is_none() {
        return Ok(Options {
            check,
            targets: TARGETS
                .iter()
                .map(|(spec, module_dir)| Target {
                    spec: root.join(spec),
                    module_dir: root.join(module_dir),
                })
                .collect(),
            command: "cargo xtask codegen".to_string(),
        });
    }
    // A one-off generation: the options that were given are repeated in the command a
    // failed check names, so that it regenerates the same target.
    let mut command = String::from("cargo xtask codegen");
    if let Some(spec) = &spec {
        command.push_str(&format!(" --spec {}", spec.display()));
    }
    if let Some(out) = &out {
        command.push_str(&format!(" --out {}", out.display()));
    }
    let out = out.unwrap_or_else(|| root.join("generated-client"));
    Ok(Options {
        check,
        targets: vec![Target {
            spec: spec.unwrap_or_else(|| root.join(TARGETS[0].0)),
            module_dir: out.join(generated_root()),
        }],
        command,
    })
}

/// The changes that would bring the committed clients in line with their descriptions.
#[derive(Debug, Default, PartialEq, Eq)]
struct Plan {
    /// Files to write, with their new contents.
    write: Vec<(PathBuf, String)>,
    /// Generated files the description no longer produces.
    remove: Vec<PathBuf>,
    /// How many files are already up to date.
    unchanged: usize,
}

/// Where a generated file goes: its path below the generator's `src/generated` root,
/// placed in the target's module folder.
fn destination(target: &Target, file: &codegen::GeneratedFile) -> Result<PathBuf, String> {
    let inside = Path::new(&file.path)
        .strip_prefix(generated_root())
        .map_err(|_| {
            format!(
                "the generator produced `{}`, outside its module `{}`",
                file.path,
                generated_root().display()
            )
        })?;
    Ok(target.module_dir.join(inside))
}

/// Adds what `target` needs to `plan`.
fn plan_target(target: &Target, plan: &mut Plan) -> Result<(), String> {
    let loaded = spec::load(&target.spec).map_err(|problems| problems.to_string())?;
    if !loaded.warnings.0.is_empty() {
        eprintln!("{}", loaded.warnings);
    }
    let files = codegen::generate(&loaded.spec).map_err(|error| {
        format!(
            "the generator produced invalid Rust for {}: {error}",
            target.spec.display()
        )
    })?;
    let mut produced = Vec::new();
    for file in &files {
        let path = destination(target, file)?;
        match std::fs::read_to_string(&path) {
            Ok(current) if current == file.contents => plan.unchanged += 1,
            _ => plan.write.push((path.clone(), file.contents.clone())),
        }
        produced.push(path);
    }
    // Any file in a generated folder that carries the header but is not produced any
    // more is stale; hand-written files (without the header) are never touched.
    let dirs: std::collections::BTreeSet<&Path> =
        produced.iter().filter_map(|path| path.parent()).collect();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
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
    Ok(())
}

fn plan(options: &Options) -> Result<Plan, String> {
    let mut plan = Plan::default();
    for target in &options.targets {
        plan_target(target, &mut plan)?;
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
            println!(
                "generated code is up to date ({} files, {})",
                plan.unchanged,
                clients(options.targets.len())
            );
            return Ok(());
        }
        let mut message = String::from("generated code is out of date:\n");
        for (path, _) in &plan.write {
            message.push_str(&format!("  stale:   {}\n", shown(path)));
        }
        for path in &plan.remove {
            message.push_str(&format!("  removed: {}\n", shown(path)));
        }
        message.push_str(&format!("run `{}` and commit the result", options.command));
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
        "{} written, {} removed, {} unchanged ({}) in {:.1?}",
        plan.write.len(),
        plan.remove.len(),
        plan.unchanged,
        clients(options.targets.len()),
        started.elapsed()
    );
    Ok(())
}

/// `1 client`, `2 clients`.
fn clients(count: usize) -> String {
    if count == 1 {
        "1 client".to_string()
    } else {
        format!("{count} clients")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    /// Fails when a committed client differs from what its description generates, so
    /// `cargo test --workspace` catches a forgotten `cargo xtask codegen`. It checks every
    /// target: the Headout client and the made-up API's client of the `other_api` test.
    #[test]
    fn generated_client_is_up_to_date() {
        let options = parse_options(&args(&["--check"])).unwrap();
        assert_eq!(options.targets.len(), TARGETS.len());
        if let Err(message) = codegen(&options) {
            panic!("{message}");
        }
    }

    #[test]
    fn without_spec_or_out_every_committed_client_is_a_target() {
        let options = parse_options(&[]).unwrap();
        let root = workspace_root();
        assert_eq!(
            options.targets,
            [
                Target {
                    spec: root.join("spec/headout.yaml"),
                    module_dir: root.join("generated-client/src/generated"),
                },
                Target {
                    spec: root.join("generated-client/tests/other_api/library.yaml"),
                    module_dir: root.join("generated-client/tests/other_api/generated"),
                },
            ]
        );
        assert_eq!(options.command, "cargo xtask codegen");
    }

    #[test]
    fn spec_and_out_make_one_target_inside_the_crate() {
        let options =
            parse_options(&args(&["--spec", "api.yaml", "--out", "client", "--check"])).unwrap();
        assert!(options.check);
        assert_eq!(
            options.targets,
            [Target {
                spec: "api.yaml".into(),
                module_dir: Path::new("client").join("src/generated"),
            }]
        );
        assert_eq!(
            options.command,
            "cargo xtask codegen --spec api.yaml --out client"
        );
    }

    #[test]
    fn generated_files_land_in_the_module_folder() {
        let target = Target {
            spec: "api.yaml".into(),
            module_dir: "tests/other/generated".into(),
        };
        let file = |path: &str| codegen::GeneratedFile {
            path: path.to_string(),
            contents: String::new(),
        };
        assert_eq!(
            destination(&target, &file("src/generated/v1.rs")),
            Ok(PathBuf::from("tests/other/generated/v1.rs"))
        );
        assert!(destination(&target, &file("src/lib.rs")).is_err());
    }

    #[test]
    fn unknown_options_are_refused_with_the_usage() {
        let error = parse_options(&args(&["--chek"])).unwrap_err();
        assert!(error.contains("unknown option `--chek`"), "{error}");
        assert!(error.contains("usage: cargo xtask codegen"), "{error}");
    }
}
