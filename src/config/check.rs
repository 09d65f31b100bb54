//! The consistency rules serde cannot express (`Config::check`), and the time zone and
//! business days read from their names.

use chrono::Weekday;
use chrono_tz::Tz;

use super::period::check_label;
use super::taxonomy::keys;
use super::{check_min_cell, context, Config};

impl Config {
    /// Consistency rules serde cannot express.
    pub fn check(&self) -> Result<(), String> {
        self.tz()?;
        self.report.check()?;
        context::check(&self.context)?;
        if let Some(s) = &self.slide {
            s.check()?;
        }
        if let Some(p) = &self.process {
            p.check()?;
        }
        self.weekdays()?;
        let t = &self.taxonomy;
        for (what, keys) in [
            ("taxonomy.platforms", keys(&t.platforms)),
            ("taxonomy.category_groups", keys(&t.category_groups)),
            ("taxonomy.actions", keys(&t.actions)),
            ("taxonomy.handlers", keys(&t.handlers)),
            ("taxonomy.channels", keys(&t.channels)),
            ("taxonomy.referrals", keys(&t.referrals)),
            (
                "taxonomy.categories",
                t.categories.iter().map(|c| c.key.as_str()).collect(),
            ),
            (
                "taxonomy.levels",
                t.levels.iter().map(|c| c.key.as_str()).collect(),
            ),
        ] {
            // Sections are what every report counts; the other lists may be empty when the
            // export does not record that fact.
            let required = matches!(what, "taxonomy.category_groups" | "taxonomy.categories");
            if keys.is_empty() && required {
                return Err(format!("`{what}` must list at least one entry"));
            }
            let mut seen = std::collections::BTreeSet::new();
            for k in keys {
                let norm = k.trim().to_lowercase();
                if norm.is_empty() || norm != k.trim().to_lowercase().replace(' ', "_") {
                    return Err(format!(
                        "`{what}`: key `{k}` must be non-empty and without spaces"
                    ));
                }
                if norm == crate::model::UNASSIGNED {
                    return Err(format!("`{what}`: `unassigned` is reserved"));
                }
                if what == "taxonomy.referrals" && norm == crate::model::NOT_REFERRED {
                    return Err(format!(
                        "`{what}`: `{}` is reserved (an empty `referred_to` cell counts there)",
                        crate::model::NOT_REFERRED
                    ));
                }
                if !seen.insert(norm) {
                    return Err(format!("`{what}`: key `{k}` is listed twice"));
                }
            }
        }
        for c in &t.categories {
            if !t.category_groups.iter().any(|g| g.key == c.group) {
                return Err(format!(
                    "`taxonomy.categories`: category `{}` names group `{}`, which is not in `taxonomy.category_groups`",
                    c.key, c.group
                ));
            }
        }
        if let Some(sa) = &t.suspension_actions {
            for (what, list) in [("temporary", &sa.temporary), ("full", &sa.full)] {
                for k in list {
                    if !t.actions.iter().any(|a| a.key == *k) {
                        return Err(format!(
                            "`taxonomy.suspension_actions.{what}`: `{k}` is not one of the keys in `taxonomy.actions`"
                        ));
                    }
                }
            }
            if let Some(k) = sa.temporary.iter().find(|k| sa.full.contains(k)) {
                return Err(format!(
                    "`taxonomy.suspension_actions`: `{k}` is listed as both a temporary and a full suspension"
                ));
            }
        }
        if let Some(d) = &self.dsa {
            d.check(t)?;
        }
        for l in &self.appealable_levels {
            if !t.levels.iter().any(|x| x.key.eq_ignore_ascii_case(l)) {
                return Err(format!(
                    "`appealable_levels`: `{l}` is not one of the levels in `taxonomy.levels` (name the levels whose decisions may be appealed, or write `appealable_levels = []` for a process with no appeal step)"
                ));
            }
        }
        if self.appeal_window_days < 0 {
            return Err("`appeal_window_days` must be 0 or more".into());
        }
        check_min_cell(self.min_cell).map_err(|e| format!("`min_cell`: {e}"))?;
        match (
            self.ack_promise,
            self.ack_target_business_days,
            self.ack_target_calendar_days,
        ) {
            (_, Some(_), Some(_)) => {
                return Err("`ack_target_business_days` and `ack_target_calendar_days` are two promises: keep one".into())
            }
            (false, Some(_), _) | (false, _, Some(_)) => {
                return Err("`ack_promise = false` says there is no acknowledgement promise, but a target is set: remove one of them".into())
            }
            _ => {}
        }
        for (key, n) in [
            ("ack_target_business_days", self.ack_target_business_days),
            ("ack_target_calendar_days", self.ack_target_calendar_days),
        ] {
            if n.is_some_and(|n| n > 366) {
                return Err(format!("`{key}` must be at most 366"));
            }
        }
        self.words.check()?;
        if let Some(p) = &self.period {
            p.resolve().map_err(|e| format!("`period`: {e}"))?;
        }
        if let Some(l) = &self.label {
            check_label(l).map_err(|e| format!("`label`: {e}"))?;
        }
        if let Some(s) = &self.signing {
            // A principal of the allowed-signers file: one name, no list, no pattern; shown
            // as it is in the report's commands.
            let id = &s.identity;
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '_' | '+' | '-'))
            {
                return Err(format!(
                    "`signing.identity`: `{id}` must be one name of letters, digits and @ . _ + -, as in the allowed-signers file (e.g. coc-committee@example.org)"
                ));
            }
        }
        for (from, to) in &self.column_map {
            if !crate::schema::COLUMNS
                .iter()
                .any(|c| c.eq_ignore_ascii_case(to))
            {
                return Err(format!(
                    "`column_map`: `{from}` maps to `{to}`, which is not a column of the export format ({})",
                    crate::schema::COLUMNS.join(", ")
                ));
            }
        }
        Ok(())
    }

    pub fn tz(&self) -> Result<Tz, String> {
        self.timezone.parse::<Tz>().map_err(|_| {
            format!(
                "`timezone`: `{}` is not an IANA time zone name (e.g. `America/Chicago`, `Europe/Berlin`, `UTC`)",
                self.timezone
            )
        })
    }

    pub fn weekdays(&self) -> Result<Vec<Weekday>, String> {
        let mut out = Vec::new();
        for d in &self.business_days {
            let w = match d.trim().to_lowercase().as_str() {
                "mon" | "monday" => Weekday::Mon,
                "tue" | "tuesday" => Weekday::Tue,
                "wed" | "wednesday" => Weekday::Wed,
                "thu" | "thursday" => Weekday::Thu,
                "fri" | "friday" => Weekday::Fri,
                "sat" | "saturday" => Weekday::Sat,
                "sun" | "sunday" => Weekday::Sun,
                _ => {
                    return Err(format!(
                        "`business_days`: `{d}` is not a weekday (use mon, tue, wed, thu, fri, sat, sun)"
                    ))
                }
            };
            if !out.contains(&w) {
                out.push(w);
            }
        }
        if out.is_empty() {
            return Err("`business_days` must list at least one weekday".into());
        }
        Ok(out)
    }
}
