//! Dates as every importer reads them, one reader per shape, into one
//! [`Date`] (a year, and a month and day where they are known).
//!
//! - [`parse_iso`] reads ISO 8601 and EDTF dates, as CSL-JSON, BibLaTeX's
//!   `date`, the arXiv API, Hugging Face and Zotero write them: `2021`,
//!   `2021-06`, `2021-06-01` (a one-digit month or day is read too), a
//!   negative year, `?`/`~`/`%` qualifiers, a time after `T` or a space
//!   (`2021-06-01T12:00:00Z`), an interval (`2021-06/2021-08`, its start).
//!   [`parse_iso_exact`] also tells whether the text said no more than the
//!   date it gave.
//! - [`parse_text`] reads the free-form dates of RIS files and CSL `raw` or
//!   `literal` dates: `2021///`, `2021/06/01/Spring`, `2021-06-01`,
//!   `2021 Jun 1`, `June 1, 2021`, `1 June 2021`, `June 2021`. Only a
//!   four-digit year counts; `06/01/2021` gives only the year, since the
//!   order of month and day is unknown.
//! - [`parse_pdf`] reads a PDF date, `D:YYYYMMDDHHmmSS…` (the `D:` and all
//!   after the year optional), as a PDF's `CreationDate` holds it.
//! - [`month_from_name`] reads an English month name, whole or cut to at
//!   least three letters (`Jun`, `June`, `Sept`), any case;
//!   [`month_number`] also a number `1`..`12` and a trailing dot (`Feb.`).
//!
//! Everywhere, a year has four digits, and a month outside 1–12 or a day
//! outside 1–31 is dropped (a dropped month drops the day too).

/// English month names, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar date as far as it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Date {
    pub(crate) year: i32,
    pub(crate) month: Option<u32>,
    pub(crate) day: Option<u32>,
}

impl Date {
    /// The date with a month and day out of range dropped.
    pub(crate) fn checked(year: i32, month: Option<u32>, day: Option<u32>) -> Date {
        let month = month.filter(|m| (1..=12).contains(m));
        let day = month.and(day.filter(|d| (1..=31).contains(d)));
        Date { year, month, day }
    }

    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub(crate) fn iso(self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// Reads exactly what [`Date::iso`] writes (a time after `T` is
    /// ignored).
    pub(crate) fn from_iso(text: &str) -> Option<Date> {
        let plain = text.split('T').next().unwrap_or("");
        parse_iso(plain).filter(|date| date.iso() == plain)
    }
}

/// An ISO 8601 / EDTF date (see the module documentation).
pub(crate) fn parse_iso(text: &str) -> Option<Date> {
    parse_iso_exact(text).map(|(date, _)| date)
}

/// [`parse_iso`], and whether the text was the date and nothing more: no
/// time, qualifier or interval, and no month or day dropped.
pub(crate) fn parse_iso_exact(text: &str) -> Option<(Date, bool)> {
    let text = text.trim();
    let end = text.find(['/', 'T', ' ']).unwrap_or(text.len());
    let head = &text[..end];
    let start = head.trim_end_matches(['?', '~', '%']);
    let (sign, digits) = match start.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, start),
    };
    let mut parts = digits.split('-');
    let year = parts.next()?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = sign * year.parse::<i32>().ok()?;
    let mut next = || -> Result<Option<u32>, ()> {
        match parts.next() {
            None => Ok(None),
            Some(p) if (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse().map(Some).map_err(|_| ())
            }
            Some(_) => Err(()),
        }
    };
    let month = next().ok()?;
    let day = next().ok()?;
    if parts.next().is_some() {
        return None;
    }
    let date = Date::checked(year, month, day);
    let exact =
        end == text.len() && start.len() == head.len() && date.month == month && date.day == day;
    Some((date, exact))
}

