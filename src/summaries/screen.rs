//! What in a summary looks like it could identify someone: a person's name, an e-mail
//! address, a @handle, a URL, a date, or an id of the export. Heuristics, tuned to say
//! little about ordinary prose ("The Code of Conduct committee reached out …" is silent):
//! a warning asks a person to look again, it decides nothing.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Month;

use crate::config::Config;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Name,
    Email,
    Handle,
    Url,
    Date,
    /// A value of the export's `case_id`, `incident_id` or `person_ref` column.
    ExportId(&'static str),
}

impl Rule {
    /// Its name in a warning, to look up in the README.
    pub fn key(self) -> String {
        match self {
            Rule::Name => "rule: name".into(),
            Rule::Email => "rule: email".into(),
            Rule::Handle => "rule: handle".into(),
            Rule::Url => "rule: url".into(),
            Rule::Date => "rule: date".into(),
            Rule::ExportId(_) => "rule: export id".into(),
        }
    }

    pub fn what(self) -> String {
        match self {
            Rule::Name => "a person's name".into(),
            Rule::Email => "an e-mail address".into(),
            Rule::Handle => "a @handle".into(),
            Rule::Url => "a URL".into(),
            Rule::Date => "a date".into(),
            Rule::ExportId(column) => format!("a {column} of the export"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub found: String,
}

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const TITLES: [&str; 7] = ["Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Miss"];
/// Endings of a bare domain name ("example.org/coc"); with a scheme or `www.` any is a URL.
const DOMAINS: [&str; 16] = [
    "com", "org", "net", "io", "dev", "edu", "gov", "info", "me", "co", "uk", "de", "ca", "app",
    "social", "xyz",
];

/// Characters around a word that are punctuation, not part of it.
fn is_edge(c: char) -> bool {
    !(c.is_alphanumeric() || c == '@' || c == '_' || c == '/' || c == '#')
}

/// A word as written, and its core without surrounding punctuation.
struct Word<'a> {
    core: &'a str,
    /// The raw word ends a sentence (`.`, `!`, `?`, `:`) or a clause (`,`, `;`, a bracket).
    ends_sentence: bool,
    ends_clause: bool,
}

fn words(text: &str) -> Vec<Word<'_>> {
    text.split_whitespace()
        .map(|raw| {
            let core = raw.trim_matches(is_edge);
            let core = core
                .strip_suffix("'s")
                .or_else(|| core.strip_suffix("’s"))
                .unwrap_or(core);
            // A closing quote or bracket after the full stop still ends the sentence.
            let mut rev = raw.chars().rev();
            let mut last = rev.next().unwrap_or(' ');
            if matches!(last, '"' | '\'' | '”' | '’' | ')') {
                last = rev.next().unwrap_or(last);
            }
            Word {
                core,
                ends_sentence: matches!(last, '.' | '!' | '?' | ':'),
                ends_clause: is_edge(raw.chars().last().unwrap_or(' ')),
            }
        })
        .collect()
}

/// Every token of `text` an export id could be (the cores of its words, and the words as
/// written), for [`super::ids_in_exports`].
pub fn tokens(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for raw in text.split_whitespace() {
        out.insert(raw.to_string());
        let core = raw.trim_matches(|c: char| is_edge(c) && c != '-');
        out.insert(core.to_string());
        out.insert(raw.trim_matches(is_edge).to_string());
    }
    out.remove("");
    out
}

/// Words that may stand capitalised in a run without naming a person: the community's own
/// names for itself and its document, and the taxonomy's labels.
pub fn allowed_words(cfg: &Config) -> BTreeSet<String> {
    let mut texts: Vec<&str> = vec![
        &cfg.organisation,
        &cfg.committee,
        &cfg.words.document,
        &cfg.words.committee,
    ];
    let t = &cfg.taxonomy;
    texts.extend(t.categories.iter().map(|c| c.label.as_str()));
    texts.extend(t.category_groups.iter().map(|c| c.label.as_str()));
    texts.extend(t.actions.iter().map(|c| c.label.as_str()));
    texts.extend(t.platforms.iter().map(|c| c.label.as_str()));
    texts.extend(t.handlers.iter().map(|c| c.label.as_str()));
    texts
        .iter()
        .flat_map(|t| t.split_whitespace())
        .map(|w| w.trim_matches(is_edge).to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

fn capitalised(w: &str) -> bool {
    let mut cs = w.chars();
    cs.next().is_some_and(char::is_uppercase) && cs.any(char::is_lowercase)
}

fn day_number(w: &str) -> bool {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && digits.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
        && matches!(suffix, "" | "st" | "nd" | "rd" | "th")
}

/// An English month's name ("March") or its short form ("Mar", "Mar.", "Sept"). The names
/// come from chrono, the one list the tool parses and screens with; a three-letter name
/// ("May") is its own short form.
fn is_month(w: &str) -> bool {
    let short = w.trim_end_matches('.');
    short == "Sept"
        || (1..=12u8).filter_map(|m| Month::try_from(m).ok()).any(|m| {
            let name = m.name();
            w == name || (name.len() > 3 && short == &name[..3])
        })
}

/// Digits separated by `sep`, each part's length within its bounds.
fn digit_parts(w: &str, sep: char, lens: &[(usize, usize)]) -> bool {
    let parts: Vec<&str> = w.split(sep).collect();
    parts.len() == lens.len()
        && parts.iter().zip(lens).all(|(p, (lo, hi))| {
            (*lo..=*hi).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit())
        })
}

fn is_date_token(w: &str) -> bool {
    // 2019-03-20, 2019-03-20T10:00 (the time part after a `T` is not looked at).
    let day = w.split('T').next().unwrap_or(w);
    digit_parts(day, '-', &[(4, 4), (1, 2), (1, 2)])
        || digit_parts(w, '/', &[(1, 2), (1, 2), (2, 4)])
        || digit_parts(w, '/', &[(1, 2), (1, 2)])
        || digit_parts(w, '.', &[(1, 2), (1, 2), (2, 4)])
}

fn is_email(w: &str) -> bool {
    match w.split_once('@') {
        Some((user, host)) => {
            !user.is_empty()
                && host
                    .split_once('.')
                    .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty())
        }
        None => false,
    }
}

fn is_handle(w: &str) -> bool {
    w.strip_prefix('@').is_some_and(|rest| {
        rest.len() >= 2
            && rest
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
    })
}

fn is_url(w: &str) -> bool {
    let l = w.to_ascii_lowercase();
    if l.contains("://") || l.starts_with("www.") {
        return true;
    }
    if l.contains('@') {
        return false;
    }
    let host = l.split('/').next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels[0]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && labels.last().is_some_and(|tld| DOMAINS.contains(tld))
}

/// What in `text` looks identifying, in the order it appears. `allowed`: capitalised words
/// that name no one ([`allowed_words`]); `ids`: the export's ids found in the text.
pub fn findings(
    text: &str,
    allowed: &BTreeSet<String>,
    ids: &BTreeMap<String, &'static str>,
) -> Vec<Finding> {
    let ws = words(text);
    let mut out = Vec::new();
    let mut push = |rule: Rule, found: &str| {
        let f = Finding {
            rule,
            found: found.to_string(),
        };
        if !out.contains(&f) {
            out.push(f);
        }
    };
    for raw in text.split_whitespace() {
        for (token, column) in ids {
            if raw == token
                || raw.trim_matches(is_edge) == token
                || raw.trim_matches(|c: char| is_edge(c) && c != '-') == token
            {
                push(Rule::ExportId(column), token);
            }
        }
    }
    let mut run: Vec<&str> = Vec::new();
    let mut run_at_start = false;
    let flush = |run: &mut Vec<&str>, at_start: bool, push: &mut dyn FnMut(Rule, &str)| {
        let names: &[&str] = if at_start && !run.is_empty() {
            &run[1..]
        } else {
            &run[..]
        };
        if names.len() >= 2 && names.iter().any(|w| !allowed.contains(*w)) {
            push(Rule::Name, &names.join(" "));
        }
        run.clear();
    };
    for (i, w) in ws.iter().enumerate() {
        let at_start = i == 0 || ws[i - 1].ends_sentence;
        let core = w.core;
        if is_email(core) {
            push(Rule::Email, core);
        } else if is_handle(core) {
            push(Rule::Handle, core);
        } else if is_url(core) {
            push(Rule::Url, core.trim_end_matches('/'));
        } else if is_date_token(core) || WEEKDAYS.contains(&core) {
            push(Rule::Date, core);
        } else if is_month(core) {
            let next = ws.get(i + 1).filter(|_| !w.ends_clause);
            let prev = i.checked_sub(1).map(|p| &ws[p]).filter(|p| !p.ends_clause);
            if let Some(n) = next.filter(|n| day_number(n.core)) {
                push(Rule::Date, &format!("{core} {}", n.core));
            } else if let Some(p) = prev.filter(|p| day_number(p.core)) {
                push(Rule::Date, &format!("{} {core}", p.core));
            }
        }
        if TITLES.contains(&core.trim_end_matches('.')) {
            if let Some(n) = ws.get(i + 1).filter(|n| capitalised(n.core)) {
                push(Rule::Name, &format!("{core} {}", n.core));
            }
        }
        let name_like = capitalised(core)
            && !is_month(core)
            && !WEEKDAYS.contains(&core)
            && !TITLES.contains(&core.trim_end_matches('.'))
            && core != "I";
        if name_like {
            if run.is_empty() {
                run_at_start = at_start;
            }
            run.push(core);
            if w.ends_clause {
                flush(&mut run, run_at_start, &mut push);
            }
        } else {
            flush(&mut run, run_at_start, &mut push);
        }
    }
    flush(&mut run, run_at_start, &mut push);
    out
}
