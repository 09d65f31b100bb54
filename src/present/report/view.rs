//! The view-model both templates read: every figure already formatted, so the HTML and
//! the Markdown cannot disagree about a number. `build_view` assembles it from one function
//! per section of the report (the sibling files).

use serde::Serialize;

use super::{
    appeals, cases, headline, history, markdown, methodology, timeliness, ChartRef, ReportInput,
};
use crate::config::{Config, EmptyPeriod, Section, Style, Words};
use crate::model::{Count, Counts, Summary, SuppressionReport};
use crate::present::text::{
    below, capitalise, long_date, percent, plural, possessive, slug, thousands, with_article,
    NOT_AVAILABLE, SUPPRESSED,
};

#[derive(Serialize)]
pub(super) struct View {
    pub(super) title: String,
    /// The sections between the summary and the methodology, in the config's order.
    pub(super) sections: Vec<&'static str>,
    /// The compact, prose-first style (`[report] style = "compact"`).
    pub(super) compact: bool,
    /// The summary in sentences (compact style).
    pub(super) lead: Vec<String>,
    /// "A decision was also taken on 2 cases reported before the period began …".
    pub(super) carried_over: Option<String>,
    /// The committee's work in sentences (compact style).
    pub(super) committee_prose: Vec<String>,
    /// The community's words, in the forms a sentence needs.
    pub(super) w: WordsView,
    /// Headings that hold the community's words, with their Markdown anchors.
    pub(super) headings: Headings,
    /// "local to America/Chicago", or "in UTC".
    pub(super) zone_text: String,
    /// "local date (America/Chicago)", or "date (UTC)".
    pub(super) local_date: String,
    pub(super) organisation: String,
    pub(super) committee: String,
    pub(super) contact: String,
    pub(super) label: String,
    pub(super) period_start: String,
    pub(super) period_end: String,
    pub(super) period_text: String,
    /// The line under the title: [`crate::present::text::period_line`].
    pub(super) period_line: String,
    pub(super) timezone: String,
    pub(super) no_cases: bool,
    /// A period without cases, reported in the short form (`[report] empty = "short"`).
    pub(super) short_empty: bool,
    /// The community's sentence for a period without cases, and what it means.
    pub(super) no_cases_text: String,
    pub(super) no_cases_meaning: String,
    /// `[[context]]`: the populations the report covers and the rates per 1,000.
    pub(super) context: Option<super::context::ContextView>,
    /// `[process]`: how to report, who responded, what changed.
    pub(super) process: Option<super::process::ProcessView>,
    /// The committee's summaries of individual cases ("Reports and their outcomes").
    pub(super) summaries: Option<super::summaries::SummariesView>,
    pub(super) stats: Vec<Stat>,
    pub(super) narrative_html: Option<String>,
    pub(super) narrative_markdown: Option<String>,
    pub(super) policy: Policy,
    /// Which facts the export records: a section, table or sentence about another is left out.
    pub(super) rec: Recorded,
    /// "the moderation level, …": what the export does not record, for the methodology.
    pub(super) not_recorded: Option<String>,
    pub(super) not_recorded_count: usize,
    /// `[committee_activity]`, when the config has it.
    pub(super) committee_activity: Option<Table>,
    pub(super) committee_note: Option<String>,
    pub(super) history: Option<HistoryView>,
    /// Present when the export groups reports into incidents.
    pub(super) incidents: Option<IncidentsView>,
    pub(super) categories: Table,
    pub(super) levels: Table,
    pub(super) actions: Table,
    pub(super) suspensions: Table,
    /// What the suspensions counted are, before their table.
    pub(super) suspension_note: String,
    /// The same for the methodology's definitions, in lower case and capitalised.
    pub(super) suspension_definition: String,
    pub(super) suspension_definition_cap: String,
    pub(super) platforms: Table,
    pub(super) reporters: Table,
    /// How the cases arrived, when the export records it.
    pub(super) channels: Option<super::referrals::FactSection>,
    /// The cases referred to the police or another body, when the export records it.
    pub(super) referrals: Option<super::referrals::FactSection>,
    /// Who handled the cases, when the export records it.
    pub(super) handlers: Option<Table>,
    /// People named and people by action, when the export records who was reported.
    pub(super) people: Option<Table>,
    /// The words of the sections on who handled the cases and the people named.
    pub(super) handling: crate::present::text::HandlingWords,
    pub(super) acknowledgement: Table,
    pub(super) resolution: Table,
    pub(super) resolution_histogram: Table,
    pub(super) resolution_by_level: Table,
    pub(super) appeal_summary: Table,
    pub(super) appeal_outcomes: Table,
    pub(super) appeal_eligibility: Table,
    pub(super) monthly: Table,
    pub(super) charts: Charts,
    pub(super) suppression: SuppressionView,
    pub(super) rows: RowsView,
    pub(super) data_files: Vec<FileView>,
    /// `data/dsa_summary.csv` is published (a DSA map covers the taxonomy).
    pub(super) dsa_file: bool,
    pub(super) inputs: Vec<InputView>,
    pub(super) tool_version: String,
    pub(super) build_date: Option<String>,
    /// Who signs `manifest.json` and how to check it (`[signing]`).
    pub(super) signing: Option<SigningView>,
    pub(super) style: String,
}

