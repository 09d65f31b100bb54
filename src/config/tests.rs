//! Unit tests of `config` (kept in their own file).

use super::*;

#[test]
fn ala_preset_parses_with_the_spec_taxonomy() {
    let t = Taxonomy::ala();
    assert_eq!(t.platforms.len(), 5);
    assert_eq!(t.categories.len(), 22);
    assert_eq!(
        t.categories
            .iter()
            .filter(|c| c.group == "harassment")
            .count(),
        12
    );
    assert_eq!(t.level_keys().collect::<Vec<_>>(), ["A", "B", "C", "D"]);
    assert_eq!(t.actions.len(), 6);
    Config::default().check().unwrap();
}

#[test]
fn every_preset_parses_and_names_its_suspensions() {
    assert_eq!(PRESETS.map(|p| p.name), PRESET_NAMES);
    for p in PRESETS {
        let t = p.taxonomy().unwrap();
        let c = Config {
            taxonomy: t.clone(),
            appealable_levels: p.appealable_levels.iter().map(|s| s.to_string()).collect(),
            timezone: p.timezone.into(),
            dsa: p.dsa().unwrap(),
            ..Config::default()
        };
        // Every section of a non-ALA preset is mapped to a DSA category.
        if p.name != "ala" {
            let map = crate::config::dsa::category_map(c.dsa.as_ref(), &t);
            assert_eq!(map.len(), t.categories.len(), "{}", p.name);
        }
        c.check().unwrap_or_else(|e| panic!("{}: {e}", p.name));
        assert!(!t.temporary_suspension_actions().is_empty(), "{}", p.name);
        assert!(!t.full_suspension_actions().is_empty(), "{}", p.name);
    }
    assert_eq!(preset("ala").unwrap().taxonomy().unwrap(), Taxonomy::ala());
    let psf = preset("psf").unwrap().taxonomy().unwrap();
    // The Enforcement Procedures' "Propose consequences", and no levels.
    assert_eq!(psf.temporary_suspension_actions(), ["temporary_removal"]);
    assert_eq!(psf.full_suspension_actions(), ["permanent_removal"]);
    assert!(psf.levels.is_empty());
    let cc = preset("contributor-covenant").unwrap().taxonomy().unwrap();
    assert_eq!(
        cc.level_keys().collect::<Vec<_>>(),
        ["correction", "warning", "temporary_ban", "permanent_ban"]
    );
    assert!(preset("nope").is_none());
}

#[test]
fn suspension_actions_must_be_listed_actions() {
    let base = "[taxonomy]\nplatforms = [{key = \"p\", label = \"P\"}]\n\
                category_groups = [{key = \"g\", label = \"G\"}]\n\
                categories = [{key = \"c\", label = \"C\", group = \"g\"}]\n\
                levels = [{key = \"D\", label = \"D\"}]\n\
                actions = [{key = \"ban\", label = \"Ban\"}, {key = \"pause\", label = \"Pause\"}]\n";
    let ok =
        format!("{base}suspension_actions = {{ temporary = [\"pause\"], full = [\"ban\"] }}\n");
    let c = Config::parse(&ok).unwrap();
    assert_eq!(c.taxonomy.temporary_suspension_actions(), ["pause"]);
    assert_eq!(c.taxonomy.full_suspension_actions(), ["ban"]);
    let bad = format!("{base}suspension_actions = {{ temporary = [\"timeout\"] }}\n");
    let err = Config::parse(&bad).unwrap_err();
    assert!(
        err.contains("suspension_actions.temporary") && err.contains("timeout"),
        "{err}"
    );
    let both =
        format!("{base}suspension_actions = {{ temporary = [\"ban\"], full = [\"ban\"] }}\n");
    assert!(Config::parse(&both).unwrap_err().contains("both"));
    // Without the table, the ALA keys (absent here) count, as before.
    let c = Config::parse(base).unwrap();
    assert_eq!(
        c.taxonomy.temporary_suspension_actions(),
        ["temporary_suspension"]
    );
}

#[test]
fn unknown_keys_are_errors_naming_the_key() {
    let err = Config::parse("labl = \"x\"\n").unwrap_err();
    assert!(err.contains("labl"), "{err}");
    assert!(err.contains("line 1"), "{err}");
}

#[test]
fn fiscal_year_period() {
    let c = Config::parse("[period]\nstart = 2024-09-01\nend = 2025-08-31\n").unwrap();
    let (s, e) = c.period.unwrap().resolve().unwrap();
    assert_eq!(s.to_string(), "2024-09-01");
    assert_eq!(e.to_string(), "2025-08-31");
    let p = Period::new(None, s, e).unwrap();
    assert_eq!(p.label, "2024-09-01_2025-08-31");
}

#[test]
fn bad_timezone_and_weekday() {
    assert!(Config::parse("timezone = \"Mars/Base\"")
        .unwrap_err()
        .contains("IANA"));
    assert!(Config::parse("business_days = [\"mon\", \"funday\"]")
        .unwrap_err()
        .contains("funday"));
}

#[test]
fn labels_are_safe_folder_names() {
    assert!(check_label("FY2025").is_ok());
    assert!(check_label("../etc").is_err());
    assert!(check_label("a b").is_err());
}

