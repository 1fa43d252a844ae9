//! Every documented JSON example decodes into the generated type of its operation.
//!
//! `TABLE` names, for each file of `../shared/headout/examples/`, the generated Rust type
//! it must decode into (or the paginated operation whose page it is), and the tests fail
//! when a file of the folders is missing from the table, so that a new example cannot be
//! skipped silently. Request examples must also serialise back to JSON equal to the
//! example. Pages are decoded twice: through the generated operation against a loopback
//! server (which proves the operation reads its own items field), and locally from the
//! items array (which is cheap enough to repeat for every mutation below).
//!
//! The mutation tests then prove the client is lenient where the API is known to grow:
//! an extra field at every object level, and an unknown value in every string field,
//! must still decode, unknown enum values landing in the `Unknown(..)` catch-all with the
//! raw string kept.

use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use headout_client::models::{
    BookingCaptureRequest, V1Booking, V1BookingRequest, V1Category, V1City, V1Inventory,
    V1LegacyBooking, V1LegacyBookingRequest, V1Product, V1ProductListing, V2AvailabilityList,
    V2Booking, V2BookingEvent, V2BookingRequest, V2CancelRequest, V2CategoryList, V2City,
    V2Collection, V2Error, V2Inventory, V2Product, V2RequestResult, V2RescheduleRequest,
    V2SeatValidation, V2SeatmapAvailabilityList, V2SeatmapInventory, V2SeatmapSvg,
    V2SubCategoryList, V2WebhookConfig, V2WebhookResponse,
};
use headout_client::runtime::NaiveDateTime;
use headout_client::{Client, Error, Page, WithKey};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::fixture::{Reply, Server};

/// The folders of documented examples, relative to this crate.
const FOLDERS: [&str; 2] = ["github-docs", "partner-docs"];

/// A key in the sandbox's form; a client with a custom base URL takes any key, and
/// this one looks like what a partner would use against a test server.
const KEY: &str = "tk_examples-0123456789";

