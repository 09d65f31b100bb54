//! Random exports for the disclosure property test.

use chrono::{Duration, NaiveDate, NaiveDateTime};

/// splitmix64: small, seedable, the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    /// An index with weight `1 / (i + 1)^skew`: a few large cells, a tail of small ones.
    pub fn skewed(&mut self, n: usize, skew: f64) -> usize {
        let w: Vec<f64> = (0..n).map(|i| 1.0 / ((i + 1) as f64).powf(skew)).collect();
        let total: f64 = w.iter().sum();
        let mut x = (self.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        for (i, wi) in w.iter().enumerate() {
            if x < *wi {
                return i;
            }
            x -= wi;
        }
        n - 1
    }
}

pub const PLATFORMS: [&str; 5] = [
    "ala_connect",
    "social_media",
    "website",
    "blog",
    "online_publication",
];
pub const LEVELS: [&str; 4] = ["A", "B", "C", "D"];
pub const ACTIONS: [&str; 6] = [
    "warning",
    "discussion",
    "no_action",
    "content_removed",
    "temporary_suspension",
    "full_suspension",
];
pub const HANDLERS: [&str; 4] = ["wg", "board", "local", ""];
pub const CHANNELS: [&str; 4] = ["email", "form", "in_person", ""];
/// Most cases are referred nowhere (the empty cell first: the most common).
pub const REFERRALS: [&str; 4] = ["", "police", "venue_security", "other_body"];
pub const REPORTERS: [&str; 4] = ["named", "anonymous", "moderator", ""];
pub const OUTCOMES: [&str; 6] = [
    "upheld",
    "overturned",
    "modified",
    "withdrawn",
    "pending",
    "",
];

/// The shape of one random export.
#[derive(Debug, Clone)]
pub struct Shape {
    pub seed: u64,
    pub cases: usize,
    /// Sections per group.
    pub groups: Vec<usize>,
    /// Whether a case may cite several sections.
    pub several_sections: bool,
    pub incidents: bool,
    pub min_cell: u64,
    /// Whether a level and an action are recorded exactly for the decided cases.
    pub level_iff_decided: bool,
    /// Whether the export records who handled each case (`handled_by`).
    pub handlers: bool,
    /// Whether the export records how each report arrived and where it was referred
    /// (`channel`, `referred_to`).
    pub channels: bool,
}

impl Shape {
    pub fn random(seed: u64) -> Shape {
        let mut r = Rng::new(seed ^ 0x5EED);
        let groups = (0..r.range(1, 3)).map(|_| r.range(1, 4) as usize).collect();
        // Mostly small committees, where small cells are common.
        let cases = if r.chance(0.5) {
            r.range(1, 60)
        } else {
            r.range(1, 500)
        } as usize;
        Shape {
            seed,
            cases,
            groups,
            several_sections: r.chance(0.5),
            incidents: r.chance(0.5),
            min_cell: r.range(2, 10),
            level_iff_decided: r.chance(0.7),
            // From the seed, not the generator: the other shapes stay as they were.
            handlers: seed % 2 == 1,
            channels: seed % 3 != 1,
        }
    }

