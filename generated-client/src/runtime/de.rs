//! Serde helpers that generated models name in their field attributes.

use serde::{Deserialize, Deserializer};

/// Reads `null` as the type's default value (an empty list, an empty string, …),
/// for fields that APIs send as `null` when they mean "none".
///
/// Pair it with `#[serde(default)]` so that a missing field reads the same way:
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Booking {
///     #[serde(default, deserialize_with = "headout_client::runtime::null_as_default")]
///     tickets: Vec<String>,
/// }
/// let booking: Booking = serde_json::from_str(r#"{"tickets": null}"#).unwrap();
/// assert!(booking.tickets.is_empty());
/// let booking: Booking = serde_json::from_str("{}").unwrap();
/// assert!(booking.tickets.is_empty());
/// ```
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
