//! The trait impls every generated enum shares, written once here instead of once per
//! enum in the generated code.
//!
//! A generated enum has one variant per value the description lists and a catch-all
//! variant that keeps any other value as sent. The generated code writes what differs
//! between enums (the variants, `as_str`, `from_wire`) and invokes [`wire_enum!`] for the
//! rest: `Display`, `FromStr`, serde and [`ToParam`](crate::runtime::ToParam), all of
//! which go through `as_str` and `from_wire`.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, Visitor};

/// Reads a JSON string into a generated enum through its `from_wire`, borrowing the
/// string when the input allows it, so a known value costs no allocation.
pub fn deserialize_wire_value<'de, D, T>(
    deserializer: D,
    from_wire: fn(&str) -> T,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct WireVisitor<T> {
        from_wire: fn(&str) -> T,
        marker: PhantomData<T>,
    }

    impl<T> Visitor<'_> for WireVisitor<T> {
        type Value = T;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a string")
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
            Ok((self.from_wire)(value))
        }
    }

    deserializer.deserialize_str(WireVisitor {
        from_wire,
        marker: PhantomData,
    })
}

/// Implements `Display`, `FromStr`, `Serialize`, `Deserialize` and `ToParam` for a
/// generated enum that has inherent `as_str(&self) -> &str` and `from_wire(&str) -> Self`
/// methods. Parsing never fails: an unlisted value lands in the catch-all variant.
// A description without enums never invokes it, which must not be a warning.
#[allow(unused_macros)]
macro_rules! wire_enum {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from_wire(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::runtime::deserialize_wire_value(deserializer, Self::from_wire)
            }
        }

        impl $crate::runtime::ToParam for $name {
            fn to_param(&self) -> ::std::string::String {
                ::std::string::ToString::to_string(self.as_str())
            }
        }
    };
}

// Re-exported by path (`crate::runtime::wire_enum!`) rather than `#[macro_export]`, so it
// stays inside this crate and is not part of the client's public API.
pub(crate) use wire_enum;
