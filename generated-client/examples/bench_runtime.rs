//! Benchmark of the generated client against hand-written `reqwest` + `serde_json` code,
//! both talking to one loopback server in this process.
//!
//! Run by `cargo xtask bench` (release build); by hand:
//!
//! ```sh
//! cargo run --release -p headout-client --example bench_runtime [-- --smoke]
//! ```
//!
//! Two measurements, each alternating client and baseline in rounds (the order flips
//! every round) so that drift of the machine hits both alike:
//!
//! - one request (`v2.products.get`, answered with the documented example body):
//!   latency of sequential requests, and throughput with several requests in flight;
//! - streaming every item of a `v2.collections.list` listing of 10,000 and 100,000
//!   items, with pages of 20 and of 100: items per second and peak heap memory.
//!
//! The server makes each page when it is asked for, from one documented item with its
//! id changed, so it holds no listing in memory. It runs in this process, so the
//! counting allocator sees its allocations too; they are the same for client and
//! baseline (the same pages are served) and bounded by one page.
//!
//! It prints one `key<TAB>value` line per figure, for xtask to read: times in
//! nanoseconds, sizes in bytes, rates per second. `--smoke` uses tiny sizes; the
//! `#[test]` at the end runs that under `cargo test` (this example is declared with
//! `test = true` in `generated-client/Cargo.toml`), with no assertion on time.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use futures_util::StreamExt;
use headout_client::models::{V2Collection, V2Product};
use headout_client::{Client, WithKey};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A sandbox key, so that the generated client accepts it.
const KEY: &str = "tk_bench0123456789abcdef";
/// The city every listing asks for; the server ignores it.
const CITY: &str = "NEW_YORK";

// Peak heap memory is measured by counting every allocation of this process. The
// counter forwards to the system allocator, so times stay representative. (The same
// allocator is in `codegen/examples/bench_generator.rs`; examples of two crates cannot
// share a module without a crate of their own.)
#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes currently allocated.
static CURRENT: AtomicUsize = AtomicUsize::new(0);
/// The most bytes allocated at once since the last [`reset_peak`].
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Calls to allocate or grow memory so far: a cost that does not depend on the
/// machine's load, unlike times.
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting bytes.
struct Counting;

fn grew(bytes: usize) {
    ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    let now = CURRENT.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

fn shrank(bytes: usize) {
    CURRENT.fetch_sub(bytes, Ordering::Relaxed);
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
fn reset_peak() -> usize {
    let now = CURRENT.load(Ordering::Relaxed);
    PEAK.store(now, Ordering::Relaxed);
    now
}

/// The most bytes allocated at once since `reset_peak` returned `base`, above `base`.
fn peak_since(base: usize) -> usize {
    PEAK.load(Ordering::Relaxed).saturating_sub(base)
}

/// How much work each measurement does.
#[derive(Debug, Clone)]
struct Config {
    /// Rounds of the single-request measurements; each round runs both sides.
    get_rounds: usize,
    /// Sequential requests per side and round.
    get_per_round: usize,
    /// Requests per side and round in the throughput measurement.
    throughput_per_round: usize,
    /// Requests in flight in the throughput measurement.
    concurrency: usize,
    /// Listing sizes, each with its number of rounds (an odd number, so that the
    /// median peak is one round's).
    listings: Vec<(u64, usize)>,
    /// Page sizes.
    page_sizes: Vec<u32>,
}

impl Config {
    fn full() -> Self {
        Config {
            get_rounds: 40,
            get_per_round: 250,
            throughput_per_round: 1_000,
            concurrency: 8,
            listings: vec![(10_000, 5), (100_000, 3)],
            page_sizes: vec![20, 100],
        }
    }

    fn smoke() -> Self {
        Config {
            get_rounds: 2,
            get_per_round: 5,
            throughput_per_round: 8,
            concurrency: 4,
            listings: vec![(30, 1), (90, 1)],
            page_sizes: vec![20, 100],
        }
    }
}

/// The two sides of every measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Client,
    Baseline,
}

impl Side {
    fn key(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Baseline => "baseline",
        }
    }

    /// Both sides, in the order of round `round`: alternating, so that neither side
    /// always runs first (on a warmer or a colder machine).
    fn order(round: usize) -> [Side; 2] {
        if round.is_multiple_of(2) {
            [Side::Client, Side::Baseline]
        } else {
            [Side::Baseline, Side::Client]
        }
    }
}

