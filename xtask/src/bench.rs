//! `cargo xtask bench`: measures the generator, the generated code and the client, and
//! prints one table.
//!
//! xtask only orchestrates, with std: it builds and runs two release examples that
//! measure in process and print `key<TAB>value` lines (`codegen/examples/bench_generator.rs`
//! and `generated-client/examples/bench_runtime.rs`), times `cargo build` of the
//! generated crate in its own target directory (`target/bench`, so that the shared
//! `target/` is not disturbed), and puts every figure beside its baseline and ratio.
//!
//! `--smoke` runs both examples with tiny sizes and skips the build timings, to check
//! the plumbing in seconds; its figures mean nothing.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const USAGE: &str = "usage: cargo xtask bench [--smoke]";

/// The generated file whose modification time the incremental rebuild changes.
const TOUCHED: &str = "generated-client/src/generated/models.rs";
/// The folder of the generated code that is counted.
const GENERATED_DIR: &str = "generated-client/src/generated";
/// How many times the incremental rebuild is timed; the median is shown.
const REBUILDS: usize = 3;

/// Runs the benchmark: `args` are the arguments after `bench`.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut smoke = false;
    for arg in args {
        match arg.as_str() {
            "--smoke" => smoke = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
    }
    let started = Instant::now();
    let root = workspace_root();
    let cargo = Cargo::new(&root);
    let mut phases: Vec<(&str, Duration)> = Vec::new();
    let environment = environment();

    eprintln!("bench: building the two benchmark examples (release)…");
    let phase = Instant::now();
    cargo.run("build --release -p codegen --example bench_generator", None)?;
    cargo.run(
        "build --release -p headout-client --example bench_runtime",
        None,
    )?;
    phases.push(("release build of the two examples", phase.elapsed()));

    let smoke_arg = if smoke { " -- --smoke" } else { "" };
    eprintln!("bench: generator…");
    let phase = Instant::now();
    let generator = parse_figures(&cargo.run(
        &format!("run --release -q -p codegen --example bench_generator{smoke_arg}"),
        None,
    )?)?;
    phases.push(("generator benchmark", phase.elapsed()));

    let code = count_generated(&root.join(GENERATED_DIR))?;
    let builds = if smoke {
        None
    } else {
        eprintln!("bench: build times of headout-client (target/bench)…");
        let phase = Instant::now();
        let builds = time_builds(&cargo, &root)?;
        phases.push(("build timings of headout-client", phase.elapsed()));
        Some(builds)
    };

    eprintln!("bench: runtime…");
    let phase = Instant::now();
    let runtime = parse_figures(&cargo.run(
        &format!("run --release -q -p headout-client --example bench_runtime{smoke_arg}"),
        None,
    )?)?;
    phases.push(("runtime benchmark", phase.elapsed()));

    let table = Table::build(&generator, &code, builds.as_ref(), &runtime)?;
    println!(
        "{}",
        report(&environment, &table, &phases, started.elapsed(), smoke)
    );
    Ok(())
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent directory")
        .to_path_buf()
}

/// Runs cargo subcommands from the workspace root.
struct Cargo {
    program: String,
    root: PathBuf,
}

impl Cargo {
    fn new(root: &Path) -> Self {
        // `cargo xtask` runs under cargo, which names itself in `CARGO`; the same cargo
        // (and toolchain) then builds the benchmarks.
        let program = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        Cargo {
            program,
            root: root.to_path_buf(),
        }
    }

    /// Runs `cargo ARGS` (in `target_dir` when given) and returns its standard output,
    /// or its whole output when it fails. `args` is split at spaces: no argument here
    /// contains one.
    fn run(&self, args: &str, target_dir: Option<&Path>) -> Result<String, String> {
        let mut command = Command::new(&self.program);
        command
            .args(args.split_whitespace())
            .current_dir(&self.root);
        if let Some(dir) = target_dir {
            command.env("CARGO_TARGET_DIR", dir);
        }
        let output = command
            .output()
            .map_err(|e| format!("cannot run `{} {}`: {e}", self.program, args))?;
        if !output.status.success() {
            return Err(format!(
                "`cargo {}` failed ({}):\n{}{}",
                args,
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        String::from_utf8(output.stdout)
            .map_err(|_| format!("`cargo {}` printed something that is not UTF-8", args))
    }

    /// Times `cargo ARGS` in `target_dir`.
    fn time(&self, args: &str, target_dir: &Path) -> Result<Duration, String> {
        let started = Instant::now();
        self.run(args, Some(target_dir))?;
        Ok(started.elapsed())
    }
}

/// Where the benchmark runs.
struct Environment {
    date: String,
    cores: usize,
    cpu: String,
    memory: String,
    os: String,
    rustc: String,
}

fn environment() -> Environment {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, name)| name.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.1} GiB RAM", kib / (1024.0 * 1024.0)))
        })
        .unwrap_or_else(|| "unknown RAM".to_owned());
    let rustc = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned()))
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "rustc (unknown version)".to_owned());
    Environment {
        date: utc_now(),
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        cpu,
        memory,
        os: format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH),
        rustc,
    }
}

