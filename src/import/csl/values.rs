//! Reading CSL values: scalars as text, name variables as people
//! ("Family, Given" or as written), and date variables (`date-parts`,
//! `edtf`, `raw`, `literal`, or a date given as a string).

use serde_json::Value;

use crate::import::dates::{Date, parse_iso, parse_text};
use crate::import::fields::family_given;
use crate::text::fold_whitespace as fold;

/// The text of a scalar (string, number, boolean), trimmed; `None` for
/// null, arrays, objects and empty strings.
pub(super) fn scalar_text(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// Any value as text: scalars as themselves, the rest as compact JSON.
pub(super) fn compact(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Array(_) | Value::Object(_) => value.to_string(),
        _ => scalar_text(value).unwrap_or_default(),
    }
}

/// The people of a name variable, each as "Family, Given" or as written.
pub(super) fn names(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(name).collect(),
        _ => name(value).into_iter().collect(),
    }
}

fn name(value: &Value) -> Option<String> {
    let Value::Object(map) = value else {
        return scalar_text(value)
            .map(|t| fold(&t))
            .filter(|t| !t.is_empty());
    };
    let part = |key: &str| map.get(key).and_then(scalar_text).map(|t| fold(&t));
    if let Some(literal) = part("literal").filter(|l| !l.is_empty()) {
        return Some(literal);
    }
    let join = |parts: &[Option<String>]| {
        parts
            .iter()
            .flatten()
            .filter(|p| !p.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let family = join(&[
        part("dropping-particle"),
        part("non-dropping-particle"),
        part("family"),
    ]);
    let given = join(&[part("given"), part("suffix")]);
    family_given(&family, &given)
}

/// What a CSL date variable holds.
pub(super) enum DateValue {
    Date(Date),
    /// A date given as text that does not read as one (`literal`).
    Text(String),
    None,
}

/// Reads a CSL date: `date-parts`, `edtf`, `raw`, `literal`, or an EDTF
/// string. A `literal` is only searched for a year when `read_literal`.
pub(super) fn csl_date(value: &Value, read_literal: bool) -> DateValue {
    let from_text = |text: &str| {
        parse_iso(text)
            .or_else(|| parse_text(text))
            .map_or(DateValue::None, DateValue::Date)
    };
    let map = match value {
        Value::String(s) => return from_text(s),
        Value::Number(n) => return from_text(&n.to_string()),
        Value::Object(map) => map,
        _ => return DateValue::None,
    };
    if let Some(date) = map
        .get("date-parts")
        .and_then(|p| p.get(0))
        .and_then(date_parts)
    {
        return DateValue::Date(date);
    }
    for key in ["edtf", "raw"] {
        if let Some(text) = map.get(key).and_then(scalar_text)
            && let DateValue::Date(date) = from_text(&text)
        {
            return DateValue::Date(date);
        }
    }
    match map.get("literal").and_then(scalar_text) {
        Some(text) if read_literal => match parse_text(&text) {
            Some(date) => DateValue::Date(date),
            None => DateValue::Text(text),
        },
        Some(text) => DateValue::Text(text),
        None => DateValue::None,
    }
}

/// `[2021, 6, 1]`, numbers or numeric strings; month and day are dropped
/// when out of range (seasons are months 21–24).
fn date_parts(parts: &Value) -> Option<Date> {
    let number = |i: usize| -> Option<i64> {
        match parts.get(i)? {
            Value::Number(n) => n.as_i64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 1e9)
                    .map(|f| f as i64)
            }),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    let year = i32::try_from(number(0)?).ok()?;
    let month = number(1).and_then(|m| u32::try_from(m).ok());
    let day = number(2).and_then(|d| u32::try_from(d).ok());
    Some(Date::checked(year, month, day))
}