/// How one example file is checked.
#[derive(Clone, Copy)]
enum Kind {
    /// A response body, an event or an error body: one value of a generated type.
    Value(Decoder),
    /// A request body: it must also serialise back to JSON equal to the example.
    Request(Decoder),
    /// An API error body: it decodes as the error model, and the client turns it into
    /// an `Error::Api` carrying its code and message when it comes with status 400.
    ApiError(Decoder),
    /// One page of a paginated operation, whose items sit under the named field.
    Page {
        operation: &'static str,
        items_field: &'static str,
        items: Decoder,
    },
    /// A copy of a page cut off mid-document: the operation must report a decode error.
    Truncated { operation: &'static str },
}

/// Decodes JSON text into one generated type, returning what it decoded to.
type Decoder = fn(&str) -> Result<Decoded, String>;

/// A decoded example: the typed value serialised back, and its `Debug` form (where an
/// unknown enum value shows as `Unknown("…")`).
struct Decoded {
    json: Value,
    debug: String,
}

/// Every example file, by `<folder>/<file>`.
const TABLE: &[(&str, Kind)] = &[
    (
        "github-docs/pagination-wrapper.json",
        // The generic wrapper shows `items`; any operation paging under `items` reads it.
        Kind::Page {
            operation: "v2.bookings.list",
            items_field: "items",
            items: decode::<Vec<V2Booking>>,
        },
    ),
    (
        "github-docs/v1.booking.create-legacy.request.json",
        Kind::Request(decode::<V1LegacyBookingRequest>),
    ),
    (
        "github-docs/v1.booking.create-legacy.response.json",
        Kind::Value(decode::<V1LegacyBooking>),
    ),
    (
        "github-docs/v1.booking.create.request.json",
        Kind::Request(decode::<V1BookingRequest>),
    ),
    (
        "github-docs/v1.booking.create.response.json",
        Kind::Value(decode::<V1Booking>),
    ),
    (
        "github-docs/v1.booking.get.response.json",
        Kind::Value(decode::<V1Booking>),
    ),
    (
        "github-docs/v1.booking.list.response.json",
        Kind::Page {
            operation: "v1.booking.list",
            items_field: "items",
            items: decode::<Vec<V1Booking>>,
        },
    ),
    (
        "github-docs/v1.booking.update.request.json",
        Kind::Request(decode::<BookingCaptureRequest>),
    ),
    (
        "github-docs/v1.booking.update.response.json",
        Kind::Value(decode::<V1Booking>),
    ),
    (
        "github-docs/v1.category.list-by-city.response.json",
        Kind::Page {
            operation: "v1.category.list-by-city",
            items_field: "items",
            items: decode::<Vec<V1Category>>,
        },
    ),
    (
        "github-docs/v1.city.list.response.json",
        Kind::Page {
            operation: "v1.city.list",
            items_field: "items",
            items: decode::<Vec<V1City>>,
        },
    ),
    (
        "github-docs/v1.inventory.list-by-variant.response.json",
        Kind::Page {
            operation: "v1.inventory.list-by-variant",
            items_field: "items",
            items: decode::<Vec<V1Inventory>>,
        },
    ),
    (
        "github-docs/v1.product.get.response.json",
        Kind::Value(decode::<V1Product>),
    ),
    (
        "github-docs/v1.product.list-by-category.response.json",
        Kind::Page {
            operation: "v1.product.list-by-category",
            items_field: "items",
            items: decode::<Vec<V1ProductListing>>,
        },
    ),
    (
        "github-docs/v1.product.list-by-city.response.json",
        Kind::Page {
            operation: "v1.product.list-by-city",
            items_field: "items",
            items: decode::<Vec<V1ProductListing>>,
        },
    ),
    (
        "github-docs/v2.categories.list.response.json",
        Kind::Value(decode::<V2CategoryList>),
    ),
    (
        "github-docs/v2.collections.list.response.json",
        Kind::Page {
            operation: "v2.collections.list",
            items_field: "collections",
            items: decode::<Vec<V2Collection>>,
        },
    ),
    (
        "github-docs/v2.error.invalid-argument.json",
        Kind::ApiError(decode::<V2Error>),
    ),
    (
        "github-docs/v2.error.invalid-enum.json",
        Kind::ApiError(decode::<V2Error>),
    ),
    (
        "github-docs/v2.error.missing-parameter.json",
        Kind::ApiError(decode::<V2Error>),
    ),
    (
        "github-docs/v2.error.processing.json",
        Kind::ApiError(decode::<V2Error>),
    ),
    (
        "github-docs/v2.products.list.response.json",
        Kind::Page {
            operation: "v2.products.list",
            items_field: "products",
            items: decode::<Vec<V2Product>>,
        },
    ),
    (
        "github-docs/v2.subcategories.list.response.json",
        Kind::Value(decode::<V2SubCategoryList>),
    ),
    (
        "partner-docs/v2.availabilities.list.response.json",
        Kind::Value(decode::<V2AvailabilityList>),
    ),
    (
        "partner-docs/v2.bookings.cancel.request.json",
        Kind::Request(decode::<V2CancelRequest>),
    ),
    (
        "partner-docs/v2.bookings.cancel.response.json",
        Kind::Value(decode::<V2RequestResult>),
    ),
    (
        "partner-docs/v2.bookings.capture.request.json",
        Kind::Request(decode::<BookingCaptureRequest>),
    ),
    (
        "partner-docs/v2.bookings.capture.response.json",
        Kind::Value(decode::<V2Booking>),
    ),
    (
        "partner-docs/v2.bookings.create.request.json",
        Kind::Request(decode::<V2BookingRequest>),
    ),
    (
        "partner-docs/v2.bookings.create.request.seatmap.json",
        Kind::Request(decode::<V2BookingRequest>),
    ),
    (
        "partner-docs/v2.bookings.create.response.json",
        Kind::Value(decode::<V2Booking>),
    ),
    (
        "partner-docs/v2.bookings.get.response.json",
        Kind::Value(decode::<V2Booking>),
    ),
    (
        "partner-docs/v2.bookings.list.response.json",
        Kind::Page {
            operation: "v2.bookings.list",
            items_field: "items",
            items: decode::<Vec<V2Booking>>,
        },
    ),
    (
        "partner-docs/v2.bookings.reschedule.request.json",
        Kind::Request(decode::<V2RescheduleRequest>),
    ),
    (
        "partner-docs/v2.bookings.reschedule.response.json",
        Kind::Value(decode::<V2RequestResult>),
    ),
    (
        "partner-docs/v2.categories.list.response.json",
        Kind::Value(decode::<V2CategoryList>),
    ),
    (
        "partner-docs/v2.cities.list.response.json",
        Kind::Page {
            operation: "v2.cities.list",
            items_field: "cities",
            items: decode::<Vec<V2City>>,
        },
    ),
    (
        "partner-docs/v2.collections.list.response.json",
        Kind::Page {
            operation: "v2.collections.list",
            items_field: "collections",
            items: decode::<Vec<V2Collection>>,
        },
    ),
    (
        "partner-docs/v2.inventory.list-by-tour.response.json",
        Kind::Page {
            operation: "v2.inventory.list-by-tour",
            items_field: "items",
            items: decode::<Vec<V2Inventory>>,
        },
    ),
    (
        "partner-docs/v2.products.get.response.json",
        Kind::Value(decode::<V2Product>),
    ),
    (
        "partner-docs/v2.products.list.response.truncated.txt",
        Kind::Truncated {
            operation: "v2.products.list",
        },
    ),
    (
        "partner-docs/v2.products.svg.response.json",
        Kind::Value(decode::<V2SeatmapSvg>),
    ),
    (
        "partner-docs/v2.seatmap.availabilities.response.json",
        Kind::Value(decode::<V2SeatmapAvailabilityList>),
    ),
    (
        "partner-docs/v2.seatmap.inventories.response.json",
        Kind::Value(decode::<V2SeatmapInventory>),
    ),
    (
        "partner-docs/v2.seatmap.validate.response.json",
        Kind::Value(decode::<V2SeatValidation>),
    ),
    (
        "partner-docs/v2.subcategories.list.response.json",
        Kind::Value(decode::<V2SubCategoryList>),
    ),
    (
        "partner-docs/v2.webhooks.booking-event.request.json",
        // Headout sends this event to the partner; the partner's server decodes it.
        Kind::Value(decode::<V2BookingEvent>),
    ),
    (
        "partner-docs/v2.webhooks.create.request.json",
        Kind::Request(decode::<V2WebhookConfig>),
    ),
    (
        "partner-docs/v2.webhooks.create.response.json",
        Kind::Value(decode::<V2WebhookResponse>),
    ),
    (
        "partner-docs/v2.webhooks.get.response.json",
        Kind::Value(decode::<V2WebhookResponse>),
    ),
    (
        "partner-docs/v2.webhooks.update.request.json",
        Kind::Request(decode::<V2WebhookConfig>),
    ),
    (
        "partner-docs/v2.webhooks.update.response.json",
        Kind::Value(decode::<V2WebhookResponse>),
    ),
];

/// Examples whose documented values include one the description's enum does not list,
/// so that the decoded value holds an `Unknown(..)` on purpose. Each entry mirrors an
/// entry of `examples.exceptions` in `spec/headout.yaml`.
const UNKNOWN_IN_EXAMPLE: &[(&str, &str)] = &[(
    "github-docs/v1.inventory.list-by-variant.response.json",
    "LIMITED/UNLIMITED/CLOSED",
)];

/// Places where a request example writes `null` and the request model writes nothing.
/// The generated models read a nullable list that is `null`, absent or empty as an
/// empty `Vec` and leave an empty list out when writing, which the API reads the same
/// way; the example's `null` therefore comes back as an absent field. The test checks
/// that exactly these places differ, and only in this way.
const NULL_OMITTED_IN_REQUESTS: &[(&str, &str)] = &[(
    "partner-docs/v2.bookings.create.request.seatmap.json",
    "/variantInputFields",
)];

/// A few enum-typed string fields per example, as JSON pointers (into the items array
/// for pages): an unknown value there must decode to `Unknown(..)`. They prove the
/// exhaustive substitution below reaches enums and is not passing vacuously.
const ENUM_FIELDS: &[(&str, &[&str])] = &[
    ("github-docs/v1.booking.get.response.json", &["/status"]),
    (
        "github-docs/v1.booking.create-legacy.request.json",
        &["/customersDetails/priceType"],
    ),
    (
        "github-docs/v1.product.get.response.json",
        &[
            "/productType",
            "/variants/0/inventoryType",
            "/variants/0/inputFields/0/level",
        ],
    ),
    (
        "github-docs/v1.inventory.list-by-variant.response.json",
        &["/0/availability"],
    ),
    (
        "github-docs/v2.products.list.response.json",
        &["/0/productType"],
    ),
    (
        "partner-docs/v2.products.get.response.json",
        &["/inventorySelectionType", "/pricing/profileType"],
    ),
    (
        "partner-docs/v2.bookings.get.response.json",
        &["/status", "/tickets/0/type"],
    ),
    (
        "partner-docs/v2.webhooks.booking-event.request.json",
        &["/status"],
    ),
    ("partner-docs/v2.bookings.cancel.request.json", &["/reason"]),
    (
        "partner-docs/v2.inventory.list-by-tour.response.json",
        &["/0/availability"],
    ),
];

/// Decodes `text` as a `T`, naming the JSON path of the first value that does not fit.
fn decode<T: DeserializeOwned + Serialize + Debug>(text: &str) -> Result<Decoded, String> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| format!("at `{}`: {}", e.path(), e.inner()))?;
    deserializer.end().map_err(|e| e.to_string())?;
    let json = serde_json::to_value(&value).map_err(|e| format!("does not serialise: {e}"))?;
    Ok(Decoded {
        json,
        debug: format!("{value:?}"),
    })
}