#[derive(Serialize)]
pub(super) struct WordsView {
    pub(super) document: String,
    pub(super) section: String,
    /// "a section", "an article".
    pub(super) a_section: String,
    pub(super) sections: String,
    pub(super) sections_cap: String,
    pub(super) case: String,
    pub(super) cases: String,
    pub(super) case_cap: String,
    pub(super) cases_cap: String,
    /// "a case", "an incident".
    pub(super) a_case: String,
    pub(super) a_case_cap: String,
    pub(super) committee: String,
    pub(super) committee_cap: String,
    /// "the committee's", "the moderators'".
    pub(super) committees: String,
    pub(super) committees_cap: String,
}

impl WordsView {
    fn of(w: &Words) -> Self {
        WordsView {
            document: w.document.clone(),
            section: w.section.clone(),
            a_section: with_article(&w.section),
            sections: w.sections(),
            sections_cap: capitalise(&w.sections()),
            case: w.case.clone(),
            cases: w.cases(),
            case_cap: capitalise(&w.case),
            cases_cap: capitalise(&w.cases()),
            a_case: with_article(&w.case),
            a_case_cap: capitalise(&with_article(&w.case)),
            committee: w.committee.clone(),
            committee_cap: capitalise(&w.committee),
            committees: possessive(&w.committee),
            committees_cap: capitalise(&possessive(&w.committee)),
        }
    }
}

#[derive(Serialize)]
pub(super) struct Heading {
    pub(super) text: String,
    /// The anchor GitHub gives it in report.md.
    pub(super) anchor: String,
}

impl Heading {
    fn new(text: String) -> Self {
        Heading {
            anchor: slug(&text),
            text,
        }
    }
}

#[derive(Serialize)]
pub(super) struct Headings {
    pub(super) narrative: Heading,
    pub(super) committee: Heading,
    pub(super) categories: Heading,
    pub(super) outcomes: Heading,
}

#[derive(Serialize)]
pub(super) struct SigningView {
    pub(super) identity: String,
    pub(super) key_published_at: Option<String>,
    pub(super) namespace: &'static str,
    pub(super) file: &'static str,
}

#[derive(Serialize)]
pub(super) struct IncidentsView {
    pub(super) reports: String,
    pub(super) incidents: String,
    /// The figure of sections counts incidents (else reports, with incidents beside them).
    pub(super) by_incident: bool,
}

#[derive(Serialize)]
pub(super) struct HistoryView {
    pub(super) previous_label: String,
    pub(super) comparison: Table,
    /// Groups of sections, then sections, against the previous period (`history::TABLES`).
    pub(super) tables: Vec<Table>,
    pub(super) trend: Table,
    /// Which earlier periods are imported, not built from the export.
    pub(super) imported_note: Option<String>,
}

#[derive(Serialize)]
pub(super) struct Stat {
    pub(super) label: String,
    pub(super) value: String,
    pub(super) note: String,
}

