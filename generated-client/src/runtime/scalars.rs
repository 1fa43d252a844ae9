//! Scalar types generated models use for values JSON has no exact type for.
//!
//! Ids that arrive sometimes as strings and sometimes as numbers, times of day,
//! epoch timestamps and money amounts each get a type with serde support both ways,
//! so models decode what the API really sends and encode it back in the same form.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use chrono::{DateTime, NaiveTime, Timelike, Utc};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// An identifier that the API sends as a JSON string or as a JSON number.
///
/// It decodes either form and encodes back in the form it came in. Two ids are
/// equal when their text is equal, so `Id::from(512)` equals `Id::from("512")`:
/// APIs that mix the forms mean the same object by both. Ordering puts numeric ids
/// first, in numeric order, then the others in text order.
///
/// ```
/// use headout_client::Id;
/// let id: Id = serde_json::from_str("\"2844\"").unwrap();
/// assert_eq!(id, Id::from(2844));
/// assert_eq!(serde_json::to_string(&id).unwrap(), "\"2844\"");
/// assert_eq!(id.to_string(), "2844");
/// ```
#[derive(Clone, Debug)]
pub enum Id {
    /// The id came (or goes) as a JSON string.
    Text(String),
    /// The id came (or goes) as a JSON number.
    Number(i64),
}

impl Id {
    /// The text of the id, borrowed when it is already text.
    pub fn as_str(&self) -> Cow<'_, str> {
        match self {
            Id::Text(s) => Cow::Borrowed(s),
            Id::Number(n) => Cow::Owned(n.to_string()),
        }
    }

    /// The id as an integer: a numeric id, or a text id written as a plain integer.
    pub fn as_i64(&self) -> Option<i64> {
        match self.key() {
            IdKey::Number(n) => Some(n),
            IdKey::Text(_) => None,
        }
    }

    /// Whether the id was a JSON number.
    pub fn is_number(&self) -> bool {
        matches!(self, Id::Number(_))
    }

    /// The canonical form used for equality, hashing and ordering: text that is
    /// exactly the decimal form of an `i64` counts as that number.
    fn key(&self) -> IdKey<'_> {
        match self {
            Id::Number(n) => IdKey::Number(*n),
            Id::Text(s) => match s.parse::<i64>() {
                Ok(n) if n.to_string() == *s => IdKey::Number(n),
                _ => IdKey::Text(s),
            },
        }
    }
}

/// See [`Id::key`].
#[derive(PartialEq, Eq, PartialOrd, Ord, Hash)]
enum IdKey<'a> {
    Number(i64),
    Text(&'a str),
}

impl PartialEq for Id {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Id {}

impl Hash for Id {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl PartialOrd for Id {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Id {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::Text(s) => f.write_str(s),
            Id::Number(n) => write!(f, "{n}"),
        }
    }
}

impl From<&str> for Id {
    fn from(value: &str) -> Self {
        Id::Text(value.to_owned())
    }
}

impl From<String> for Id {
    fn from(value: String) -> Self {
        Id::Text(value)
    }
}

impl From<i64> for Id {
    fn from(value: i64) -> Self {
        Id::Number(value)
    }
}

impl From<i32> for Id {
    fn from(value: i32) -> Self {
        Id::Number(value.into())
    }
}

impl From<u32> for Id {
    fn from(value: u32) -> Self {
        Id::Number(value.into())
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Id::Text(s) => serializer.serialize_str(s),
            Id::Number(n) => serializer.serialize_i64(*n),
        }
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;