fn examples_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/headout/examples")
}

fn read(file: &str) -> String {
    let path = examples_root().join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn kind(file: &str) -> Kind {
    TABLE
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, kind)| *kind)
        .unwrap_or_else(|| panic!("{file} is not in TABLE"))
}

/// Every file of the example folders, as `<folder>/<file>`, sorted.
fn example_files() -> Vec<String> {
    let mut files = Vec::new();
    for folder in FOLDERS {
        let dir = examples_root().join(folder);
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                files.push(format!("{folder}/{}", entry.file_name().to_string_lossy()));
            }
        }
    }
    files.sort();
    files
}

/// A loopback server that answers every request with the body and status last set.
struct ExampleServer {
    server: Server,
    answer: Arc<Mutex<(u16, String)>>,
    client: Client<WithKey>,
}

impl ExampleServer {
    async fn start() -> Self {
        let answer = Arc::new(Mutex::new((200, String::new())));
        let shared = Arc::clone(&answer);
        let server = Server::start(move |_, _| {
            let (status, body) = shared.lock().unwrap().clone();
            Reply::raw(status, body).header("content-type", "application/json")
        })
        .await;
        let client = Client::builder_with_base_url(server.url())
            .key(KEY)
            .retry(headout_client::runtime::RetryPolicy::none())
            .build()
            .unwrap();
        ExampleServer {
            server,
            answer,
            client,
        }
    }