    pub fn sections(&self) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        for (g, &n) in self.groups.iter().enumerate() {
            for k in 0..n {
                out.push((format!("s{g}_{k}"), g));
            }
        }
        out
    }

    pub fn config(&self) -> String {
        let mut c = format!(
            "min_cell = {}\ntimezone = \"America/Chicago\"\n[period]\nyear = 2025\n",
            self.min_cell
        );
        // Every other export with incidents counts its tables by incident too (actions and
        // handlers in incidents.json).
        if self.incidents && self.seed % 4 >= 2 {
            c.push_str("[incidents]\ncount_categories_by = \"incidents\"\n");
        }
        c.push_str("[taxonomy]\n");
        let list = |keys: &[&str]| {
            keys.iter()
                .map(|k| format!("{{ key = \"{k}\", label = \"{k}\" }}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        c.push_str(&format!("platforms = [{}]\n", list(&PLATFORMS)));
        let groups: Vec<String> = (0..self.groups.len()).map(|g| format!("g{g}")).collect();
        let groups: Vec<&str> = groups.iter().map(String::as_str).collect();
        c.push_str(&format!("category_groups = [{}]\n", list(&groups)));
        let cats: Vec<String> = self
            .sections()
            .iter()
            .map(|(k, g)| format!("{{ key = \"{k}\", label = \"{k}\", group = \"g{g}\" }}"))
            .collect();
        c.push_str(&format!("categories = [{}]\n", cats.join(", ")));
        c.push_str(&format!("levels = [{}]\n", list(&LEVELS)));
        c.push_str(&format!("actions = [{}]\n", list(&ACTIONS)));
        if self.handlers {
            c.push_str(&format!("handlers = [{}]\n", list(&HANDLERS[..3])));
        }
        if self.channels {
            c.push_str(&format!("channels = [{}]\n", list(&CHANNELS[..3])));
            c.push_str(&format!("referrals = [{}]\n", list(&REFERRALS[1..])));
        }
        c
    }
}

fn ts(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// The export's CSV.
pub fn export(shape: &Shape) -> String {
    let mut r = Rng::new(shape.seed);
    let sections = shape.sections();
    let mut csv = String::from(
        "case_id,reported_at,platform,category,moderation_level,reporter_type,action,suspension_days,interim_suspension,acknowledged_at,resolved_at,decision_communicated_at,appeal_filed_at,appeal_decided_at,appeal_outcome",
    );
    if shape.incidents {
        csv.push_str(",incident_id");
    }
    if shape.handlers {
        csv.push_str(",handled_by,person_ref");
    }
    if shape.channels {
        csv.push_str(",channel,referred_to");
    }
    csv.push('\n');
    // Its own generator: the exports without these columns stay as they were.
    let mut rc = Rng::new(shape.seed ^ 0xC4A2_2E1D);
    let start = NaiveDate::from_ymd_opt(2025, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let mut incidents = 0u64;
    // A skew per export: some have one dominant value per table, some spread out.
    let skew = 0.5 + r.range(0, 20) as f64 / 10.0;
    for i in 0..shape.cases {
        let reported = start
            + Duration::minutes(r.range(0, 364 * 24 * 60 + 23 * 60) as i64)
            + Duration::minutes(0);
        let mut cited = vec![r.skewed(sections.len(), skew)];
        if shape.several_sections {
            while r.chance(0.3) && cited.len() < sections.len() {
                let s = r.skewed(sections.len(), skew);
                if !cited.contains(&s) {
                    cited.push(s);
                }
            }
        }
        let decided = r.chance(0.85);
        let days =
            [0.3, 3.0, 12.0, 45.0, 120.0][r.skewed(5, skew)] * (0.5 + r.range(0, 10) as f64 / 10.0);
        let resolved = reported + Duration::minutes((days * 1440.0) as i64);
        let (level, action) = if shape.level_iff_decided {
            (decided, decided)
        } else {
            (
                if decided {
                    r.chance(0.9)
                } else {
                    r.chance(0.2)
                },
                if decided {
                    r.chance(0.9)
                } else {
                    r.chance(0.2)
                },
            )
        };
        let act = ACTIONS[r.skewed(ACTIONS.len(), skew)];
        let suspension_days = if action && act == "temporary_suspension" {
            r.range(1, 60).to_string()
        } else {
            String::new()
        };
        let ack = if r.chance(0.9) {
            ts(reported + Duration::minutes(r.range(10, 72 * 60) as i64))
        } else {
            String::new()
        };
        let communicated = decided && r.chance(0.9);
        let mut appeal = (String::new(), String::new(), String::new());
        if decided && r.chance(0.12) {
            let filed = resolved + Duration::days(r.range(1, 90) as i64);
            let outcome = OUTCOMES[r.skewed(OUTCOMES.len(), skew)];
            let decided_at = if ["upheld", "overturned", "modified", "withdrawn"].contains(&outcome)
            {
                ts(filed + Duration::days(r.range(1, 30) as i64))
            } else {
                String::new()
            };
            appeal = (ts(filed), decided_at, outcome.to_string());
        }
        let incident = if shape.incidents && !r.chance(0.2) {
            if incidents > 0 && r.chance(0.4) {
                Some(r.range(0, incidents - 1))
            } else {
                incidents += 1;
                Some(incidents - 1)
            }
        } else {
            None
        };
        let row = [
            format!("K{i:04}"),
            ts(reported),
            PLATFORMS[r.skewed(PLATFORMS.len(), skew)].to_string(),
            cited
                .iter()
                .map(|&s| sections[s].0.clone())
                .collect::<Vec<_>>()
                .join(";"),
            if level {
                LEVELS[r.skewed(LEVELS.len(), skew)].to_string()
            } else {
                String::new()
            },
            REPORTERS[r.skewed(REPORTERS.len(), skew)].to_string(),
            if action {
                act.to_string()
            } else {
                String::new()
            },
            suspension_days,
            if r.chance(0.05) {
                "yes".into()
            } else {
                String::new()
            },
            ack,
            if decided { ts(resolved) } else { String::new() },
            if communicated {
                ts(resolved + Duration::hours(1))
            } else {
                String::new()
            },
            appeal.0,
            appeal.1,
            appeal.2,
        ];
        csv.push_str(&row.join(","));
        if shape.incidents {
            csv.push(',');
            if let Some(n) = incident {
                csv.push_str(&format!("INC{n}"));
            }
        }
        if shape.handlers {
            csv.push(',');
            csv.push_str(HANDLERS[r.skewed(HANDLERS.len(), skew)]);
            // A few people named in several cases; some cases name nobody.
            csv.push(',');
            if !r.chance(0.15) {
                let people = (shape.cases as u64 / 3).max(1);
                csv.push_str(&format!("PER{}", r.range(0, people - 1)));
            }
        }
        if shape.channels {
            csv.push(',');
            csv.push_str(CHANNELS[rc.skewed(CHANNELS.len(), skew)]);
            csv.push(',');
            csv.push_str(REFERRALS[rc.skewed(REFERRALS.len(), skew + 1.0)]);
        }
        csv.push('\n');
    }
    csv
}