/// The current date and time in UTC, e.g. `2026-04-30 20:41 UTC`, from the system
/// clock alone (std has no calendar).
fn utc_now() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rest / 3_600,
        rest % 3_600 / 60
    )
}

/// The Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The `key<TAB>value` lines an example printed.
struct Figures(BTreeMap<String, String>);

fn parse_figures(text: &str) -> Result<Figures, String> {
    let mut figures = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let (key, value) = line
            .split_once('\t')
            .ok_or_else(|| format!("a benchmark printed `{line}`, not `key<TAB>value`"))?;
        figures.insert(key.to_owned(), value.trim().to_owned());
    }
    Ok(Figures(figures))
}

impl Figures {
    fn num(&self, key: &str) -> Result<f64, String> {
        let value = self
            .0
            .get(key)
            .ok_or_else(|| format!("the benchmark printed no `{key}`"))?;
        value
            .parse()
            .map_err(|_| format!("`{key}` is `{value}`, not a number"))
    }

    /// The keys `PREFIX.N.…` as the sorted, distinct numbers `N`.
    fn sizes(&self, prefix: &str) -> Vec<u64> {
        let mut sizes: Vec<u64> = self
            .0
            .keys()
            .filter_map(|k| k.strip_prefix(prefix)?.split('.').next()?.parse().ok())
            .collect();
        sizes.sort_unstable();
        sizes.dedup();
        sizes
    }
}

/// Lines and bytes of the generated code.
struct Code {
    files: usize,
    lines: usize,
    bytes: usize,
}

fn count_generated(dir: &Path) -> Result<Code, String> {
    let mut code = Code {
        files: 0,
        lines: 0,
        bytes: 0,
    };
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            code.files += 1;
            code.lines += text.lines().count();
            code.bytes += text.len();
        }
    }
    Ok(code)
}

/// Build times of the generated crate, in the dev profile a downstream `cargo build`
/// uses.
struct Builds {
    /// The first build in `target/bench`, with dependencies (fast when they are there
    /// from an earlier run).
    warm_up: Duration,
    /// `cargo build` with nothing to do: cargo's fixed cost.
    no_op: Duration,
    /// After `cargo clean -p headout-client`: the crate's own code, dependencies built.
    clean: Duration,
    /// After changing the modification time of one generated file (median of
    /// [`REBUILDS`]).
    touched: Duration,
}

fn time_builds(cargo: &Cargo, root: &Path) -> Result<Builds, String> {
    let target = root.join("target/bench");
    let builds = Builds {
        warm_up: cargo.time(BUILD, &target)?,
        no_op: timed_build(cargo, root, &target, || Ok(()))?,
        // Only this package's artifacts go: its dependencies stay built.
        clean: timed_build(cargo, root, &target, || {
            cargo
                .run("clean -p headout-client", Some(&target))
                .map(drop)
        })?,
        touched: {
            let mut times = Vec::with_capacity(REBUILDS);
            for _ in 0..REBUILDS {
                times.push(timed_build(cargo, root, &target, || {
                    touch(&root.join(TOUCHED))
                })?);
            }
            times.sort();
            times[times.len() / 2]
        },
    };
    Ok(builds)
}

/// The build that is timed: the library, as a dependent crate builds it.
const BUILD: &str = "build -p headout-client";
/// How often a build is timed again when the sources changed while it ran.
const ATTEMPTS: usize = 3;

