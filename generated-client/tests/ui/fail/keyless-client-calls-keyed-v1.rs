//! v1 is open for the catalogue, but listing bookings needs the key: a keyless client
//! reaches `v1().booking()` and finds no `list` there.

use headout_client::{Client, Environment};

fn main() {
    let client = Client::builder(Environment::Sandbox).build().unwrap();
    let _ = client.v1().booking().list();
}
