//! Loads a description and prints its problems: `cargo run -p spec --example check -- FILE`.
fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "spec/headout.yaml".into());
    match spec::load(&path) {
        Ok(loaded) => {
            println!("{}", loaded.warnings);
            println!("{} operations, {} models", loaded.spec.operations.len(), loaded.spec.models.len());
        }
        Err(problems) => {
            println!("{problems}");
            std::process::exit(1);
        }
    }
}
