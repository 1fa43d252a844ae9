//! Fetches one product with the key, in a chosen currency and language.

use headout_client::models::{LanguageCode, V2Product};
use headout_client::{Client, Environment, Error, Id, WithKey};

async fn product(client: &Client<WithKey>, id: impl Into<Id>) -> Result<V2Product, Error> {
    client
        .v2()
        .products()
        .get(id)
        .currency_code("USD")
        .language_code(LanguageCode::Es)
        .send()
        .await
}

async fn describe(client: &Client<WithKey>) -> Result<String, Error> {
    // Ids may be given as numbers or as text.
    let by_number = product(client, 2844).await?;
    let by_text = product(client, "2844").await?;
    Ok(format!(
        "{} {} / {}",
        by_number.id, by_number.name, by_text.name
    ))
}

fn main() -> Result<(), Error> {
    let client = Client::builder(Environment::Production)
        .key("pk_0123456789abcdef")
        .build()?;
    drop(describe(&client));
    Ok(())
}
