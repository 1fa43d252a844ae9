//! Only paginated operations offer streams: fetching one product has `send` but no
//! `items`.

use headout_client::{Client, Environment};

fn main() {
    let client = Client::builder(Environment::Sandbox)
        .key("tk_0123456789abcdef")
        .build()
        .unwrap();
    let _ = client.v2().products().get(2844).items();
}
