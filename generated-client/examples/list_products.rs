//! Lists the products of a city with the item stream.
//!
//! ```sh
//! HEADOUT_API_KEY=tk_… cargo run -p headout-client --example list_products -- NEW_YORK
//! ```

mod common;

use std::process::ExitCode;

use futures_util::StreamExt;

#[tokio::main]
async fn main() -> ExitCode {
    let city = std::env::args().nth(1).unwrap_or_else(|| "NEW_YORK".into());
    common::report(run(&city).await)
}

async fn run(city: &str) -> Result<(), String> {
    let client = common::client_from_env()?;
    // The stream fetches one page at a time, only as items are asked for; `take` stops
    // it after 50 without fetching the rest of a large city.
    let mut products = client.v2().products().list(city).items().take(50);
    let mut count = 0;
    while let Some(product) = products.next().await {
        let product = product.map_err(|error| error.to_string())?;
        count += 1;
        println!("{:>8}  {}", product.id, product.name);
    }
    println!("{count} products in {city}");
    Ok(())
}
