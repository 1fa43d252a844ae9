//! Creates a v2 booking from the request model, as a booking flow would.

use headout_client::models::{
    Customer, CustomersDetails, InputFieldValue, Price, V2Booking, V2BookingRequest,
};
use headout_client::{Client, Decimal, Environment, Error, WithKey};

/// The request for one adult, with the lead customer's details and the expected total.
fn booking_request() -> V2BookingRequest {
    let field = |id: &str, value: &str| InputFieldValue {
        id: id.to_string(),
        name: None,
        value: value.to_string(),
    };
    V2BookingRequest {
        product_id: 2844.into(),
        variant_id: "5521".into(),
        inventory_id: 9_000_123.into(),
        customers_details: CustomersDetails {
            count: 1,
            customers: vec![Customer {
                is_primary: Some(true),
                person_type: "ADULT".to_string(),
                input_fields: vec![
                    field("NAME", "Ada Lovelace"),
                    field("EMAIL", "ada@example.com"),
                ],
            }],
        },
        price: Price {
            amount: Decimal::new(4_950, 2),
            currency_code: "EUR".to_string(),
        },
        inventory_seat_ids: Vec::new(),
        variant_input_fields: Vec::new(),
    }
}

async fn book(client: &Client<WithKey>) -> Result<V2Booking, Error> {
    client
        .v2()
        .bookings()
        .create(booking_request())
        .send()
        .await
}

fn main() -> Result<(), Error> {
    let client = Client::builder(Environment::Sandbox)
        .key("tk_0123456789abcdef")
        .build()?;
    drop(book(&client));
    // The request serialises to the wire names the API expects.
    let json = serde_json::to_value(booking_request()).expect("the request serialises");
    assert_eq!(
        json["customersDetails"]["customers"][0]["personType"],
        "ADULT"
    );
    assert_eq!(json["price"]["amount"], serde_json::json!(49.5));
    Ok(())
}
