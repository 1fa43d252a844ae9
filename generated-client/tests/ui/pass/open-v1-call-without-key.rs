//! Open v1 operations (the catalogue) work on a client built without a key.

use headout_client::models::{LanguageCode, V1City, V1Product};
use headout_client::{Client, Environment, Error, NoKey, Page};

/// Reads the first page of cities and one product; the key is not needed for either.
async fn browse(client: &Client<NoKey>) -> Result<(Page<V1City>, V1Product), Error> {
    let cities = client.v1().city().list().limit(10).send().await?;
    let product = client
        .v1()
        .product()
        .get(2844)
        .currency_code("EUR")
        .language(LanguageCode::Fr)
        .send()
        .await?;
    Ok((cities, product))
}

fn assert_send<T: Send>(_: &T) {}

fn main() -> Result<(), Error> {
    let client = Client::builder(Environment::Sandbox).build()?;
    // Creating the future sends nothing: it is dropped without being polled, so the
    // program checks the types without a network.
    let future = browse(&client);
    assert_send(&future);
    drop(future);
    Ok(())
}
