//! The JSON document: an array of CSL items (or a single item), each
//! object's members kept in source order, and the line where each item
//! starts, found by a small scanner since parsed JSON values carry no
//! positions.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// The document: an array of items, one item, or something else.
pub(super) enum Top {
    Many(Vec<Item>),
    One(Vec<(String, Value)>),
    Other(&'static str),
}

/// An array element: an object with its members in source order (a
/// `serde_json::Map` would sort them), or what it is instead.
pub(super) enum Item {
    Object(Vec<(String, Value)>),
    Other(&'static str),
}

/// Collects an object's members in order, keeping duplicates.
fn members<'de, A: MapAccess<'de>>(mut map: A) -> Result<Vec<(String, Value)>, A::Error> {
    let mut fields = Vec::new();
    while let Some((key, value)) = map.next_entry::<String, Value>()? {
        fields.push((key, value));
    }
    Ok(fields)
}

/// Implements the visitor methods for every JSON shape other than an
/// object (and, for [`Item`], an array), each naming what it found.
macro_rules! other_shapes {
    ($make:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($make("a boolean"))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($make("a number"))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($make("a number"))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($make("a number"))
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($make("a string"))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($make("null"))
        }
    };
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Item;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a CSL item")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Item, A::Error> {
                members(map).map(Item::Object)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Item::Other("an array"))
            }
            other_shapes!(Item::Other);
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Top {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Top;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of CSL items")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Top, A::Error> {
                members(map).map(Top::One)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Top, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Item>()? {
                    items.push(item);
                }
                Ok(Top::Many(items))
            }
            other_shapes!(Top::Other);
        }
        d.deserialize_any(V)
    }
}

/// The 1-based line of the first non-whitespace character.
pub(super) fn first_line(text: &str) -> usize {
    let start = text.len() - text.trim_start().len();
    text[..start].matches('\n').count() + 1
}

/// The 1-based line where each element of the top-level array starts, found
/// by tracking nesting depth outside strings. Meant for text serde_json has
/// accepted as an array.
pub(crate) fn item_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let mut line = 1;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut expecting = false;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if matches!(c, ' ' | '\t' | '\r' | '\n') {
            continue;
        }
        if depth == 1 && expecting && c != ']' {
            lines.push(line);
            expecting = false;
        }
        match c {
            '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    expecting = true;
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 1 => expecting = true,
            '"' => in_string = true,
            _ => {}
        }
    }
    lines
}