    fn answer_with(&self, status: u16, body: &str) {
        *self.answer.lock().unwrap() = (status, body.to_owned());
    }

    /// Fetches one page of `operation` through its generated request builder, with the
    /// server answering `body`.
    async fn page(&self, operation: &str, body: &str) -> Result<Decoded, Error> {
        self.answer_with(200, body);
        let client = &self.client;
        let at = NaiveDateTime::parse_from_str("2024-01-15T10:30:00", "%Y-%m-%dT%H:%M:%S").unwrap();
        match operation {
            "v1.booking.list" => client.v1().booking().list().send().await.map(page),
            "v1.category.list-by-city" => client
                .v1()
                .category()
                .list_by_city("NEW_YORK")
                .send()
                .await
                .map(page),
            "v1.city.list" => client.v1().city().list().send().await.map(page),
            "v1.inventory.list-by-variant" => client
                .v1()
                .inventory()
                .list_by_variant(1)
                .send()
                .await
                .map(page),
            "v1.product.list-by-category" => client
                .v1()
                .product()
                .list_by_category(1)
                .send()
                .await
                .map(page),
            "v1.product.list-by-city" => client
                .v1()
                .product()
                .list_by_city("NEW_YORK")
                .send()
                .await
                .map(page),
            "v2.bookings.list" => client.v2().bookings().list().send().await.map(page),
            "v2.cities.list" => client.v2().cities().list().send().await.map(page),
            "v2.collections.list" => client
                .v2()
                .collections()
                .list("NEW_YORK")
                .send()
                .await
                .map(page),
            "v2.inventory.list-by-tour" => client
                .v2()
                .inventory()
                .list_by_tour("USD", at, 1)
                .send()
                .await
                .map(page),
            "v2.products.list" => client
                .v2()
                .products()
                .list("NEW_YORK")
                .send()
                .await
                .map(page),
            other => panic!("no page fetch for `{other}`; add it to ExampleServer::page"),
        }
    }
}