#[derive(Serialize)]
pub(super) struct Policy {
    /// "business", "calendar" or "none": the kind of acknowledgement promise.
    pub(super) ack_promise: &'static str,
    /// "1 business day", "7 days", for the promise; empty without one.
    pub(super) ack_target: String,
    /// "the end of the next business day after …", for the definition.
    pub(super) ack_deadline: String,
    pub(super) business_days: String,
    pub(super) holidays: usize,
    /// The process has an appeal step (some level's decisions may be appealed).
    pub(super) appeals: bool,
    pub(super) appealable_levels: String,
    pub(super) appeal_window_days: Option<i64>,
    /// "decisions at Level D", "any decision": what may be appealed.
    pub(super) appealable: String,
    pub(super) appealable_cap: String,
    pub(super) appeal_any: bool,
    /// The appeal step in one sentence ("Only decisions at Level D may be appealed, within 60
    /// days of the day the decision was communicated."); empty without one.
    pub(super) appeal_rule: String,
    /// What `manifest.json` records of the settings, as a list of words.
    pub(super) manifest_settings: String,
}

/// Which sections, tables and sentences the report has: a fact the export records and
/// that applies to the community's settings (SPEC §3.1, §4).
#[derive(Serialize)]
pub(super) struct Recorded {
    pub(super) platform: bool,
    /// The export records levels and the taxonomy has some.
    pub(super) level: bool,
    pub(super) reporter: bool,
    pub(super) action: bool,
    pub(super) suspension_days: bool,
    pub(super) interim: bool,
    /// Any suspension figure: a suspension action the taxonomy lists, or the interim flag.
    pub(super) suspensions: bool,
    /// Temporary or full suspensions are among the actions.
    pub(super) suspension_actions: bool,
    pub(super) outcomes: bool,
    pub(super) ack: bool,
    pub(super) resolved: bool,
    /// Days to a decision are published (recorded, and the timeliness section shown).
    pub(super) resolution_days: bool,
    pub(super) timeliness: bool,
    pub(super) appeals: bool,
    pub(super) appeal_outcome: bool,
    /// The report speaks of decisions (when, at which level, what action): only then is a
    /// missing appeal step worth a sentence.
    pub(super) decisions: bool,
    /// The month-by-month section is shown.
    pub(super) monthly: bool,
}

impl Recorded {
    pub(super) fn of(s: &Summary, c: &Config) -> Self {
        let r = |col: &str| s.recorded(col);
        // A section the config leaves out is treated as a fact not recorded, on the page.
        let outcomes_shown = s.shows("outcomes");
        let timeliness_shown = s.shows("timeliness");
        let t = &c.taxonomy;
        let level = r("moderation_level") && !t.levels.is_empty() && outcomes_shown;
        let action = r("action") && outcomes_shown;
        let listed = |keys: Vec<&str>| keys.iter().any(|k| t.actions.iter().any(|a| a.key == *k));
        let suspension_actions = action
            && (listed(t.temporary_suspension_actions()) || listed(t.full_suspension_actions()));
        let suspensions = suspension_actions || (r("interim_suspension") && outcomes_shown);
        // Without an appeal step the section is left out, unless the export does hold
        // appeals: a figure the export records is never hidden.
        let appeals = r("appeal_filed_at")
            && s.shows("appeals")
            && (c.has_appeals() || s.appeals.filed != Some(0));
        let ack = r("acknowledged_at") && timeliness_shown;
        Recorded {
            platform: r("platform") && s.shows("platforms"),
            level,
            reporter: r("reporter_type") && s.shows("reporters"),
            action,
            suspension_days: r("suspension_days") && outcomes_shown,
            interim: r("interim_suspension") && outcomes_shown,
            suspensions,
            suspension_actions,
            outcomes: level || action || suspensions,
            ack,
            resolved: r("resolved_at"),
            resolution_days: r("resolved_at") && timeliness_shown,
            timeliness: ack || (r("resolved_at") && timeliness_shown),
            appeals,
            appeal_outcome: appeals && r("appeal_outcome"),
            decisions: r("resolved_at") || level || action,
            monthly: s.shows("monthly"),
        }
    }
}

/// A table as both templates draw it: the first column is the row header.
#[derive(Serialize)]
pub(super) struct Table {
    pub(super) id: &'static str,
    pub(super) caption: String,
    pub(super) columns: Vec<Column>,
    pub(super) bodies: Vec<Body>,
}

#[derive(Serialize)]
pub(super) struct Column {
    pub(super) label: String,
    pub(super) num: bool,
}

#[derive(Serialize)]
pub(super) struct Body {
    pub(super) heading: Option<String>,
    pub(super) rows: Vec<Row>,
}

#[derive(Serialize)]
pub(super) struct Row {
    pub(super) header: String,
    pub(super) cells: Vec<Cell>,
    pub(super) total: bool,
}

