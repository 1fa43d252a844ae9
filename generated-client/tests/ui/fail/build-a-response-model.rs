//! A struct that is only read from answers is `#[non_exhaustive]`: code outside the
//! crate cannot build it with a literal, which is what lets the description add fields
//! to it without a breaking change. Request structs stay buildable (see
//! `pass/create-booking.rs`).

use headout_client::models::V2City;

fn main() {
    let _ = V2City {
        code: "NEW_YORK".into(),
        country: None,
        image: None,
        name: "New York".into(),
        timezone: None,
    };
}
