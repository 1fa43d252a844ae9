//! Benchmark of the generator: load, check, generate and format, on the real description
//! and on synthetic ones of growing size.
//!
//! Run by `cargo xtask bench` (release build); by hand:
//!
//! ```sh
//! cargo run --release -p codegen --example bench_generator [-- --smoke | --real-only]
//! ```
//!
//! It prints one `key<TAB>value` line per figure, for xtask to read: times in
//! nanoseconds, sizes in bytes. `--real-only` measures the real description alone, which
//! is quicker when iterating on the generator's speed. `--smoke` uses tiny sizes and two
//! repetitions; the `#[test]` at the end runs that under `cargo test` (this example is
//! declared with `test = true` in `codegen/Cargo.toml`), with no assertion on time.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::{Duration, Instant};

/// The synthetic sizes, in operations, with how many timed runs each gets: the small
/// ones are noisy and cheap, the large ones stable and expensive.
const SIZES: &[(usize, usize)] = &[(10, 50), (100, 20), (1_000, 5), (5_000, 3)];
/// The same, for the smoke run inside `cargo test`.
const SMOKE_SIZES: &[(usize, usize)] = &[(10, 2), (20, 2)];
/// Timed runs of the real description.
const REAL_RUNS: usize = 50;

// Peak heap memory is measured by counting every allocation of this process. The
// counter forwards to the system allocator, so times stay representative.
#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Whether allocations are counted. Memory is measured on the untimed run only: the
/// generator formats on several threads, and two counters shared by every allocation of
/// every thread make their cache line bounce between cores, which slowed the timed runs
/// by about a third.
static COUNTING: AtomicBool = AtomicBool::new(true);
/// Bytes currently allocated, as far as counted. Signed, because memory allocated while
/// counting was off may be freed while it is on.
static CURRENT: AtomicIsize = AtomicIsize::new(0);
/// The most bytes allocated at once since the last [`reset_peak`].
static PEAK: AtomicIsize = AtomicIsize::new(0);

/// The system allocator, counting bytes.
struct Counting;

fn grew(bytes: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        let bytes = bytes as isize;
        let now = CURRENT.fetch_add(bytes, Ordering::Relaxed) + bytes;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

fn shrank(bytes: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        CURRENT.fetch_sub(bytes as isize, Ordering::Relaxed);
    }
}

// `GlobalAlloc` is an unsafe trait, so implementing it needs `unsafe`, which the
// workspace denies. This impl only forwards each call unchanged to `System` (which
// upholds the contract) and updates two counters; it touches no memory itself.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees about `layout` are passed on unchanged.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout`, as the caller promises.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`, and `new_size` is passed on unchanged.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            grew(new_size);
            shrank(layout.size());
        }
        new
    }
}

/// Starts a new peak measurement and returns the bytes allocated now, which the peak is
/// measured above.
fn reset_peak() -> isize {
    let now = CURRENT.load(Ordering::Relaxed);
    PEAK.store(now, Ordering::Relaxed);
    now
}

/// The most bytes allocated at once since `reset_peak` returned `base`, above `base`.
fn peak_since(base: isize) -> usize {
    usize::try_from(PEAK.load(Ordering::Relaxed) - base).unwrap_or(0)
}

/// What one description costs.
#[derive(Debug)]
struct Measure {
    operations: usize,
    models: usize,
    runs: usize,
    /// Median time of load and check.
    load: Duration,
    /// Median time of generate and format.
    generate: Duration,
    /// Median time of the whole, taken per run (not the sum of the two medians).
    total: Duration,
    /// Peak heap bytes above what was allocated before the run, including the output.
    peak_bytes: usize,
    generated_lines: usize,
    generated_bytes: usize,
}