/// A free-form date (see the module documentation).
pub(crate) fn parse_text(raw: &str) -> Option<Date> {
    let tokens: Vec<&str> = raw
        .split(|c: char| c == '/' || c == '-' || c == ',' || c == '.' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        // `01T12:00:00` in a timestamp is day 1.
        .map(|t| match t.split_once('T') {
            Some((day, _)) if !day.is_empty() && day.bytes().all(|b| b.is_ascii_digit()) => day,
            _ => t,
        })
        .collect();
    let is_year = |t: &str| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit());
    let number = |t: &str| -> Option<u32> {
        (t.len() <= 2 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let year_at = tokens.iter().position(|t| is_year(t))?;
    let year: i32 = tokens[year_at].parse().ok()?;
    let named = tokens.iter().position(|t| month_from_name(t).is_some());
    let (month, day) = match named {
        Some(at) => {
            let month = tokens.get(at).and_then(|t| month_from_name(t));
            // A day is a small number next to the month name.
            let day = [at + 1, at.wrapping_sub(1)]
                .iter()
                .filter(|&&i| i != year_at)
                .find_map(|&i| tokens.get(i).and_then(|t| number(t)));
            (month, day)
        }
        None if year_at == 0 => {
            let month = tokens.get(1).and_then(|t| number(t));
            let day = month.and(tokens.get(2).and_then(|t| number(t)));
            (month, day)
        }
        // `06/01/2021`: the order of month and day is unknown.
        None => (None, None),
    };
    Some(Date::checked(year, month, day))
}

/// A PDF date (see the module documentation): four digits of year, then
/// two of month and two of day where they follow.
pub(crate) fn parse_pdf(text: &str) -> Option<Date> {
    let digits = text.trim().trim_start_matches("D:");
    let two = |at: usize| -> Option<u32> {
        let part = digits.get(at..at + 2)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let year = digits.get(..4)?;
    if !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let month = two(4);
    Some(Date::checked(year.parse().ok()?, month, month.and(two(6))))
}

/// The number of an English month name, whole or cut to at least three
/// letters, any case.
pub(crate) fn month_from_name(name: &str) -> Option<u32> {
    if name.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            m.get(..name.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(name))
        })
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// A month given as a number `1`..`12` or as an English month name, with
/// an optional trailing dot.
pub(crate) fn month_number(text: &str) -> Option<u32> {
    let t = text.trim().trim_end_matches('.');
    match t.parse::<u32>() {
        Ok(n) => (1..=12).contains(&n).then_some(n),
        Err(_) => month_from_name(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_form_dates_in_their_shapes() {
        let d = |s| parse_text(s).map(|d| (d.year, d.month, d.day));
        assert_eq!(d("2021///"), Some((2021, None, None)));
        assert_eq!(d("2021/06/01/"), Some((2021, Some(6), Some(1))));
        assert_eq!(d("2021/06//Spring"), Some((2021, Some(6), None)));
        assert_eq!(d("2021-06-01"), Some((2021, Some(6), Some(1))));
        assert_eq!(d("2021 Jun 3"), Some((2021, Some(6), Some(3))));
        assert_eq!(d("June 3, 2021"), Some((2021, Some(6), Some(3))));
        assert_eq!(d("3 June 2021"), Some((2021, Some(6), Some(3))));
        assert_eq!(d("06/01/2021"), Some((2021, None, None)));
        assert_eq!(d("2021/13/40"), Some((2021, None, None)));
        assert_eq!(d("Spring"), None);
        assert_eq!(d("21/06/01"), None);
    }

    #[test]
    fn iso_dates_and_whether_that_was_all() {
        let d = |s| parse_iso_exact(s).map(|(d, exact)| (d.year, d.month, d.day, exact));
        assert_eq!(d("2021-06-01"), Some((2021, Some(6), Some(1), true)));
        assert_eq!(d("2021-6-1"), Some((2021, Some(6), Some(1), true)));
        assert_eq!(d("2021"), Some((2021, None, None, true)));
        assert_eq!(d("2020/2021"), Some((2020, None, None, false)));
        assert_eq!(
            d("2023-03-29T17:59:59Z"),
            Some((2023, Some(3), Some(29), false))
        );
        assert_eq!(d("2021-06?"), Some((2021, Some(6), None, false)));
        assert_eq!(d("2021-13"), Some((2021, None, None, false)));
        assert_eq!(d("-0044-03-15"), Some((-44, Some(3), Some(15), true)));
        for s in ["", "21", "2021-06-01-02", "2021-Jun", "June 2021"] {
            assert_eq!(d(s), None, "{s}");
        }
        assert_eq!(
            Date::from_iso("2021-06-01T10:00").map(Date::iso).as_deref(),
            Some("2021-06-01")
        );
        assert_eq!(Date::from_iso("2021-6-1"), None);
    }

    #[test]
    fn pdf_dates() {
        let d = |s| parse_pdf(s).map(|d| (d.year, d.month, d.day));
        assert_eq!(d("D:20230412101010Z"), Some((2023, Some(4), Some(12))));
        assert_eq!(d("D:202304"), Some((2023, Some(4), None)));
        assert_eq!(d(" 2015 "), Some((2015, None, None)));
        assert_eq!(d("D:2023-04-12"), Some((2023, None, None)));
        assert_eq!(d("D:0000"), Some((0, None, None)));
        for s in ["", "D:", "D:202", "Mon Jan 12 2015", "D:+2023"] {
            assert_eq!(d(s), None, "{s}");
        }
    }

    #[test]
    fn month_names_and_numbers() {
        for (s, want) in [
            ("jan", Some(1)),
            ("June", Some(6)),
            ("SEPT", Some(9)),
            ("Febr", Some(2)),
            ("Feb.", Some(2)),
            ("09", Some(9)),
            ("13", None),
            ("ju", None),
            ("Spring", None),
        ] {
            assert_eq!(month_number(s), want, "{s}");
        }
        assert_eq!(month_from_name("09"), None);
    }
}
