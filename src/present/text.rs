//! Every word and number format the outputs share: HTML, Markdown, the data files and the
//! charts all format through here, so a figure or a label reads the same everywhere.

use crate::model::{RESOLUTION_BINS, UNASSIGNED};

pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// One decimal with thousands separators; `None` or a non-finite value is "n/a".
pub fn decimal1(x: Option<f64>) -> String {
    let Some(x) = x.filter(|x| x.is_finite()) else {
        return "n/a".into();
    };
    let s = format!("{:.1}", x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((s.as_str(), "0"));
    let int = int
        .parse::<u64>()
        .map(thousands)
        .unwrap_or_else(|_| int.to_string());
    // A value that rounds to zero is shown without a sign: "-0.0" would read as an error.
    let negative = x < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    format!("{}{int}.{frac}", if negative { "-" } else { "" })
}

pub fn percent(rate: Option<f64>) -> String {
    match rate.filter(|r| r.is_finite()) {
        Some(r) => format!("{}%", decimal1(Some(r * 100.0))),
        None => "n/a".into(),
    }
}

pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// `2025-03-04` → `4 March 2025`; anything else is shown as given.
pub fn long_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

/// `2025-03` → `March 2025`.
pub fn long_month(ym: &str) -> String {
    chrono::NaiveDate::parse_from_str(&format!("{ym}-01"), "%Y-%m-%d")
        .map(|d| d.format("%B %Y").to_string())
        .unwrap_or_else(|_| ym.to_string())
}

pub fn join_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub fn reporter_label(key: &str) -> String {
    match key {
        "named" => "Named reporter".into(),
        "anonymous" => "Anonymous report".into(),
        "moderator" => "Found by the moderators".into(),
        UNASSIGNED => "Not recorded".into(),
        other => other.into(),
    }
}

pub fn outcome_label(key: &str) -> String {
    match key {
        "upheld" => "Decision upheld".into(),
        "overturned" => "Decision overturned".into(),
        "modified" => "Decision modified".into(),
        "withdrawn" => "Appeal withdrawn".into(),
        "pending" => "Pending at period end".into(),
        other => other.into(),
    }
}

pub fn bin_label(key: &str) -> String {
    let day = |d: f64| {
        if d == 1.0 {
            "1 day".to_string()
        } else {
            format!("{d} days")
        }
    };
    match RESOLUTION_BINS.iter().find(|(k, _, _)| *k == key) {
        Some((_, lo, hi)) if *lo == 0.0 => format!("Under {}", day(*hi)),
        Some((_, lo, hi)) if hi.is_infinite() => format!("{} or more", day(*lo)),
        Some((_, lo, hi)) => format!("{lo} to under {}", day(*hi)),
        None => key.to_string(),
    }
}