/// What the server answers with.
struct Served {
    /// The documented body of `v2.products.get`.
    product: Bytes,
    /// One documented collection as compact JSON, split around its id.
    item_before: String,
    item_after: String,
    /// The number of items of the listing being streamed.
    total: AtomicU64,
}

#[derive(serde::Deserialize)]
struct PageQuery {
    offset: Option<u64>,
    limit: Option<u64>,
}

async fn serve_product(
    State(served): State<Arc<Served>>,
    UrlPath(_id): UrlPath<String>,
) -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], served.product.clone())
}

/// One page of the listing, made on demand: the memory it takes is bounded by the page
/// size, whatever the listing's length.
async fn serve_collections(
    State(served): State<Arc<Served>>,
    Query(query): Query<PageQuery>,
) -> impl IntoResponse {
    let total = served.total.load(Ordering::Relaxed);
    let offset = query.offset.unwrap_or(0).min(total);
    let limit = query.limit.unwrap_or(10);
    let end = (offset + limit).min(total);
    let item_len = served.item_before.len() + served.item_after.len() + 10;
    let mut page = String::with_capacity((end - offset) as usize * item_len + 200);
    page.push_str(r#"{"collections":["#);
    for id in offset..end {
        if id > offset {
            page.push(',');
        }
        // Writing to a `String` cannot fail.
        let _ = write!(page, "{}\"{id}\"{}", served.item_before, served.item_after);
    }
    page.push_str("],");
    if end < total {
        let _ = write!(
            page,
            r#""nextUrl":"/api/public/v2/collections/?cityCode={CITY}&offset={end}&limit={limit}","nextOffset":{end},"#
        );
    } else {
        page.push_str(r#""nextUrl":null,"nextOffset":null,"#);
    }
    let _ = write!(page, r#""prevUrl":null,"total":{total}}}"#);
    ([(CONTENT_TYPE, "application/json")], page)
}

/// Starts the server on a free loopback port and returns its base URL.
async fn start_server() -> Result<(String, Arc<Served>), BoxError> {
    let examples =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/headout/examples/partner-docs");
    let read = |name: &str| {
        let path = examples.join(name);
        std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let product = read("v2.products.get.response.json")?;
    let listing: serde_json::Value =
        serde_json::from_slice(&read("v2.collections.list.response.json")?)?;
    let mut item = listing["collections"][0].clone();
    item["id"] = serde_json::Value::from("ID_PLACEHOLDER");
    let item = serde_json::to_string(&item)?;
    let (before, after) = item
        .split_once("\"ID_PLACEHOLDER\"")
        .ok_or("the placeholder id is missing from the item")?;
    let served = Arc::new(Served {
        product: Bytes::from(product),
        item_before: before.to_owned(),
        item_after: after.to_owned(),
        total: AtomicU64::new(0),
    });
    let app = Router::new()
        .route("/api/public/v2/products/{id}/", get(serve_product))
        .route("/api/public/v2/collections/", get(serve_collections))
        .with_state(Arc::clone(&served));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((format!("http://{address}"), served))
}

/// The two clients, configured alike: the generated client's default timeouts are set
/// on the baseline's `reqwest::Client` too, so that only the code on top differs.
#[derive(Clone)]
struct Clients {
    client: Client<WithKey>,
    http: reqwest::Client,
    base: String,
}

impl Clients {
    fn new(base: &str) -> Result<Self, BoxError> {
        let client = Client::builder_with_base_url(base).key(KEY).build()?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .build()?;
        Ok(Clients {
            client,
            http,
            base: base.to_owned(),
        })
    }

    /// One `v2.products.get`, decoded into the generated model.
    async fn get(&self, side: Side, id: u32) -> Result<V2Product, BoxError> {
        match side {
            Side::Client => Ok(self.client.v2().products().get(id).send().await?),
            Side::Baseline => {
                let response = self
                    .http
                    .get(format!("{}/api/public/v2/products/{id}/", self.base))
                    .header("Headout-Auth", KEY)
                    .header(reqwest::header::ACCEPT, "application/json")
                    .send()
                    .await?
                    .error_for_status()?;
                let body = response.bytes().await?;
                Ok(serde_json::from_slice(&body)?)
            }
        }
    }

    /// Reads every item of the listing with pages of `limit`; returns how many, and how
    /// much more heap is in use at the first item of the last page than at the first
    /// item of the second page (see [`Retained`]).
    async fn stream(&self, side: Side, limit: u32) -> Result<(u64, i64), BoxError> {
        let mut count = 0;
        let mut retained = Retained::new(limit);
        match side {
            Side::Client => {
                let items = self
                    .client
                    .v2()
                    .collections()
                    .list(CITY)
                    .limit(limit)
                    .items();
                let mut items = items;
                while let Some(item) = items.next().await {
                    retained.at_item(count);
                    std::hint::black_box(item?);
                    count += 1;
                }
            }
            Side::Baseline => {
                #[derive(serde::Deserialize)]
                struct Page {
                    collections: Vec<V2Collection>,
                    #[serde(rename = "nextOffset")]
                    next_offset: Option<u64>,
                    total: Option<u64>,
                }
                let mut offset = 0;
                loop {
                    let response = self
                        .http
                        .get(format!(
                            "{}/api/public/v2/collections/?cityCode={CITY}&limit={limit}&offset={offset}",
                            self.base
                        ))
                        .header("Headout-Auth", KEY)
                        .header(reqwest::header::ACCEPT, "application/json")
                        .send()
                        .await?
                        .error_for_status()?;
                    let body = response.bytes().await?;
                    let page: Page = serde_json::from_slice(&body)?;
                    let empty = page.collections.is_empty();
                    for item in page.collections {
                        retained.at_item(count);
                        std::hint::black_box(item);
                        count += 1;
                    }
                    match page.next_offset {
                        Some(next) if !empty && page.total.is_none_or(|t| next < t) => {
                            offset = next
                        }
                        _ => break,
                    }
                }
            }
        }
        Ok((count, retained.growth()))
    }
}

/// Heap in use at the first item of each page, to tell memory a stream keeps from
/// memory it only passes through: the peak moves by up to a page with how each body
/// arrives, but what is still allocated at the same point of every page grows only if
/// something is kept per page or per item.
///
/// The first page is left out, because connections and buffers settle during it.
struct Retained {
    limit: u64,
    second_page: Option<usize>,
    last_page: usize,
}

impl Retained {
    fn new(limit: u32) -> Self {
        Retained {
            limit: u64::from(limit),
            second_page: None,
            last_page: 0,
        }
    }

    /// Called before each item is handled, with the number of items handled so far.
    fn at_item(&mut self, count: u64) {
        if count > 0 && count.is_multiple_of(self.limit) {
            let now = CURRENT.load(Ordering::Relaxed);
            self.second_page.get_or_insert(now);
            self.last_page = now;
        }
    }

    /// Bytes in use at the last page's first item minus at the second page's.
    fn growth(&self) -> i64 {
        self.second_page
            .map_or(0, |first| self.last_page as i64 - first as i64)
    }
}

/// Per-request times of one side.
#[derive(Default)]
struct Times(Vec<Duration>);

impl Times {
    fn quantile(&mut self, q: f64) -> Duration {
        self.0.sort();
        let index = ((self.0.len() as f64 * q) as usize).min(self.0.len() - 1);
        self.0[index]
    }
}

/// The figures of `v2.products.get`.
async fn bench_get(clients: &Clients, config: &Config, out: &mut String) -> Result<(), BoxError> {
    // Warm up both sides: connections, pools and caches.
    for side in [Side::Client, Side::Baseline] {
        for id in 0..20 {
            clients.get(side, id).await?;
        }
    }
    let mut latency = [Times::default(), Times::default()];
    for round in 0..config.get_rounds {
        for side in Side::order(round) {
            let times = &mut latency[side as usize];
            for id in 0..config.get_per_round as u32 {
                let started = Instant::now();
                std::hint::black_box(clients.get(side, id).await?);
                times.0.push(started.elapsed());
            }
        }
    }
    // Allocations per request, counted over sequential requests so that nothing else
    // runs meanwhile except the server, which does the same work for both sides.
    let mut allocations = [0.0; 2];
    for side in [Side::Client, Side::Baseline] {
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        for id in 0..config.get_per_round as u32 {
            std::hint::black_box(clients.get(side, id).await?);
        }
        let count = ALLOCATIONS.load(Ordering::Relaxed) - before;
        allocations[side as usize] = count as f64 / config.get_per_round as f64;
    }
    let mut busy = [Duration::ZERO; 2];
    for round in 0..config.get_rounds {
        for side in Side::order(round) {
            let started = Instant::now();
            let per_task = config.throughput_per_round / config.concurrency;
            let tasks: Vec<_> = (0..config.concurrency)
                .map(|_| {
                    let clients = clients.clone();
                    tokio::spawn(async move {
                        for id in 0..per_task as u32 {
                            std::hint::black_box(clients.get(side, id).await?);
                        }
                        Ok::<(), BoxError>(())
                    })
                })
                .collect();
            for task in tasks {
                task.await??;
            }
            busy[side as usize] += started.elapsed();
        }
    }
    let requests = config.get_rounds * config.get_per_round;
    let concurrent_requests =
        config.get_rounds * (config.throughput_per_round / config.concurrency) * config.concurrency;
    let _ = writeln!(out, "get.body_bytes\t{}", clients.get_body_len().await?);
    let _ = writeln!(out, "get.rounds\t{}", config.get_rounds);
    let _ = writeln!(out, "get.requests\t{requests}");
    let _ = writeln!(out, "get.concurrency\t{}", config.concurrency);
    let _ = writeln!(out, "get.concurrent_requests\t{concurrent_requests}");
    for side in [Side::Client, Side::Baseline] {
        let key = side.key();
        let times = &mut latency[side as usize];
        let total: Duration = times.0.iter().sum();
        let _ = writeln!(
            out,
            "get.{key}.median_ns\t{}",
            times.quantile(0.5).as_nanos()
        );
        let _ = writeln!(out, "get.{key}.p90_ns\t{}", times.quantile(0.9).as_nanos());
        let _ = writeln!(
            out,
            "get.{key}.sequential_per_s\t{:.1}",
            requests as f64 / total.as_secs_f64()
        );
        let _ = writeln!(
            out,
            "get.{key}.concurrent_per_s\t{:.1}",
            concurrent_requests as f64 / busy[side as usize].as_secs_f64()
        );
        let _ = writeln!(
            out,
            "get.{key}.allocations\t{:.1}",
            allocations[side as usize]
        );
    }
    Ok(())
}

impl Clients {
    /// The size of the body the server sends for one product.
    async fn get_body_len(&self) -> Result<usize, BoxError> {
        let response = self
            .http
            .get(format!("{}/api/public/v2/products/1/", self.base))
            .send()
            .await?;
        Ok(response.bytes().await?.len())
    }
}

/// The figures of streaming listings.
async fn bench_paging(
    clients: &Clients,
    served: &Served,
    config: &Config,
    out: &mut String,
) -> Result<(), BoxError> {
    let _ = writeln!(
        out,
        "paging.item_bytes\t{}",
        served.item_before.len() + served.item_after.len() + 6
    );
    for &limit in &config.page_sizes {
        // Warm up both sides with a short listing of this page size.
        served.total.store(u64::from(limit) * 3, Ordering::Relaxed);
        for side in [Side::Client, Side::Baseline] {
            clients.stream(side, limit).await?;
        }
        for &(total, rounds) in &config.listings {
            served.total.store(total, Ordering::Relaxed);
            let mut busy = [Duration::ZERO; 2];
            let mut peaks = [Vec::new(), Vec::new()];
            let mut growths = [Vec::new(), Vec::new()];
            let mut allocations = [0usize; 2];
            for round in 0..rounds {
                for side in Side::order(round) {
                    let base = reset_peak();
                    let before = ALLOCATIONS.load(Ordering::Relaxed);
                    let started = Instant::now();
                    let (count, growth) = clients.stream(side, limit).await?;
                    growths[side as usize].push(growth);
                    busy[side as usize] += started.elapsed();
                    allocations[side as usize] += ALLOCATIONS.load(Ordering::Relaxed) - before;
                    peaks[side as usize].push(peak_since(base));
                    if count != total {
                        return Err(format!("{side:?} read {count} items of {total}").into());
                    }
                }
            }
            let key = format!("paging.{total}.{limit}");
            let _ = writeln!(out, "{key}.rounds\t{rounds}");
            for side in [Side::Client, Side::Baseline] {
                let side_key = side.key();
                let rate = (total * rounds as u64) as f64 / busy[side as usize].as_secs_f64();
                let _ = writeln!(out, "{key}.{side_key}.items_per_s\t{rate:.1}");
                // The peak varies from round to round with how the body arrives in
                // chunks (hyper's read buffer adapts), so the median is the figure and
                // the largest is printed beside it.
                let peaks = &mut peaks[side as usize];
                peaks.sort_unstable();
                let _ = writeln!(
                    out,
                    "{key}.{side_key}.peak_bytes\t{}",
                    peaks[peaks.len() / 2]
                );
                let _ = writeln!(
                    out,
                    "{key}.{side_key}.peak_max_bytes\t{}",
                    peaks[peaks.len() - 1]
                );
                let growths = &mut growths[side as usize];
                growths.sort_unstable();
                let _ = writeln!(
                    out,
                    "{key}.{side_key}.retained_growth_bytes\t{}",
                    growths[growths.len() / 2]
                );
                let per_item = allocations[side as usize] as f64 / (total * rounds as u64) as f64;
                let _ = writeln!(out, "{key}.{side_key}.allocations_per_item\t{per_item:.2}");
            }
        }
    }
    Ok(())
}

/// Runs the benchmark and returns its `key<TAB>value` lines.
async fn run(config: Config) -> Result<String, BoxError> {
    let (base, served) = start_server().await?;
    let clients = Clients::new(&base)?;
    let mut out = String::new();
    bench_get(&clients, &config, &mut out).await?;
    bench_paging(&clients, &served, &config, &mut out).await?;
    Ok(out)
}

#[tokio::main]
async fn main() {
    let smoke = std::env::args().skip(1).any(|a| a == "--smoke");
    let config = if smoke {
        Config::smoke()
    } else {
        Config::full()
    };
    match run(config).await {
        Ok(lines) => print!("{lines}"),
        Err(error) => {
            eprintln!("bench_runtime: {error}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The smoke run reads every item and prints every figure xtask reads; times are not
    /// checked.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn smoke_run_prints_every_figure() {
        let out = run(Config::smoke()).await.unwrap_or_else(|e| panic!("{e}"));
        for key in [
            "get.client.median_ns",
            "get.baseline.p90_ns",
            "get.client.concurrent_per_s",
            "paging.30.20.client.items_per_s",
            "paging.90.100.baseline.peak_bytes",
            "paging.90.20.client.retained_growth_bytes",
        ] {
            assert!(
                out.lines().any(|l| l.starts_with(&format!("{key}\t"))),
                "no `{key}` in\n{out}"
            );
        }
    }
}