/// Times `cargo build -p headout-client` after `prepare`, starting from a build that is
/// up to date with the sources.
///
/// Other work on the same checkout (an editor, a regeneration) may change a source
/// file during the measurement, which would time a different build. So the sources'
/// modification times are compared before and after, and the build is timed again
/// when they differ.
fn timed_build(
    cargo: &Cargo,
    root: &Path,
    target: &Path,
    prepare: impl Fn() -> Result<(), String>,
) -> Result<Duration, String> {
    for _ in 0..ATTEMPTS {
        cargo.run(BUILD, Some(target))?;
        prepare()?;
        let before = source_stamps(root)?;
        let time = cargo.time(BUILD, target)?;
        if source_stamps(root)? == before {
            return Ok(time);
        }
        eprintln!("bench: the sources of headout-client changed during a build; timing it again");
    }
    Err(format!(
        "the sources of headout-client changed during each of {ATTEMPTS} timed builds; \
         run the benchmark when nothing else edits the checkout"
    ))
}

/// The modification time of every file `cargo build -p headout-client` reads from the
/// checkout, sorted by path.
fn source_stamps(root: &Path) -> Result<Vec<(PathBuf, SystemTime)>, String> {
    fn walk(dir: &Path, stamps: &mut Vec<(PathBuf, SystemTime)>) -> Result<(), String> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                walk(&path, stamps)?;
            } else {
                stamps.push((path.clone(), modified(&path)?));
            }
        }
        Ok(())
    }
    fn modified(path: &Path) -> Result<SystemTime, String> {
        std::fs::metadata(path)
            .and_then(|m| m.modified())
            .map_err(|e| format!("cannot read the time of {}: {e}", path.display()))
    }
    let mut stamps = Vec::new();
    walk(&root.join("generated-client/src"), &mut stamps)?;
    for file in ["generated-client/Cargo.toml", "Cargo.toml", "Cargo.lock"] {
        let path = root.join(file);
        stamps.push((path.clone(), modified(&path)?));
    }
    stamps.sort();
    Ok(stamps)
}

