//! Loads a description and prints its problems: `cargo run -p spec --example check -- FILE`.
//! With `--time`, also loads it 50 times and prints the median load-and-check time.
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let timed = args.iter().any(|a| a == "--time");
    let path = args
        .iter()
        .find(|a| *a != "--time")
        .cloned()
        .unwrap_or_else(|| "spec/headout.yaml".into());
    match spec::load(&path) {
        Ok(loaded) => {
            println!("{}", loaded.warnings);
            println!(
                "{} operations, {} models",
                loaded.spec.operations.len(),
                loaded.spec.models.len()
            );
        }
        Err(problems) => {
            println!("{problems}");
            std::process::exit(1);
        }
    }
    if timed {
        let mut times: Vec<Duration> = (0..50)
            .map(|_| {
                let start = Instant::now();
                let _ = spec::load(&path);
                start.elapsed()
            })
            .collect();
        times.sort();
        println!(
            "load and check, median of 50: {:.2?} (this machine)",
            times[25]
        );
    }
}
