//! A required parameter is an argument of the call, so it cannot be left out: listing
//! products needs the city code.

use headout_client::{Client, Environment};

fn main() {
    let client = Client::builder(Environment::Sandbox)
        .key("tk_0123456789abcdef")
        .build()
        .unwrap();
    let _ = client.v2().products().list();
}
