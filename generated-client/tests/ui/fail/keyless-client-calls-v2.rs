//! Every v2 operation needs the key, so a client built without one has no `v2()` at all.

use headout_client::{Client, Environment};

fn main() {
    let client = Client::builder(Environment::Sandbox).build().unwrap();
    let _ = client.v2().products().get(2844);
}