/// A page as the test compares it: the items serialised back, and the metadata.
fn page<T: Serialize + Debug>(page: Page<T>) -> Decoded {
    let debug = format!("{page:?}");
    let json = json!({
        "items": serde_json::to_value(&page.items).unwrap(),
        "total": page.total,
        "nextOffset": page.next_offset,
        "nextUrl": page.next_url.map(String::from),
        "prevUrl": page.prev_url.map(String::from),
    });
    Decoded { json, debug }
}

/// The `Debug` fragment of an unknown enum value holding `raw`.
fn unknown(raw: &str) -> String {
    format!("Unknown({raw:?})")
}

#[test]
fn every_example_file_is_in_the_table() {
    let files = example_files();
    assert!(
        files.len() >= 50,
        "only {} example files found",
        files.len()
    );
    let missing: Vec<&String> = files
        .iter()
        .filter(|file| TABLE.iter().all(|(name, _)| name != file))
        .collect();
    assert!(
        missing.is_empty(),
        "example files without a TABLE entry in tests/it/examples.rs (name the generated type \
         they decode into): {missing:#?}"
    );
    let stale: Vec<&str> = TABLE
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !files.iter().any(|file| file == name))
        .collect();
    assert!(stale.is_empty(), "TABLE entries naming no file: {stale:#?}");
    let named = ENUM_FIELDS.iter().map(|(file, _)| file);
    for file in named.chain(UNKNOWN_IN_EXAMPLE.iter().map(|(file, _)| file)) {
        assert!(files.iter().any(|f| f == file), "{file} does not exist");
    }
}

/// Asserts that the decoded example shows no `Unknown(..)` value except the ones the
/// example is known to carry.
fn assert_only_known_enum_values(file: &str, decoded: &Decoded) {
    let mut debug = decoded.debug.clone();
    for (name, raw) in UNKNOWN_IN_EXAMPLE {
        if *name == file {
            assert!(debug.contains(&unknown(raw)), "{file}: {raw} not decoded");
            debug = debug.replace(&unknown(raw), "");
        }
    }
    assert!(
        !debug.contains("Unknown("),
        "{file}: a documented value decodes as unknown; add it to the enum in \
         spec/headout.yaml: {debug}"
    );
}