        impl Visitor<'_> for IdVisitor {
            type Value = Id;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id (a string or an integer)")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                Ok(Id::Text(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Id, E> {
                Ok(Id::Text(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Id, E> {
                Ok(Id::Number(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id, E> {
                i64::try_from(v)
                    .map(Id::Number)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
        }

        deserializer.deserialize_any(IdVisitor)
    }
}

/// A time of day without date or zone, written `HH:mm` (and read as `HH:mm` or
/// `HH:mm:ss`).
///
/// Seconds, when not zero, are written too (`HH:mm:ss`) so that no value is
/// silently changed by a round trip.
///
/// ```
/// use headout_client::LocalTime;
/// let t: LocalTime = "09:30".parse().unwrap();
/// assert_eq!(t.to_string(), "09:30");
/// assert_eq!(serde_json::to_string(&t).unwrap(), "\"09:30\"");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalTime(pub NaiveTime);

impl LocalTime {
    /// The time `hour:minute`, or `None` when out of range.
    pub fn from_hm(hour: u32, minute: u32) -> Option<Self> {
        NaiveTime::from_hms_opt(hour, minute, 0).map(LocalTime)
    }
}

impl From<NaiveTime> for LocalTime {
    fn from(value: NaiveTime) -> Self {
        LocalTime(value)
    }
}

impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.second() == 0 && self.0.nanosecond() == 0 {
            write!(f, "{}", self.0.format("%H:%M"))
        } else {
            write!(f, "{}", self.0.format("%H:%M:%S%.f"))
        }
    }
}

impl FromStr for LocalTime {
    type Err = chrono::ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NaiveTime::parse_from_str(s, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S%.f"))
            .map(LocalTime)
    }
}

impl Serialize for LocalTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LocalTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(|_| {
            de::Error::invalid_value(de::Unexpected::Str(&text), &"a time as HH:mm or HH:mm:ss")
        })
    }
}

/// Defines an epoch timestamp newtype; the two differ only in their unit.
macro_rules! epoch_type {
    ($(#[$doc:meta])* $name:ident, $unit:literal, $to_datetime:expr, $from_datetime:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl $name {
            #[doc = concat!("The instant as a UTC date-time, or `None` when the number of ", $unit, " is out of chrono's range.")]
            pub fn to_datetime(self) -> Option<DateTime<Utc>> {
                let convert: fn(i64) -> Option<DateTime<Utc>> = $to_datetime;
                convert(self.0)
            }
        }

        impl From<DateTime<Utc>> for $name {
            fn from(value: DateTime<Utc>) -> Self {
                let convert: fn(&DateTime<Utc>) -> i64 = $from_datetime;
                $name(convert(&value))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer
                    .deserialize_any(EpochVisitor(concat!("a number of ", $unit, " since 1970")))
                    .map($name)
            }
        }
    };
}

epoch_type!(
    /// An instant as whole seconds since 1970-01-01T00:00:00Z, sent as a JSON integer.
    ///
    /// ```
    /// use headout_client::EpochSeconds;
    /// let t: EpochSeconds = serde_json::from_str("1700000000").unwrap();
    /// assert_eq!(t.to_datetime().unwrap().to_rfc3339(), "2023-11-14T22:13:20+00:00");
    /// ```
    EpochSeconds,
    "seconds",
    |secs| DateTime::from_timestamp(secs, 0),
    DateTime::timestamp
);

epoch_type!(
    /// An instant as milliseconds since 1970-01-01T00:00:00Z, sent as a JSON integer.
    ///
    /// ```
    /// use headout_client::EpochMillis;
    /// let t: EpochMillis = serde_json::from_str("1700000000123").unwrap();
    /// assert_eq!(t.to_datetime().unwrap().to_rfc3339(), "2023-11-14T22:13:20.123+00:00");
    /// ```
    EpochMillis,
    "milliseconds",
    DateTime::from_timestamp_millis,
    DateTime::timestamp_millis
);

/// Reads an epoch timestamp from an integer, from a float with no fractional part
/// (some encoders write `1.7E12`), or from a string holding an integer.
struct EpochVisitor(&'static str);

impl Visitor<'_> for EpochVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        // The bounds keep the cast exact; 2^63 is the first float out of range.
        if v.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&v) {
            Ok(v as i64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

/// Serde for money amounts held as [`Decimal`](rust_decimal::Decimal): reads a JSON
/// number or a numeric string without losing cents, writes a JSON number.
///
/// JSON numbers reach serde as `f64`; the amount is rebuilt from the shortest
/// decimal text that round-trips to that `f64`, which is exactly what the server
/// wrote for any amount with up to 15 significant digits (`77.08` stays `77.08`,
/// never `77.0799999…`). Use it as
/// `#[serde(with = "crate::runtime::money_serde")]` on a `Decimal` field.
///
/// ```
/// use headout_client::Decimal;
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Price {
///     #[serde(with = "headout_client::runtime::money_serde")]
///     amount: Decimal,
/// }
/// let price: Price = serde_json::from_str(r#"{"amount": 77.08}"#).unwrap();
/// assert_eq!(price.amount.to_string(), "77.08");
/// assert_eq!(serde_json::to_string(&price).unwrap(), r#"{"amount":77.08}"#);
/// ```
pub mod money_serde {
    use std::fmt;
    use std::str::FromStr;

    use rust_decimal::Decimal;
    use serde::Serializer;
    use serde::de::{self, Deserializer, Visitor};

    /// Writes the amount as a JSON number: an integer when it has no fractional
    /// part, otherwise the nearest `f64`, whose shortest form is the amount itself.
    pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        if value.fract().is_zero()
            && let Ok(whole) = i64::try_from(value.trunc())
        {
            return serializer.serialize_i64(whole);
        }
        // Parsing the decimal text is correctly rounded, unlike arithmetic on the
        // mantissa, so 77.08 becomes the same f64 a JSON parser would produce.
        let float = f64::from_str(&value.to_string()).map_err(serde::ser::Error::custom)?;
        serializer.serialize_f64(float)
    }

    /// Reads an amount from a JSON number or a string holding one.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        deserializer.deserialize_any(MoneyVisitor)
    }

    struct MoneyVisitor;

    impl Visitor<'_> for MoneyVisitor {
        type Value = Decimal;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an amount (a number or a numeric string)")
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
            // Rust prints the shortest text that reads back as the same float, and
            // never in exponent form, so the text is the amount the server wrote.
            Decimal::from_str(&v.to_string())
                .map_err(|_| E::invalid_value(de::Unexpected::Float(v), &self))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            let text = v.trim();
            Decimal::from_str_exact(text)
                .or_else(|_| Decimal::from_scientific(text))
                .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }
}

/// Like [`money_serde`], for `Option<Decimal>` fields: `null` reads as `None`.
///
/// Pair it with `#[serde(default)]` so that a missing field also reads as `None`.
pub mod money_serde_opt {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    /// A `Decimal` read and written through [`money_serde`](super::money_serde).
    #[derive(Deserialize)]
    struct Money(#[serde(with = "super::money_serde")] Decimal);

    /// Writes `None` as `null` and an amount as a JSON number.
    pub fn serialize<S: Serializer>(
        value: &Option<Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(amount) => super::money_serde::serialize(amount, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads `null` as `None` and anything else as an amount.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Decimal>, D::Error> {
        Ok(Option::<Money>::deserialize(deserializer)?.map(|Money(amount)| amount))
    }
}

/// Like [`money_serde`], for amounts inside lists and maps at any depth
/// (`Vec<Decimal>`, `BTreeMap<String, Decimal>`, `Vec<BTreeMap<String, Decimal>>`, …):
/// every amount is read from a JSON number or a numeric string and written as a JSON
/// number, as a single amount is. `Decimal`'s own serde would write strings.
///
/// Use it as `#[serde(with = "crate::runtime::money_serde_nested")]`. On a field that
/// may be missing or `null`, both read as empty, write
/// `#[serde(default, serialize_with = "crate::runtime::money_serde_nested::serialize",
/// deserialize_with = "crate::runtime::money_serde_nested::deserialize_or_default")]`.
///
/// ```
/// use std::collections::BTreeMap;
/// use headout_client::Decimal;
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Prices {
///     #[serde(with = "headout_client::runtime::money_serde_nested")]
///     steps: Vec<Decimal>,
///     #[serde(
///         default,
///         serialize_with = "headout_client::runtime::money_serde_nested::serialize",
///         deserialize_with = "headout_client::runtime::money_serde_nested::deserialize_or_default"
///     )]
///     by_currency: BTreeMap<String, Vec<Decimal>>,
/// }
/// let prices: Prices =
///     serde_json::from_str(r#"{"steps": [77.08, "1.5"], "by_currency": null}"#).unwrap();
/// assert_eq!(prices.steps[0].to_string(), "77.08");
/// assert!(prices.by_currency.is_empty());
/// assert_eq!(
///     serde_json::to_string(&prices).unwrap(),
///     r#"{"steps":[77.08,1.5],"by_currency":{}}"#
/// );
/// ```
pub mod money_serde_nested {
    use std::collections::BTreeMap;

    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// A value made of amounts: an amount, or a list or map of such values.
    pub trait Amounts: Sized {
        /// Writes the value, each amount as a JSON number.
        fn serialize_amounts<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;

        /// Reads the value, each amount from a JSON number or a numeric string.
        fn deserialize_amounts<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Self, D::Error>;
    }

    /// Writes a borrowed value through [`Amounts`], for the items of a list or map.
    struct Write<'a, T>(&'a T);

    impl<T: Amounts> Serialize for Write<'_, T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            self.0.serialize_amounts(serializer)
        }
    }

    /// Holds a value read through [`Amounts`], for the items of a list or map.
    struct Read<T>(T);

    impl<'de, T: Amounts> Deserialize<'de> for Read<T> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            T::deserialize_amounts(deserializer).map(Read)
        }
    }