/// Loads `text` and generates its client `runs` times, after one untimed run which
/// measures memory (allocations are not counted in the timed runs).
fn measure(file: &Path, text: Option<&str>, runs: usize) -> Result<Measure, String> {
    let once = || -> Result<(Duration, Duration, Vec<codegen::GeneratedFile>, usize, usize), String> {
        let started = Instant::now();
        // The real description is loaded from its file, as `cargo xtask codegen` does;
        // synthetic ones are text in memory.
        let loaded = match text {
            Some(text) => spec::load_str(file, text),
            None => spec::load(file),
        }
        .map_err(|problems| format!("{}: {problems}", file.display()))?;
        let loaded_at = Instant::now();
        let files = codegen::generate(&loaded.spec)
            .map_err(|e| format!("{}: invalid Rust generated: {e}", file.display()))?;
        let done = Instant::now();
        Ok((
            loaded_at - started,
            done - loaded_at,
            files,
            loaded.spec.operations.len(),
            loaded.spec.models.len(),
        ))
    };

    let base = reset_peak();
    let (_, _, files, operations, models) = once()?;
    let peak_bytes = peak_since(base);
    let generated_lines = files.iter().map(|f| f.contents.lines().count()).sum();
    let generated_bytes = files.iter().map(|f| f.contents.len()).sum();
    drop(files);

    let mut loads = Vec::with_capacity(runs);
    let mut generates = Vec::with_capacity(runs);
    let mut totals = Vec::with_capacity(runs);
    COUNTING.store(false, Ordering::Relaxed);
    let timed = (0..runs).try_for_each(|_| {
        let (load, generate, files, _, _) = once()?;
        std::hint::black_box(files);
        loads.push(load);
        generates.push(generate);
        totals.push(load + generate);
        Ok::<_, String>(())
    });
    COUNTING.store(true, Ordering::Relaxed);
    timed?;
    Ok(Measure {
        operations,
        models,
        runs,
        load: median(&mut loads),
        generate: median(&mut generates),
        total: median(&mut totals),
        peak_bytes,
        generated_lines,
        generated_bytes,
    })
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// A description of a made-up API with `operations` operations (a multiple of 5): one
/// resource per 5 operations (list, get, create, update, delete), spread over two
/// versions, with 15 models per resource (3 enums, 12 objects), i.e. 3 models and about
/// 2 parameters per operation, close to the real description's proportions.
fn synthetic(operations: usize) -> String {
    assert!(
        operations.is_multiple_of(5),
        "whole resources only: {operations}"
    );
    let resources = operations / 5;
    let mut y = String::with_capacity(operations * 1_200);
    let w = &mut y;
    // Writing to a `String` cannot fail.
    let _ = write!(
        w,
        r#"api:
  name: Synthetic API
  crate: synthetic-client
  doc: "A made-up API with {operations} operations, built to measure the generator."
environments:
  live:
    base_url: https://api.synthetic.example
    key_prefix: live_
    default: true
    doc: "The only deployment."
auth:
  header: X-Api-Key
  doc: "The partner key."
versions:
  v1:
    prefix: /api/v1
    auth: per-operation
    error: ApiError
    doc: "The first version, where each operation says whether it needs the key."
  v2:
    prefix: /api/v2
    auth: required
    error: ApiError
    doc: "The second version, where every operation needs the key."
pagination:
  offset:
    offset_param: offset
    limit_param: limit
    offset_kind: index
    default_limit: 20
    max_limit: 100
    items_field: items
    next_url_field: nextUrl
    total_field: total
    next_offset_field: nextOffset
    doc: "Offset pagination; `nextOffset` is null on the last page."
models:
  ApiError:
    doc: "The body of every error response."
    fields:
      code: {{ type: string, required: true, doc: "A stable error code." }}
      message: {{ type: string, doc: "What went wrong." }}
"#
    );
    for r in 0..resources {
        let _ = write!(
            w,
            r#"  R{r}Status:
    doc: "The life cycle of a resource {r} entry."
    values:
      - ACTIVE
      - {{ value: PAUSED, doc: "Hidden for now." }}
      - ARCHIVED
      - {{ value: DRAFT, doc: "Not published yet." }}
      - "NO"
  R{r}Kind:
    doc: "What kind of entry it is."
    values: [SMALL, MEDIUM, LARGE, huge-one]
  R{r}Level:
    doc: "How deep it goes."
    values: [LOW, MID, HIGH]
  R{r}Item:
    doc: "One entry of resource {r}, in full."
    fields:
      id: {{ type: id, required: true, doc: "The entry's id." }}
      name: {{ type: string, required: true, doc: "What it is called." }}
      status: {{ type: R{r}Status, required: true, doc: "Where it is in its life cycle." }}
      price: {{ type: money, doc: "What it costs." }}
      currency: {{ type: string, doc: "ISO 4217 code of the price." }}
      startsOn: {{ type: date, doc: "The first day." }}
      startsAt: {{ type: local_datetime, nullable: true, doc: "The start, local time." }}
      opensAt: {{ type: time, doc: "The opening time." }}
      createdAt: {{ type: timestamp_s, doc: "When it was created." }}
      link: {{ type: url, doc: "Its page." }}
      tags: {{ type: list<string>, doc: "Free-form labels." }}
      labels: {{ type: map<string>, doc: "Translated names by language." }}
      extra: {{ type: json, doc: "Anything else." }}
      detail: {{ type: R{r}Part0, doc: "The details." }}
      parts: {{ type: list<R{r}Part1>, doc: "The parts." }}
      byName: {{ type: map<R{r}Part2>, doc: "Named parts." }}
      level: {{ type: R{r}Level, nullable: true, doc: "How deep it goes." }}
      type: {{ type: bool, doc: "A field named after a keyword." }}
  R{r}Summary:
    doc: "One entry of resource {r}, as listed."
    fields:
      id: {{ type: id, required: true, doc: "The entry's id." }}
      name: {{ type: string, required: true, doc: "What it is called." }}
      status: {{ type: R{r}Status, doc: "Where it is in its life cycle." }}
      price: {{ type: money, nullable: true, doc: "What it costs." }}
      kind: {{ type: R{r}Kind, doc: "What kind it is." }}
  R{r}Input:
    doc: "What to send to create an entry of resource {r}."
    fields:
      name: {{ type: string, required: true, doc: "What it is called." }}
      status: {{ type: R{r}Status, doc: "The first status." }}
      price: {{ type: money, doc: "What it costs." }}
      tags: {{ type: list<string>, doc: "Free-form labels." }}
      detail: {{ type: R{r}Part0, doc: "The details." }}
  R{r}Patch:
    doc: "What to send to change an entry of resource {r}."
    fields:
      name: {{ type: string, doc: "A new name." }}
      status: {{ type: R{r}Status, doc: "A new status." }}
      price: {{ type: money, nullable: true, doc: "A new price, or null to remove it." }}
"#
        );
        for part in 0..8 {
            let _ = write!(
                w,
                r#"  R{r}Part{part}:
    doc: "Part {part} of an entry of resource {r}."
    fields:
      name: {{ type: string, required: true, doc: "The part's name." }}
      count: {{ type: int32, doc: "How many there are." }}
      ratio: {{ type: float64, nullable: true, doc: "A share, from 0 to 1." }}
      updatedAt: {{ type: timestamp_ms, doc: "When it last changed." }}
"#
            );
            let last = match part {
                7 => format!("kind: {{ type: R{r}Kind, doc: \"What kind it is.\" }}"),
                3 => format!("level: {{ type: R{r}Level, doc: \"How deep it goes.\" }}"),
                _ => format!(
                    "next: {{ type: R{r}Part{}, doc: \"The next part.\" }}",
                    part + 1
                ),
            };
            let _ = writeln!(w, "      {last}");
            if part == 3 {
                let _ = writeln!(
                    w,
                    "      next: {{ type: R{r}Part4, doc: \"The next part.\" }}"
                );
            }
        }
    }
    let _ = writeln!(w, "operations:");
    for version in ["v1", "v2"] {
        let _ = writeln!(w, "  {version}:");
        let per_operation = version == "v1";
        let auth = |what: &str| {
            if per_operation {
                format!("\n        auth: {what}")
            } else {
                String::new()
            }
        };
        let (optional, required) = (auth("optional"), auth("required"));
        for r in (0..resources).filter(|r| r.is_multiple_of(2) == per_operation) {
            let _ = write!(
                w,
                r#"    res{r}:
      list:
        method: GET
        path: /res{r}/{optional}
        doc: "Lists the entries of resource {r}, one page at a time."
        params:
          q: {{ in: query, type: string, doc: "Text to search for." }}
          status: {{ in: query, type: R{r}Status, default: ACTIVE, doc: "Only entries in this status." }}
          tags: {{ in: query, type: list<string>, doc: "Only entries with all these tags." }}
          from: {{ in: query, type: date, doc: "Only entries starting on or after this day." }}
          X-Trace-Id: {{ in: header, type: string, doc: "An id to follow the call in logs." }}
        response: {{ kind: paginated, model: R{r}Summary, pagination: offset }}
      get:
        method: GET
        path: /res{r}/{{id}}{optional}
        doc: "Fetches one entry of resource {r}."
        params:
          id: {{ in: path, type: id, doc: "The entry." }}
          lang: {{ in: query, type: string, default: en, doc: "The content language." }}
          expand: {{ in: query, type: bool, default: false, doc: "Whether to include the parts." }}
        response: {{ kind: json, model: R{r}Item }}
      create:
        method: POST
        path: /res{r}/{required}
        doc: "Creates an entry of resource {r}."
        params:
          Idempotency-Key: {{ in: header, type: string, doc: "Makes retries safe." }}
        body: R{r}Input
        response: {{ kind: json, model: R{r}Item }}
      update:
        method: PATCH
        path: /res{r}/{{id}}{required}
        doc: "Changes an entry of resource {r}."
        params:
          id: {{ in: path, type: id, doc: "The entry." }}
        body: R{r}Patch
        response: {{ kind: json, model: R{r}Item }}
      delete:
        method: DELETE
        path: /res{r}/{{id}}{required}
        deprecated: true
        doc: "Deletes an entry of resource {r}."
        params:
          id: {{ in: path, type: id, doc: "The entry." }}
        response: {{ kind: empty }}
"#
            );
        }
    }
    y
}

/// Runs the benchmark and returns its `key<TAB>value` lines; `real_only` skips the
/// synthetic descriptions.
fn run(smoke: bool, real_only: bool) -> Result<String, String> {
    let mut out = String::new();
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/headout.yaml");
    let m = measure(&real, None, if smoke { 2 } else { REAL_RUNS })?;
    print_measure(&mut out, "real", &m);
    let text = std::fs::read_to_string(&real)
        .map_err(|e| format!("cannot read {}: {e}", real.display()))?;
    let _ = writeln!(out, "real.description_bytes\t{}", text.len());
    let _ = writeln!(out, "real.description_lines\t{}", text.lines().count());
    let sizes = match (smoke, real_only) {
        (_, true) => &[][..],
        (true, false) => SMOKE_SIZES,
        (false, false) => SIZES,
    };
    for &(operations, runs) in sizes {
        let text = synthetic(operations);
        let file = PathBuf::from(format!("synthetic-{operations}.yaml"));
        let m = measure(&file, Some(&text), runs)?;
        if m.operations != operations {
            return Err(format!(
                "the synthetic description has {} operations, not {operations}",
                m.operations
            ));
        }
        let key = format!("synthetic.{operations}");
        print_measure(&mut out, &key, &m);
        let _ = writeln!(out, "{key}.yaml_bytes\t{}", text.len());
        let _ = writeln!(out, "{key}.yaml_lines\t{}", text.lines().count());
    }
    Ok(out)
}

fn print_measure(out: &mut String, key: &str, m: &Measure) {
    let lines = [
        ("operations", m.operations as u128),
        ("models", m.models as u128),
        ("runs", m.runs as u128),
        ("load_ns", m.load.as_nanos()),
        ("generate_ns", m.generate.as_nanos()),
        ("total_ns", m.total.as_nanos()),
        ("peak_bytes", m.peak_bytes as u128),
        ("generated_lines", m.generated_lines as u128),
        ("generated_bytes", m.generated_bytes as u128),
    ];
    for (name, value) in lines {
        let _ = writeln!(out, "{key}.{name}\t{value}");
    }
}

fn main() {
    let smoke = std::env::args().skip(1).any(|a| a == "--smoke");
    let real_only = std::env::args().skip(1).any(|a| a == "--real-only");
    match run(smoke, real_only) {
        Ok(lines) => print!("{lines}"),
        Err(message) => {
            eprintln!("bench_generator: {message}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The synthetic descriptions are valid and load with no warning (every model is
    /// used), so the benchmark measures the normal path.
    #[test]
    fn synthetic_descriptions_load_cleanly() {
        for operations in [5, 10] {
            let text = synthetic(operations);
            let loaded = spec::load_str("synthetic.yaml", &text)
                .unwrap_or_else(|problems| panic!("{problems}\n{text}"));
            assert!(loaded.warnings.0.is_empty(), "{}\n{text}", loaded.warnings);
            assert_eq!(loaded.spec.operations.len(), operations);
            assert_eq!(loaded.spec.models.len(), 1 + 3 * operations);
        }
    }

    /// The smoke run prints every figure xtask reads; times are not checked.
    #[test]
    fn smoke_run_prints_every_figure() {
        let out = run(true, false).unwrap_or_else(|message| panic!("{message}"));
        for key in [
            "real.operations",
            "real.total_ns",
            "real.peak_bytes",
            "synthetic.10.total_ns",
            "synthetic.20.peak_bytes",
            "synthetic.20.yaml_lines",
        ] {
            assert!(
                out.lines().any(|l| l.starts_with(&format!("{key}\t"))),
                "no `{key}` in\n{out}"
            );
        }
    }
}