#[tokio::test]
async fn every_example_decodes_into_its_generated_type() {
    let server = ExampleServer::start().await;
    for file in example_files() {
        let text = read(&file);
        match kind(&file) {
            Kind::Value(decoder) => {
                let decoded = decoder(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
                assert_only_known_enum_values(&file, &decoded);
            }
            Kind::Request(decoder) => {
                let decoded = decoder(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
                assert_only_known_enum_values(&file, &decoded);
                let mut example: Value = serde_json::from_str(&text).unwrap();
                for (name, pointer) in NULL_OMITTED_IN_REQUESTS {
                    if *name == file {
                        remove_null(&mut example, pointer)
                            .unwrap_or_else(|e| panic!("{file}{pointer}: {e}"));
                        assert_eq!(decoded.json.pointer(pointer), None, "{file}{pointer}");
                    }
                }
                assert_eq!(
                    decoded.json, example,
                    "{file}: the request model does not serialise back to the example"
                );
            }
            Kind::ApiError(decoder) => {
                let decoded = decoder(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
                assert_only_known_enum_values(&file, &decoded);
                check_api_error(&server, &file, &text).await;
            }
            Kind::Page {
                operation,
                items_field,
                items,
            } => {
                let fetched = server
                    .page(operation, &text)
                    .await
                    .unwrap_or_else(|e| panic!("{file}: {e}"));
                assert_only_known_enum_values(&file, &fetched);
                let example: Value = serde_json::from_str(&text).unwrap();
                let local = items(&example[items_field].to_string())
                    .unwrap_or_else(|e| panic!("{file}: items: {e}"));
                assert_eq!(
                    fetched.json["items"], local.json,
                    "{file}: {operation} does not read its items from `{items_field}`"
                );
                check_page_metadata(&server, &file, &example, &fetched.json);
            }
            Kind::Truncated { operation } => {
                let error = server.page(operation, &text).await.err();
                match error {
                    Some(Error::Decode {
                        operation: failed,
                        status,
                        path,
                        excerpt,
                        ..
                    }) => {
                        assert_eq!(failed, operation);
                        assert_eq!(status.as_u16(), 200);
                        let item = format!("{}[0]", items_field_of(operation));
                        assert!(path.starts_with(&item), "{file}: path `{path}`");
                        assert!(text.starts_with(excerpt.trim_end_matches('…')));
                    }
                    other => panic!("{file}: expected Error::Decode, got {other:?}"),
                }
            }
        }
    }
}

/// Removes the `null` at `pointer` (a field of an object) from `value`.
fn remove_null(value: &mut Value, pointer: &str) -> Result<(), String> {
    let (parent, field) = pointer.rsplit_once('/').ok_or("not a pointer")?;
    let object = value
        .pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .ok_or("no object holds the field")?;
    match object.remove(field) {
        Some(Value::Null) => Ok(()),
        Some(other) => Err(format!(
            "the example holds {other}, not null; remove the entry"
        )),
        None => Err("the example has no such field; remove the entry".into()),
    }
}

/// The items field of a paginated operation, as the table names it.
fn items_field_of(operation: &str) -> &'static str {
    TABLE
        .iter()
        .find_map(|(_, kind)| match kind {
            Kind::Page {
                operation: op,
                items_field,
                ..
            } if *op == operation => Some(*items_field),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no page of {operation} in TABLE"))
}

/// The page's total and next offset are the example's, and its neighbouring URLs are
/// the example's resolved against the server: absolute ones unchanged, relative ones
/// onto the server's origin.
fn check_page_metadata(server: &ExampleServer, file: &str, example: &Value, page: &Value) {
    assert_eq!(page["total"], example["total"], "{file}: total");
    let next_offset = match &example["nextOffset"] {
        Value::Null => Value::Null,
        Value::Number(n) => json!(n),
        Value::String(s) => match s.parse::<u64>() {
            Ok(index) => json!(index),
            Err(_) => json!(s),
        },
        other => panic!("{file}: nextOffset {other}"),
    };
    assert_eq!(page["nextOffset"], next_offset, "{file}: nextOffset");
    for field in ["nextUrl", "prevUrl"] {
        let expected = match &example[field] {
            Value::String(url) if url.starts_with("http") => {
                // Absolute URLs keep their host; only normalisation may differ.
                Value::String(url::Url::parse(url).unwrap().to_string())
            }
            Value::String(url) if url.starts_with('/') => {
                Value::String(format!("{}{url}", server.server.url()))
            }
            Value::String(url) => panic!("{file}: {field} `{url}` is neither absolute nor rooted"),
            _ => Value::Null,
        };
        assert_eq!(page[field], expected, "{file}: {field}");
    }
}

/// The places where `decoded` (an example decoded and serialised back) and `example`
/// differ in content rather than in form, as `<pointer>: <decoded> vs <example>`.
///
/// The forms that carry the same content are: a `null`, an absent field, an empty list
/// and an empty object (the models read all of them as "none" and write "none" as
/// absent), and numbers of equal value (`70.0` comes back as `70`, since amounts are
/// exact decimals and JSON numbers reach the decoder without their written form).
fn content_differences(decoded: &Value, example: &Value, at: &str, out: &mut Vec<String>) {
    let none = |value: &Value| match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    };
    match (decoded, example) {
        (Value::Object(left), Value::Object(right)) => {
            let mut keys: Vec<&String> = left.keys().chain(right.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let left = left.get(key).unwrap_or(&Value::Null);
                let right = right.get(key).unwrap_or(&Value::Null);
                content_differences(left, right, &format!("{at}/{key}"), out);
            }
        }
        (Value::Array(left), Value::Array(right)) if left.len() == right.len() => {
            for (index, (left, right)) in left.iter().zip(right).enumerate() {
                content_differences(left, right, &format!("{at}/{index}"), out);
            }
        }
        (Value::Number(left), Value::Number(right)) if left.as_f64() == right.as_f64() => {}
        (left, right) if left == right || (none(left) && none(right)) => {}
        (left, right) => out.push(format!("{at}: {left} vs {right}")),
    }
}

#[tokio::test]
async fn responses_keep_every_documented_value() {
    // Decoding must not drop or alter anything an example documents: a field the model
    // names differently, or a value read into the wrong field, shows up here even when
    // the decode itself succeeds.
    let server = ExampleServer::start().await;
    for file in example_files() {
        let text = read(&file);
        let (decoded, example) = match kind(&file) {
            Kind::Value(decoder) | Kind::ApiError(decoder) => (
                decoder(&text).unwrap().json,
                serde_json::from_str(&text).unwrap(),
            ),
            Kind::Page {
                operation,
                items_field,
                ..
            } => {
                let page = server.page(operation, &text).await.unwrap();
                let example: Value = serde_json::from_str(&text).unwrap();
                (page.json["items"].clone(), example[items_field].clone())
            }
            // Request examples are compared exactly by the decode test.
            Kind::Request(_) | Kind::Truncated { .. } => continue,
        };
        let mut differences = Vec::new();
        content_differences(&decoded, &example, "", &mut differences);
        assert!(
            differences.is_empty(),
            "{file}: decoded and serialised back, the example changes at:\n{}",
            differences.join("\n")
        );
    }
}

/// Serves the error example with status 400 and checks what the client makes of it.
async fn check_api_error(server: &ExampleServer, file: &str, text: &str) {
    server.answer_with(400, text);
    let example: Value = serde_json::from_str(text).unwrap();
    let error = server.client.v2().cities().list().send().await.unwrap_err();
    match &error {
        Error::Api {
            operation,
            status,
            code,
            message,
            body,
            ..
        } => {
            assert_eq!(*operation, "v2.cities.list");
            assert_eq!(status.as_u16(), 400);
            assert_eq!(code.as_deref(), example["error"]["code"].as_str(), "{file}");
            assert_eq!(
                message.as_deref(),
                example["error"]["message"].as_str(),
                "{file}"
            );
            assert_eq!(body, text, "{file}: the raw body is kept");
        }
        other => panic!("{file}: expected Error::Api, got {other:?}"),
    }
    assert!(!error.is_retryable());
}

/// Fields whose JSON objects are maps, where any key is data rather than an unknown
/// field, so injecting a key of another type there would be a genuine type error.
const MAP_FIELDS: &[&str] = &["localeSpecificUrls", "properties", "propertiesV2"];

/// Adds a field no version of the API documents to every object of `value`, with a
/// nested value so that skipping it exercises arrays and objects too.
fn inject_unknown_fields(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if !MAP_FIELDS.contains(&key.as_str()) {
                    inject_unknown_fields(child);
                }
            }
            map.insert(
                "zzFieldFromTheFuture".into(),
                json!({"nested": [1, "two", null, {"deep": true}], "flag": false}),
            );
        }
        Value::Array(items) => items.iter_mut().for_each(inject_unknown_fields),
        _ => {}
    }
}