    impl Amounts for Decimal {
        fn serialize_amounts<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            super::money_serde::serialize(self, serializer)
        }

        fn deserialize_amounts<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Self, D::Error> {
            super::money_serde::deserialize(deserializer)
        }
    }

    impl<T: Amounts> Amounts for Vec<T> {
        fn serialize_amounts<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(self.iter().map(Write))
        }

        fn deserialize_amounts<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Self, D::Error> {
            let items = Vec::<Read<T>>::deserialize(deserializer)?;
            Ok(items.into_iter().map(|Read(item)| item).collect())
        }
    }

    impl<T: Amounts> Amounts for BTreeMap<String, T> {
        fn serialize_amounts<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_map(self.iter().map(|(key, value)| (key, Write(value))))
        }

        fn deserialize_amounts<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Self, D::Error> {
            let entries = BTreeMap::<String, Read<T>>::deserialize(deserializer)?;
            Ok(entries
                .into_iter()
                .map(|(key, Read(value))| (key, value))
                .collect())
        }
    }

    /// Writes every amount of the value as a JSON number.
    pub fn serialize<T: Amounts, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize_amounts(serializer)
    }

    /// Reads the value, every amount from a JSON number or a numeric string.
    pub fn deserialize<'de, T: Amounts, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        T::deserialize_amounts(deserializer)
    }

    /// Like [`deserialize`], but reads `null` as the empty list or map, as
    /// [`null_as_default`](crate::runtime::null_as_default) does for other lists.
    pub fn deserialize_or_default<'de, T: Amounts + Default, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        Ok(Option::<Read<T>>::deserialize(deserializer)?
            .map(|Read(value)| value)
            .unwrap_or_default())
    }
}
