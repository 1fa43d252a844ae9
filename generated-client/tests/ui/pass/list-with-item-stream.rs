//! Lists the products of a city with the item stream and the page stream.

use futures_util::{StreamExt, TryStreamExt};
use headout_client::models::{LanguageCode, V2Product};
use headout_client::{Client, Environment, Error, Offset, WithKey};

/// The first `n` products of a city, fetched page by page as the stream is read.
async fn first_products(
    client: &Client<WithKey>,
    city: &str,
    n: usize,
) -> Result<Vec<V2Product>, Error> {
    client
        .v2()
        .products()
        .list(city)
        .language_code(LanguageCode::En)
        .limit(50)
        .items()
        .take(n)
        .try_collect()
        .await
}

/// Walks the pages of a city from a saved offset, reading what each page says about the rest.
async fn count_pages(client: &Client<WithKey>, city: &str) -> Result<usize, Error> {
    // The streams are `Unpin`: `.next()` works on them without pinning.
    let mut pages = client
        .v2()
        .products()
        .list(city)
        .offset(Offset::Index(20))
        .pages();
    let mut count = 0;
    while let Some(page) = pages.next().await {
        let page = page?;
        let _: (&[V2Product], Option<u64>) = (&page.items, page.total);
        let _resume: Option<Offset> = page.next_offset.clone();
        let _next = page.next_url.as_ref().map(|url| url.as_str());
        count += 1;
        if page.is_last() {
            break;
        }
    }
    Ok(count)
}

fn main() -> Result<(), Error> {
    let client = Client::builder(Environment::Sandbox)
        .key("tk_0123456789abcdef")
        .build()?;
    // A stream is lazy: building it sends nothing until it is polled.
    let stream = client.v2().products().list("NEW_YORK").items();
    drop(stream);
    drop(first_products(&client, "NEW_YORK", 10));
    drop(count_pages(&client, "PARIS"));
    Ok(())
}