#[test]
fn a_missing_field_names_its_table() {
    let platforms = "[[taxonomy.platforms]]\nkey = \"blog\"\nlabel = \"Blog\"\n";
    let rest = "[[taxonomy.category_groups]]\nkey = \"g\"\nlabel = \"G\"\n[[taxonomy.categories]]\nkey = \"age\"\nlabel = \"Age\"\ngroup = \"g\"\n[[taxonomy.actions]]\nkey = \"w\"\nlabel = \"W\"\n";
    let levels = "[[taxonomy.levels]]\nkey = \"A\"\nlabel = \"A\"\n";
    // Levels may be absent (SPEC §4); the sections may not.
    let no_sections = rest.replace("taxonomy.categories", "taxonomy.platforms");
    let no_sections = no_sections.replace("group = \"g\"\n", "");
    // `[taxonomy]` is opened by `[[taxonomy.platforms]]` only: no line of its own.
    let e = Config::parse(&format!("timezone = \"UTC\"\n{platforms}{no_sections}")).unwrap_err();
    assert_eq!(e, "missing field `categories` in [taxonomy]");
    // Written out: its line.
    let e = Config::parse(&format!(
        "timezone = \"UTC\"\n[taxonomy]\n{platforms}{no_sections}"
    ))
    .unwrap_err();
    assert_eq!(e, "missing field `categories` in [taxonomy] (line 2)");
    // An entry of an array of tables: that entry's line.
    let e = Config::parse(&format!(
        "{platforms}{rest}{levels}[[taxonomy.levels]]\nkey = \"B\"\n"
    ))
    .unwrap_err();
    assert_eq!(e, "missing field `label` in [[taxonomy.levels]] (line 17)");
    // Other errors keep toml's own message with the line.
    let e = Config::parse("min_cell = \"three\"\n").unwrap_err();
    assert!(e.contains("line 1") && e.contains("min_cell"), "{e}");
}

#[test]
fn one_date_range_and_a_bounded_min_cell() {
    assert!(year_bounds(1900).is_ok() && year_bounds(2999).is_ok());
    assert_eq!(
        year_bounds(1899).unwrap_err(),
        "year 1899 is outside 1900–2999"
    );
    assert_eq!(
        year_bounds(3000).unwrap_err(),
        "year 3000 is outside 1900–2999"
    );
    let period = |s: &str, e: &str| {
        Config::parse(&format!("[period]\nstart = {s}\nend = {e}\n")).map(|_| ())
    };
    assert!(period("1900-01-01", "2999-12-31").is_ok());
    assert!(period("2025-01-01", "3000-01-01")
        .unwrap_err()
        .contains("end 3000-01-01: year 3000 is outside 1900–2999"));
    assert!(period("1899-12-31", "2025-01-01")
        .unwrap_err()
        .contains("start 1899-12-31: year 1899"));
    assert!(Config::parse("min_cell = 1000000\n").is_ok());
    assert_eq!(
        Config::parse("min_cell = 1000001\n").unwrap_err(),
        "`min_cell`: 1000001 is larger than 1000000, the largest threshold accepted (0 turns suppression off)"
    );
}

#[test]
fn without_levels_there_is_no_appeal_step_unless_one_is_named() {
    let taxonomy = "[[taxonomy.category_groups]]\nkey = \"g\"\nlabel = \"G\"\n\
                    [[taxonomy.categories]]\nkey = \"c\"\nlabel = \"C\"\ngroup = \"g\"\n";
    let c = Config::parse(taxonomy).unwrap();
    assert!(c.taxonomy.levels.is_empty());
    assert!(c.appealable_levels.is_empty());
    assert!(!c.has_appeals());
    let named = format!("appealable_levels = [\"D\"]\n{taxonomy}");
    let e = Config::parse(&named).unwrap_err();
    assert!(e.contains("appealable_levels = []"), "{e}");
    // With the ALA levels, the default stays Level D.
    assert_eq!(Config::parse("").unwrap().appealable_levels, ["D"]);
}

#[test]
fn the_acknowledgement_promise_is_one_of_three() {
    use crate::config::AckPromise;
    assert_eq!(
        Config::parse("").unwrap().ack_promise(),
        AckPromise::BusinessDays(1)
    );
    assert_eq!(
        Config::parse("ack_target_business_days = 2")
            .unwrap()
            .ack_promise(),
        AckPromise::BusinessDays(2)
    );
    assert_eq!(
        Config::parse("ack_target_calendar_days = 7")
            .unwrap()
            .ack_promise(),
        AckPromise::CalendarDays(7)
    );
    assert_eq!(
        Config::parse("ack_promise = false").unwrap().ack_promise(),
        AckPromise::None
    );
}

#[test]
fn words_default_to_the_ala_words_and_fill_the_title() {
    let w = Config::parse("").unwrap().words;
    assert_eq!(w.document, "Code of Conduct");
    assert_eq!((w.case.as_str(), w.cases().as_str()), ("case", "cases"));
    assert_eq!(w.sections(), "sections");
    assert_eq!(w.committee, "the committee");
    assert_eq!(
        w.title("American Library Association", "2025", None),
        "American Library Association Code of Conduct transparency report 2025"
    );
    assert_eq!(
        w.title("", "2025", None),
        "Code of Conduct transparency report 2025"
    );
    let w = Config::parse(
        "[words]\ncase = \"matter\"\ncases = \"matters\"\ntitle = \"{label}: {document}\"",
    )
    .unwrap()
    .words;
    assert_eq!(w.cases(), "matters");
    assert_eq!(w.title("Org", "FY2025", None), "FY2025: Code of Conduct");
}
