//! [`FromJson`]: a type that reads itself from a `serde_json::Value` as serde's derived
//! `Deserialize` would (the rules and messages are in [`read`](super::read)). The declaration
//! macros ([`declare`](super::declare)) implement it for each declared shape.

use serde_json::Value;

use super::read::{self, Read};

/// A value read from JSON, or serde's message for why it is not one.
pub(crate) trait FromJson: Sized {
    fn from_json(value: &Value) -> Read<Self>;
}

impl FromJson for u64 {
    fn from_json(value: &Value) -> Read<Self> {
        read::u64(value)
    }
}

impl FromJson for usize {
    fn from_json(value: &Value) -> Read<Self> {
        read::usize(value)
    }
}

impl FromJson for f64 {
    fn from_json(value: &Value) -> Read<Self> {
        read::f64(value)
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Read<Self> {
        read::bool(value)
    }
}

impl FromJson for String {
    fn from_json(value: &Value) -> Read<Self> {
        read::string(value)
    }
}

/// `null` is `None`.
impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value) -> Read<Self> {
        read::option(value, T::from_json)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Read<Self> {
        read::list(value, T::from_json)
    }
}