#[derive(Serialize)]
pub(super) struct Cell {
    pub(super) v: String,
    pub(super) num: bool,
}

#[derive(Serialize, Clone)]
pub(super) struct ChartView {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) svg: String,
}

/// Charts placed in their sections; ones this template does not know go to `other`.
#[derive(Serialize, Default)]
pub(super) struct Charts {
    pub(super) categories: Option<ChartView>,
    pub(super) levels: Option<ChartView>,
    pub(super) platforms: Option<ChartView>,
    pub(super) resolution: Option<ChartView>,
    pub(super) monthly: Option<ChartView>,
    pub(super) appeals: Option<ChartView>,
    pub(super) history: Option<ChartView>,
    pub(super) other: Vec<ChartView>,
}

#[derive(Serialize)]
pub(super) struct SuppressionView {
    pub(super) min_cell: u64,
    /// "off" (0), "none" (threshold 1: nothing is small enough), or "on".
    pub(super) mode: &'static str,
    pub(super) largest_hidden: u64,
    pub(super) tables: Vec<String>,
    pub(super) primary: String,
    pub(super) complementary: String,
    /// "312 published figures" and "95 relations" of the disclosure audit; empty when off.
    pub(super) audit_figures: String,
    pub(super) audit_relations: String,
}

#[derive(Serialize)]
pub(super) struct RowsView {
    pub(super) read: String,
    pub(super) counted: String,
    pub(super) outside_period: String,
    pub(super) rejected: String,
    pub(super) rejected_verb: &'static str,
    pub(super) any_rejected: bool,
    pub(super) any_outside: bool,
    pub(super) any_read: bool,
}

#[derive(Serialize)]
pub(super) struct FileView {
    pub(super) path: String,
    sha256: String,
    pub(super) size: String,
}

#[derive(Serialize)]
pub(super) struct InputView {
    pub(super) name: String,
    sha256: String,
}

/// Formats counts as suppression left them.
pub(super) struct Fmt<'a> {
    pub(super) suppression: &'a SuppressionReport,
    pub(super) words: &'a Words,
}

impl Fmt<'_> {
    /// A count hidden because it was small.
    pub(super) fn count(&self, c: Count) -> String {
        match c {
            Some(n) => thousands(n),
            None => below(self.suppression.min_cell),
        }
    }

    /// A count in table `table` under `key`: a cell hidden only to protect another one may
    /// be large, so it reads "suppressed" rather than "< N".
    pub(super) fn cell(&self, table: &str, key: &str, c: Count) -> String {
        if c.is_none() && self.is_complementary(table, key) {
            SUPPRESSED.into()
        } else {
            self.count(c)
        }
    }

    pub(super) fn is_complementary(&self, table: &str, key: &str) -> bool {
        self.suppression
            .complementary_cells
            .contains(&format!("{table}/{key}"))
    }

    /// Share of `total` for display; hidden when either side is suppressed, so a percentage
    /// can never give away a suppressed count.
    pub(super) fn share(&self, c: Count, total: Count) -> String {
        match (c, total) {
            (Some(n), Some(t)) if t > 0 => percent(Some(n as f64 / t as f64)),
            _ => NOT_AVAILABLE.into(),
        }
    }
}

pub(super) fn num_col(label: &str) -> Column {
    Column {
        label: label.into(),
        num: true,
    }
}

pub(super) fn text_col(label: &str) -> Column {
    Column {
        label: label.into(),
        num: false,
    }
}

pub(super) fn row(header: impl Into<String>, cells: Vec<String>) -> Row {
    Row {
        header: header.into(),
        cells: cells.into_iter().map(|v| Cell { v, num: true }).collect(),
        total: false,
    }
}

/// The rows whose figure rests only on recorded facts (SPEC §3.1).
pub(super) fn recorded_rows(rows: Vec<(bool, Row)>) -> Vec<Row> {
    rows.into_iter()
        .filter_map(|(recorded, r)| recorded.then_some(r))
        .collect()
}

pub(super) fn single_body(rows: Vec<Row>) -> Vec<Body> {
    vec![Body {
        heading: None,
        rows,
    }]
}