#[tokio::test]
async fn unknown_fields_at_every_level_still_decode() {
    let server = ExampleServer::start().await;
    for file in example_files() {
        let text = read(&file);
        let Ok(mut example) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        inject_unknown_fields(&mut example);
        let mutated = example.to_string();
        let decoded = match kind(&file) {
            Kind::Value(decoder) | Kind::Request(decoder) | Kind::ApiError(decoder) => {
                decoder(&mutated)
            }
            Kind::Page { operation, .. } => server
                .page(operation, &mutated)
                .await
                .map_err(|e| e.to_string()),
            Kind::Truncated { .. } => unreachable!("{file} is not JSON"),
        };
        let decoded = decoded.unwrap_or_else(|e| panic!("{file} with unknown fields: {e}"));
        assert!(
            !decoded.json.to_string().contains("zzFieldFromTheFuture"),
            "{file}: an unknown field was kept as data"
        );
        // The unknown fields are ignored, not mistaken for anything: the rest decodes
        // exactly as the unmodified example does.
        let original = match kind(&file) {
            Kind::Value(decoder) | Kind::Request(decoder) | Kind::ApiError(decoder) => {
                decoder(&text).unwrap()
            }
            Kind::Page { operation, .. } => server.page(operation, &text).await.unwrap(),
            Kind::Truncated { .. } => unreachable!(),
        };
        assert_eq!(decoded.json, original.json, "{file}");
    }
}