/// Sets the modification time of `path` to now without changing its contents, as an
/// editor's save or a regeneration would.
fn touch(path: &Path) -> Result<(), String> {
    File::options()
        .append(true)
        .open(path)
        .and_then(|file| file.set_modified(SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", path.display()))
}

/// One line of the table.
enum Row {
    Section(String),
    Figure {
        name: String,
        value: String,
        baseline: String,
        ratio: String,
        target: String,
    },
}

/// A figure, its baseline and the target; the ratio is computed from the two numbers.
struct Entry<'a> {
    name: String,
    value: f64,
    baseline: Option<(f64, &'a str)>,
    format: fn(f64) -> String,
    target: String,
    /// Whether the ratio means anything (not when the baseline is about zero).
    ratio: bool,
}

struct Table {
    rows: Vec<Row>,
}

impl Table {
    fn section(&mut self, title: impl Into<String>) {
        self.rows.push(Row::Section(title.into()));
    }

    fn entry(&mut self, entry: Entry<'_>) {
        let (baseline, ratio) = match entry.baseline {
            Some((base, label)) => {
                let shown = (entry.format)(base);
                let baseline = if label.is_empty() {
                    shown
                } else {
                    format!("{shown} ({label})")
                };
                let ratio = if base == 0.0 || !entry.ratio {
                    "—".to_owned()
                } else {
                    format!("{:.2}", entry.value / base)
                };
                (baseline, ratio)
            }
            None => ("—".to_owned(), "—".to_owned()),
        };
        self.rows.push(Row::Figure {
            name: entry.name,
            value: (entry.format)(entry.value),
            baseline,
            ratio,
            target: entry.target,
        });
    }

    fn build(
        generator: &Figures,
        code: &Code,
        builds: Option<&Builds>,
        runtime: &Figures,
    ) -> Result<Table, String> {
        let mut t = Table { rows: Vec::new() };
        let g = generator;

        // 1. The generator.
        let operations = g.num("real.operations")?;
        t.section(format!(
            "Generator (release, in process): spec/headout.yaml, {} operations, {} models",
            operations,
            g.num("real.models")?
        ));
        let total = g.num("real.total_ns")?;
        let target_ns = 20e6;
        t.entry(Entry {
            name: format!(
                "load + check + generate + format, median of {}",
                g.num("real.runs")?
            ),
            value: total,
            baseline: Some((target_ns, "the target")),
            format: time,
            target: verdict(total < target_ns, "< 20 ms"),
            ratio: true,
        });
        t.entry(Entry {
            name: "  of which load + check".into(),
            value: g.num("real.load_ns")?,
            baseline: Some((total, "whole")),
            format: time,
            target: String::new(),
            ratio: true,
        });
        t.entry(Entry {
            name: "  of which generate + format".into(),
            value: g.num("real.generate_ns")?,
            baseline: Some((total, "whole")),
            format: time,
            target: String::new(),
            ratio: true,
        });
        t.entry(Entry {
            name: "peak heap".into(),
            value: g.num("real.peak_bytes")?,
            baseline: None,
            format: bytes,
            target: String::new(),
            ratio: true,
        });
        let sizes = g.sizes("synthetic.");
        let smallest = *sizes
            .first()
            .ok_or("the generator printed no synthetic size")?;
        let per_op = |n: u64, key: &str| -> Result<f64, String> {
            Ok(g.num(&format!("synthetic.{n}.{key}"))? / n as f64)
        };
        let base_time = per_op(smallest, "total_ns")?;
        let base_memory = per_op(smallest, "peak_bytes")?;
        let base_label = format!("{smallest} ops");
        t.section(format!(
            "Generator scaling: synthetic descriptions (3 models, ~2 params per operation); baseline = {smallest} operations"
        ));
        for &n in &sizes {
            let key = format!("synthetic.{n}");
            let value = per_op(n, "total_ns")?;
            t.entry(Entry {
                name: format!(
                    "time per operation, {n} ops ({} models, {} YAML lines), median of {}",
                    g.num(&format!("{key}.models"))?,
                    g.num(&format!("{key}.yaml_lines"))?,
                    g.num(&format!("{key}.runs"))?
                ),
                value,
                baseline: Some((base_time, &base_label)),
                format: time,
                target: verdict(value <= 2.0 * base_time, "≤ 2× (linear)"),
                ratio: true,
            });
        }
        for &n in &sizes {
            t.entry(Entry {
                name: format!(
                    "peak heap per operation, {n} ops (total {})",
                    bytes(g.num(&format!("synthetic.{n}.peak_bytes"))?)
                ),
                value: per_op(n, "peak_bytes")?,
                baseline: Some((base_memory, &base_label)),
                format: bytes,
                target: String::new(),
                ratio: true,
            });
        }

        // 2. The generated code.
        t.section(format!(
            "Generated code: Headout client, {} files in {GENERATED_DIR}",
            code.files
        ));
        t.entry(Entry {
            name: format!("lines per operation ({} lines)", code.lines),
            value: code.lines as f64 / operations,
            baseline: Some((
                g.num("real.description_lines")? / operations,
                "YAML lines/op",
            )),
            format: count,
            target: String::new(),
            ratio: true,
        });
        t.entry(Entry {
            name: format!("bytes per operation ({})", bytes(code.bytes as f64)),
            value: code.bytes as f64 / operations,
            baseline: Some((
                g.num("real.description_bytes")? / operations,
                "YAML bytes/op",
            )),
            format: bytes,
            target: String::new(),
            ratio: true,
        });
        match builds {
            Some(b) => {
                let noop = b.no_op.as_nanos() as f64;
                let clean = b.clean.as_nanos() as f64;
                t.entry(Entry {
                    name: "clean build of headout-client's own code (dev, deps built)".into(),
                    value: clean,
                    baseline: Some((noop, "no-op build")),
                    format: time,
                    target: String::new(),
                    ratio: true,
                });
                t.entry(Entry {
                    name: format!("rebuild after touching {TOUCHED}, median of {REBUILDS}"),
                    value: b.touched.as_nanos() as f64,
                    baseline: Some((clean, "clean build")),
                    format: time,
                    target: String::new(),
                    ratio: true,
                });
                t.entry(Entry {
                    name: "first build in target/bench this run (dependencies too, the first time)"
                        .into(),
                    value: b.warm_up.as_nanos() as f64,
                    baseline: None,
                    format: time,
                    target: String::new(),
                    ratio: true,
                });
            }
            None => t.section("(build timings skipped with --smoke)"),
        }

        // 3. One request.
        let r = runtime;
        t.section(format!(
            "Runtime: v2.products.get ({} body) on loopback; client vs hand-written reqwest + serde_json, {} interleaved rounds",
            bytes(r.num("get.body_bytes")?),
            r.num("get.rounds")?
        ));
        let pair = |key: &str| -> Result<(f64, f64), String> {
            Ok((
                r.num(&format!("get.client.{key}"))?,
                r.num(&format!("get.baseline.{key}"))?,
            ))
        };
        let (client, baseline) = pair("median_ns")?;
        t.entry(Entry {
            name: format!(
                "latency median, {} sequential requests each",
                r.num("get.requests")?
            ),
            value: client,
            baseline: Some((baseline, "")),
            format: time,
            target: verdict(client <= 1.05 * baseline, "≤ 1.05"),
            ratio: true,
        });
        let (client, baseline) = pair("p90_ns")?;
        t.entry(Entry {
            name: "latency p90".into(),
            value: client,
            baseline: Some((baseline, "")),
            format: time,
            target: String::new(),
            ratio: true,
        });
        let (client, baseline) = pair("sequential_per_s")?;
        t.entry(Entry {
            name: "throughput, one request at a time".into(),
            value: client,
            baseline: Some((baseline, "")),
            format: requests_per_s,
            target: verdict(client >= baseline / 1.05, "≥ 1/1.05"),
            ratio: true,
        });
        let (client, baseline) = pair("concurrent_per_s")?;
        t.entry(Entry {
            name: format!(
                "throughput, {} in flight ({} requests each)",
                r.num("get.concurrency")?,
                r.num("get.concurrent_requests")?
            ),
            value: client,
            baseline: Some((baseline, "")),
            format: requests_per_s,
            target: verdict(client >= baseline / 1.05, "≥ 1/1.05"),
            ratio: true,
        });
        let (client, baseline) = pair("allocations")?;
        t.entry(Entry {
            name: "heap allocations per request (server's included)".into(),
            value: client,
            baseline: Some((baseline, "")),
            format: count,
            target: String::new(),
            ratio: true,
        });

        // 4. Paging.
        let listings = r.sizes("paging.");
        t.section(format!(
            "Paging: every item of v2.collections.list ({} per item), items stream vs hand-written offset loop; heap includes the in-process server's, the same for both",
            bytes(r.num("paging.item_bytes")?)
        ));
        let mut pages: Vec<u64> = listings
            .iter()
            .flat_map(|n| r.sizes(&format!("paging.{n}.")))
            .collect();
        pages.sort_unstable();
        pages.dedup();
        for &page in &pages {
            for &n in &listings {
                let key = format!("paging.{n}.{page}");
                let client = r.num(&format!("{key}.client.items_per_s"))?;
                let baseline = r.num(&format!("{key}.baseline.items_per_s"))?;
                t.entry(Entry {
                    name: format!(
                        "{} items, pages of {page}: items/s ({} rounds)",
                        thousands(n),
                        r.num(&format!("{key}.rounds"))?
                    ),
                    value: client,
                    baseline: Some((baseline, "")),
                    format: items_per_s,
                    target: String::new(),
                    ratio: true,
                });
            }
            for &n in &listings {
                let key = format!("paging.{n}.{page}");
                t.entry(Entry {
                    name: format!(
                        "{} items, pages of {page}: peak heap, median of rounds (max {} / {})",
                        thousands(n),
                        bytes(r.num(&format!("{key}.client.peak_max_bytes"))?),
                        bytes(r.num(&format!("{key}.baseline.peak_max_bytes"))?)
                    ),
                    value: r.num(&format!("{key}.client.peak_bytes"))?,
                    baseline: Some((r.num(&format!("{key}.baseline.peak_bytes"))?, "")),
                    format: bytes,
                    target: String::new(),
                    ratio: true,
                });
            }
            for &n in &listings {
                let key = format!("paging.{n}.{page}");
                t.entry(Entry {
                    name: format!(
                        "{} items, pages of {page}: allocations per item",
                        thousands(n)
                    ),
                    value: r.num(&format!("{key}.client.allocations_per_item"))?,
                    baseline: Some((r.num(&format!("{key}.baseline.allocations_per_item"))?, "")),
                    format: count,
                    target: String::new(),
                    ratio: true,
                });
            }
            // What a stream keeps, as opposed to what passes through it: heap in use
            // at the first item of the last page minus at the first item of the
            // second page. The stream should hold one page at a time, so this should
            // not grow with the listing; 1 KiB allows for allocator noise.
            for &n in &listings {
                let key = format!("paging.{n}.{page}");
                let client = r.num(&format!("{key}.client.retained_growth_bytes"))?;
                let baseline = r.num(&format!("{key}.baseline.retained_growth_bytes"))?;
                let pages = (n / page).saturating_sub(2).max(1);
                t.entry(Entry {
                    name: format!(
                        "{} items, pages of {page}: heap kept from page 2 to the last ({:.0} B per page)",
                        thousands(n),
                        client / pages as f64
                    ),
                    value: client,
                    baseline: Some((baseline, "")),
                    format: signed_bytes,
                    target: verdict(client < 1024.0, "< 1 KiB (one page at a time)"),
                    ratio: false,
                });
            }
        }
        Ok(t)
    }
}

/// `target` followed by whether it is met.
fn verdict(met: bool, target: &str) -> String {
    format!("{target}: {}", if met { "met" } else { "NOT met" })
}

fn time(ns: f64) -> String {
    match ns {
        ns if ns >= 1e9 => format!("{:.2} s", ns / 1e9),
        ns if ns >= 1e6 => format!("{:.2} ms", ns / 1e6),
        ns if ns >= 1e3 => format!("{:.1} µs", ns / 1e3),
        ns => format!("{ns:.0} ns"),
    }
}

fn bytes(n: f64) -> String {
    match n {
        n if n >= 1024.0 * 1024.0 => format!("{:.1} MiB", n / (1024.0 * 1024.0)),
        n if n >= 1024.0 => format!("{:.1} KiB", n / 1024.0),
        n => format!("{n:.0} B"),
    }
}

/// Bytes that may be negative (heap released rather than kept).
fn signed_bytes(n: f64) -> String {
    if n < 0.0 {
        format!("-{}", bytes(-n))
    } else {
        bytes(n)
    }
}

fn count(n: f64) -> String {
    format!("{n:.1}")
}

fn requests_per_s(n: f64) -> String {
    format!("{} req/s", thousands(n.round() as u64))
}

fn items_per_s(n: f64) -> String {
    format!("{} items/s", thousands(n.round() as u64))
}

/// `n` with a comma between groups of three digits.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The whole report: environment, the table as Markdown, notes and durations.
fn report(
    env: &Environment,
    table: &Table,
    phases: &[(&str, Duration)],
    total: Duration,
    smoke: bool,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "cargo xtask bench{} — {} — {} cores ({}), {}, {} — {}",
        if smoke {
            " --smoke (tiny sizes: figures mean nothing)"
        } else {
            ""
        },
        env.date,
        env.cores,
        env.cpu,
        env.memory,
        env.os,
        env.rustc
    );
    let _ = writeln!(
        out,
        "Times are this machine's. Ratio = figure / baseline (for rates, below 1 means slower than the baseline).\n"
    );
    let headers = ["Figure", "This machine", "Baseline", "Ratio", "Target"];
    let mut widths = headers.map(|h| h.chars().count());
    for row in &table.rows {
        if let Row::Figure {
            name,
            value,
            baseline,
            ratio,
            target,
        } = row
        {
            for (width, cell) in widths
                .iter_mut()
                .zip([name, value, baseline, ratio, target])
            {
                *width = (*width).max(cell.chars().count());
            }
        }
    }
    let line = |cells: [&str; 5]| {
        let mut text = String::from("|");
        for (cell, width) in cells.iter().zip(widths) {
            let pad = width - cell.chars().count();
            let _ = write!(text, " {cell}{} |", " ".repeat(pad));
        }
        text
    };
    let _ = writeln!(out, "{}", line(headers));
    let _ = writeln!(
        out,
        "{}",
        line(widths.map(|w| "-".repeat(w)).each_ref().map(String::as_str))
    );
    for row in &table.rows {
        match row {
            Row::Section(title) => {
                let _ = writeln!(out, "| **{title}** | | | | |");
            }
            Row::Figure {
                name,
                value,
                baseline,
                ratio,
                target,
            } => {
                let _ = writeln!(out, "{}", line([name, value, baseline, ratio, target]));
            }
        }
    }
    let _ = writeln!(out);
    for (phase, duration) in phases {
        let _ = writeln!(out, "{phase}: {:.1} s", duration.as_secs_f64());
    }
    let _ = writeln!(out, "whole command: {:.1} s", total.as_secs_f64());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_573), (2026, 4, 30));
    }

    #[test]
    fn figures_parse_and_group_by_size() {
        let figures =
            parse_figures("synthetic.10.total_ns\t5\nsynthetic.100.total_ns\t7\nreal.runs\t50\n")
                .unwrap();
        assert_eq!(figures.sizes("synthetic."), [10, 100]);
        assert_eq!(figures.num("real.runs"), Ok(50.0));
        assert!(figures.num("real.missing").is_err());
        assert!(parse_figures("no tab here").is_err());
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(time(34_772_026.0), "34.77 ms");
        assert_eq!(bytes(6_100_558.0), "5.8 MiB");
    }
}
