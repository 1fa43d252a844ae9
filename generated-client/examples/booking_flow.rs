//! The two-step booking flow of v2: find a slot, create an `UNCAPTURED` booking at the
//! slot's price, then capture it.
//!
//! ```sh
//! HEADOUT_API_KEY=tk_… cargo run -p headout-client --example booking_flow -- 18969
//! ```
//!
//! Run it against the sandbox: in production it makes a real booking.

mod common;

use std::process::ExitCode;

use futures_util::StreamExt;
use headout_client::models::{
    BookingCaptureRequest, BookingCaptureStatus, Customer, CustomersDetails, InputFieldValue,
    Price, V2BookingRequest,
};
use headout_client::{Error, NaiveDate};

#[tokio::main]
async fn main() -> ExitCode {
    let product_id = std::env::args().nth(1).unwrap_or_else(|| "18969".into());
    common::report(run(&product_id).await)
}

async fn run(product_id: &str) -> Result<(), String> {
    let client = common::client_from_env()?;
    let v2 = client.v2();

    let product = v2
        .products()
        .get(product_id)
        .send()
        .await
        .map_err(describe)?;
    let variant = product
        .variants
        .first()
        .ok_or_else(|| format!("product {product_id} has no variants"))?;
    let currency = product
        .currency
        .as_ref()
        .map(|currency| currency.code.clone())
        .unwrap_or_else(|| "USD".into());

    // The first bookable slot from the start of next year on.
    let from = NaiveDate::from_ymd_opt(2027, 1, 1)
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .ok_or("bad start date")?;
    let mut slots = v2
        .inventory()
        .list_by_tour(currency.clone(), from, variant.id.clone())
        .items();
    let slot = match slots.next().await {
        Some(slot) => slot.map_err(describe)?,
        None => return Err(format!("variant {} has no slots", variant.id)),
    };
    // Book one person of the slot's first price category (`ADULT`, `GENERAL`, …).
    let person = slot
        .pricing
        .as_ref()
        .and_then(|pricing| pricing.persons.first())
        .ok_or("the slot has no per-person price")?;
    let amount = person.price.ok_or("the slot's price is missing")?;
    println!(
        "slot {} at {} for {amount} {currency}",
        slot.id, slot.start_date_time
    );

    let request = V2BookingRequest {
        product_id: product.id.clone(),
        variant_id: variant.id.clone(),
        inventory_id: slot.id.clone(),
        customers_details: CustomersDetails {
            count: 1,
            customers: vec![Customer {
                person_type: person.r#type.clone(),
                is_primary: Some(true),
                input_fields: vec![
                    field("NAME", "Ada Lovelace"),
                    field("EMAIL", "ada@example.com"),
                    field("PHONE", "+14155551234"),
                ],
            }],
        },
        price: Price {
            amount,
            currency_code: currency,
        },
        inventory_seat_ids: Vec::new(),
        variant_input_fields: Vec::new(),
    };
    let booking = v2
        .bookings()
        .create(request)
        .send()
        .await
        .map_err(describe)?;
    println!(
        "created booking {} ({})",
        booking.booking_id, booking.status
    );

    let capture = BookingCaptureRequest {
        status: BookingCaptureStatus::Pending,
        partner_reference_id: format!("example-{}", booking.booking_id),
    };
    let booking = v2
        .bookings()
        .capture(booking.booking_id.clone(), capture)
        .send()
        .await
        .map_err(describe)?;
    println!(
        "captured booking {} ({})",
        booking.booking_id, booking.status
    );
    Ok(())
}

fn field(id: &str, value: &str) -> InputFieldValue {
    InputFieldValue {
        id: id.into(),
        name: None,
        value: value.into(),
    }
}

/// One line per error, with Headout's own code and message when the server sent them.
fn describe(error: Error) -> String {
    match error {
        Error::Api {
            operation,
            status,
            code: Some(code),
            message,
            ..
        } => format!(
            "{operation}: Headout answered {status}: {code}: {}",
            message.unwrap_or_default()
        ),
        other => other.to_string(),
    }
}