/// The JSON pointer of every string value in `value`, object keys excepted.
fn string_pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::String(_) => out.push(at.to_owned()),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                string_pointers(item, &format!("{at}/{index}"), out);
            }
        }
        Value::Object(map) => {
            for (key, child) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                string_pointers(child, &format!("{at}/{key}"), out);
            }
        }
        _ => {}
    }
}

/// The JSON an example's decoder reads, and the decoder: the items array for pages.
fn local_subject(file: &str) -> Option<(Value, Decoder)> {
    let example: Value = serde_json::from_str(&read(file)).ok()?;
    match kind(file) {
        Kind::Value(decoder) | Kind::Request(decoder) | Kind::ApiError(decoder) => {
            Some((example, decoder))
        }
        Kind::Page {
            items_field, items, ..
        } => Some((example[items_field].clone(), items)),
        Kind::Truncated { .. } => None,
    }
}

#[test]
fn unknown_values_in_every_string_field_still_decode() {
    const RAW: &str = "ZZ_VALUE_FROM_THE_FUTURE";
    let mut enums_seen = 0;
    for file in example_files() {
        let Some((subject, decoder)) = local_subject(&file) else {
            continue;
        };
        let mut pointers = Vec::new();
        string_pointers(&subject, "", &mut pointers);
        for pointer in &pointers {
            let mut mutated = subject.clone();
            *mutated.pointer_mut(pointer).unwrap() = Value::String(RAW.into());
            match decoder(&mutated.to_string()) {
                Ok(decoded) => {
                    if decoded.debug.contains(&unknown(RAW)) {
                        enums_seen += 1;
                        // The raw string is kept and serialises back where it was.
                        assert_eq!(
                            decoded.json.pointer(pointer),
                            Some(&Value::String(RAW.into())),
                            "{file}{pointer}"
                        );
                    }
                }
                // Strings with a format (dates, times, amounts) may refuse the value;
                // an enum never may.
                Err(message) => assert!(
                    !message.contains("unknown variant"),
                    "{file}{pointer}: an enum refuses an unknown value: {message}"
                ),
            }
        }
    }
    assert!(
        enums_seen > 20,
        "only {enums_seen} enum values were reached"
    );
}

#[test]
fn chosen_enum_fields_keep_unknown_values() {
    for (file, pointers) in ENUM_FIELDS {
        let (subject, decoder) = local_subject(file).unwrap();
        for (index, pointer) in pointers.iter().enumerate() {
            let raw = format!("NEW_VALUE_{index}");
            let mut mutated = subject.clone();
            let slot = mutated
                .pointer_mut(pointer)
                .unwrap_or_else(|| panic!("{file}: no value at {pointer}"));
            assert!(slot.is_string(), "{file}{pointer} is not a string");
            *slot = Value::String(raw.clone());
            let decoded =
                decoder(&mutated.to_string()).unwrap_or_else(|e| panic!("{file}{pointer}: {e}"));
            assert!(
                decoded.debug.contains(&unknown(&raw)),
                "{file}{pointer}: not an enum's Unknown: {}",
                decoded.debug
            );
            assert_eq!(
                decoded.json.pointer(pointer),
                Some(&Value::String(raw)),
                "{file}{pointer}"
            );
        }
    }
}

#[test]
fn typed_unknown_values_are_reachable() {
    use headout_client::models::{V2BookingStatus, V2CancellationReason};
    let mut booking: Value =
        serde_json::from_str(&read("partner-docs/v2.bookings.get.response.json")).unwrap();
    booking["status"] = json!("ON_HOLD");
    let booking: V2Booking = serde_json::from_value(booking).unwrap();
    assert_eq!(booking.status, V2BookingStatus::Unknown("ON_HOLD".into()));
    assert!(booking.status.is_unknown());
    assert_eq!(booking.status.as_str(), "ON_HOLD");

    let mut cancel: Value =
        serde_json::from_str(&read("partner-docs/v2.bookings.cancel.request.json")).unwrap();
    cancel["reason"] = json!("WEATHER");
    let request: V2CancelRequest = serde_json::from_value(cancel.clone()).unwrap();
    assert_eq!(
        request.reason,
        V2CancellationReason::Unknown("WEATHER".into())
    );
    // A request carrying an unknown value sends it back unchanged.
    assert_eq!(serde_json::to_value(&request).unwrap(), cancel);
}