/// "Cases" and "% of cases" (in the config's words) for every key of `counts`, labelled by
/// `label`.
/// `table` is the suppression pass's name for the same figures.
#[allow(clippy::too_many_arguments)]
pub(super) fn count_table(
    id: &'static str,
    caption: String,
    first: &str,
    table: &str,
    counts: &Counts,
    total: Count,
    f: &Fmt,
    label: impl Fn(&str) -> String,
) -> Table {
    let rows = counts
        .iter()
        .map(|(k, &c)| row(label(k), vec![f.cell(table, k, c), f.share(c, total)]))
        .collect();
    Table {
        id,
        caption,
        columns: vec![
            text_col(first),
            num_col(&capitalise(&f.words.cases())),
            num_col(&format!("% of {}", f.words.cases())),
        ],
        bodies: single_body(rows),
    }
}

/// Puts each chart in the section that shows it.
fn place_charts(input: &[ChartRef]) -> Charts {
    let mut charts = Charts::default();
    for ch in input {
        let view = ChartView {
            id: ch.id.to_string(),
            title: ch.title.to_string(),
            description: ch.description.to_string(),
            svg: ch.svg.to_string(),
        };
        match chart_slot(&mut charts, ch.id) {
            Some(slot) if slot.is_none() => *slot = Some(view),
            _ => charts.other.push(view),
        }
    }
    charts
}

pub(super) fn chart_slot<'c>(
    charts: &'c mut Charts,
    id: &str,
) -> Option<&'c mut Option<ChartView>> {
    // The chart module names its figures; a few spellings are accepted so a rename there
    // does not silently move a chart to "other figures".
    let slot = match id {
        "categories" | "category" | "by_category" => &mut charts.categories,
        "levels" | "level" | "moderation_levels" | "by_moderation_level" => &mut charts.levels,
        "platforms" | "platform" | "by_platform" => &mut charts.platforms,
        "resolution" | "resolution_days" | "resolution_histogram" | "histogram" => {
            &mut charts.resolution
        }
        "monthly" | "monthly_trend" | "trend" | "months" => &mut charts.monthly,
        "appeals" | "appeal" | "appeal_outcomes" => &mut charts.appeals,
        "history" => &mut charts.history,
        _ => return None,
    };
    Some(slot)
}

/// What every section reads: the figures, the config, and how suppressed counts read.
pub(super) struct Ctx<'a> {
    pub(super) input: &'a ReportInput<'a>,
    pub(super) summary: &'a Summary,
    pub(super) config: &'a Config,
    pub(super) fmt: Fmt<'a>,
    pub(super) total: Count,
}

impl<'a> Ctx<'a> {
    /// What every part of the report (and the slide) reads its figures and words from.
    pub(super) fn new(input: &'a ReportInput<'a>) -> Self {
        Ctx {
            input,
            summary: input.summary,
            config: input.config,
            fmt: Fmt {
                suppression: input.suppression,
                words: &input.config.words,
            },
            total: input.summary.cases.total,
        }
    }
}

/// The zone names that are UTC itself, where "local to UTC" would read oddly.
fn is_utc(zone: &str) -> bool {
    matches!(
        zone,
        "UTC" | "Etc/UTC" | "Etc/UCT" | "UCT" | "Universal" | "Etc/Universal" | "Zulu" | "Etc/Zulu"
    )
}

pub(super) fn build_view(input: &ReportInput, style: String) -> View {
    let s = input.summary;
    let c = input.config;
    let cx = Ctx::new(input);
    let total = cx.total;
    let title = headline::title(&cx);
    let rec = Recorded::of(s, c);
    let ack_target = methodology::ack_target(c);
    let shows = |x: Section| c.report.shows(x);
    let stats = headline::stats(&cx, &ack_target);
    let incidents = headline::incidents(&cx);
    let categories = cases::categories(&cx, &incidents);
    let appealable_text = appeals::appealable_levels(&cx);
    let history = input
        .history
        .map(|h| history::history_view(h, &s.period.label, c, &rec));

    let not_recorded = methodology::not_recorded(&cx);
    let w = &c.words;
    let rec_level = rec.level;
    let short_empty = total == Some(0) && c.report.empty == EmptyPeriod::Short;
    let (no_cases_text, no_cases_meaning) = w.no_cases(input.event.unwrap_or(&s.period.label));
    let outcomes = match (rec.level, rec.action || rec.suspensions) {
        (true, true) => "Moderation levels and actions",
        (true, false) => "Moderation levels",
        _ => "Actions taken",
    };
    View {
        title,
        sections: c
            .report
            .sections
            .iter()
            .filter(|x| !(short_empty && x.counts_cases()))
            .map(|x| x.key())
            .collect(),
        compact: c.report.style == Style::Compact,
        lead: headline::lead(&cx, &rec, &ack_target),
        carried_over: headline::carried_over(&cx),
        committee_prose: headline::committee_prose(&cx),
        w: WordsView::of(w),
        headings: Headings {
            narrative: Heading::new(format!("From {}", w.committee)),
            committee: Heading::new(format!("{} work", capitalise(&possessive(&w.committee)))),
            categories: Heading::new(format!(
                "{} by {} of the {}",
                capitalise(&w.cases()),
                w.section,
                w.document
            )),
            outcomes: Heading::new(outcomes.into()),
        },
        zone_text: if is_utc(&s.period.timezone) {
            "in UTC".into()
        } else {
            format!("local to {}", s.period.timezone)
        },
        local_date: if is_utc(&s.period.timezone) {
            "date (UTC)".into()
        } else {
            format!("local date ({})", s.period.timezone)
        },
        organisation: c.organisation.clone(),
        committee: c.committee.clone(),
        contact: c.contact.clone(),
        label: s.period.label.clone(),
        period_start: s.period.start.clone(),
        period_end: s.period.end.clone(),
        period_text: format!(
            "{} to {}",
            long_date(&s.period.start),
            long_date(&s.period.end)
        ),
        period_line: crate::present::text::period_line(input.event, &s.period.start, &s.period.end),
        timezone: s.period.timezone.clone(),
        no_cases: total == Some(0),
        short_empty,
        no_cases_text,
        no_cases_meaning,
        context: super::context::context(&cx),
        process: super::process::process(&cx),
        summaries: super::summaries::summaries(&cx),
        stats,
        narrative_html: input
            .narrative_markdown
            .filter(|_| shows(Section::Narrative))
            .map(markdown::narrative_to_html),
        narrative_markdown: input
            .narrative_markdown
            .filter(|_| shows(Section::Narrative))
            .map(markdown::narrative_to_markdown),
        policy: methodology::policy(&cx, &ack_target, &appealable_text),
        rec,
        not_recorded: not_recorded.as_ref().map(|(text, _)| text.clone()),
        not_recorded_count: not_recorded.map_or(0, |(_, n)| n),
        committee_activity: methodology::committee_activity(&cx)
            .filter(|_| shows(Section::Committee)),
        committee_note: methodology::committee_note(&cx),
        history,
        incidents,
        categories,
        levels: cases::levels(&cx),
        actions: cases::actions(&cx),
        suspensions: cases::suspensions(&cx),
        suspension_note: cases::suspension_note(&cx),
        suspension_definition: cases::suspension_definition(&cx),
        suspension_definition_cap: capitalise(&cases::suspension_definition(&cx)),
        platforms: cases::platforms(&cx),
        reporters: cases::reporters(&cx),
        channels: super::referrals::channels(&cx),
        referrals: super::referrals::referrals(&cx),
        handlers: cases::handlers(&cx),
        people: cases::people(&cx),
        handling: crate::present::text::handling_words(&c.words),
        acknowledgement: timeliness::acknowledgement(&cx, &ack_target),
        resolution: timeliness::resolution(&cx),
        resolution_histogram: timeliness::resolution_histogram(&cx),
        resolution_by_level: timeliness::resolution_by_level(&cx),
        appeal_summary: appeals::summary(&cx),
        appeal_outcomes: appeals::outcomes(&cx),
        appeal_eligibility: appeals::eligibility(&cx, &appealable_text, rec_level),
        monthly: timeliness::monthly(&cx),
        charts: place_charts(input.charts),
        suppression: methodology::suppression(&cx),
        rows: methodology::rows(&cx),
        dsa_file: input
            .data_files
            .iter()
            .any(|d| d.path == "data/dsa_summary.csv"),
        data_files: input
            .data_files
            .iter()
            .map(|d| FileView {
                path: d.path.clone(),
                sha256: d.sha256.clone(),
                size: plural(d.bytes, "byte", "bytes"),
            })
            .collect(),
        inputs: input
            .input_hashes
            .iter()
            .map(|(name, sha256)| InputView {
                name: name.clone(),
                sha256: sha256.clone(),
            })
            .collect(),
        tool_version: input.tool_version.to_string(),
        build_date: input.build_date.map(str::to_string),
        signing: methodology::signing(&cx),
        style,
    }
}
