//! Unit tests of `init` (kept in their own file).

use super::*;

#[test]
fn every_preset_writes_a_valid_config_with_its_taxonomy() {
    for p in config::PRESETS {
        let text = report_toml(&p, 2024).unwrap();
        let c = Config::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", p.name));
        assert_eq!(c.taxonomy, p.taxonomy().unwrap(), "{}", p.name);
        assert_eq!(c.dsa, p.dsa().unwrap(), "{}", p.name);
        assert_eq!(c.organisation, p.organisation);
        assert_eq!(c.committee, p.committee);
        assert_eq!(c.timezone, p.timezone);
        assert_eq!(c.appealable_levels, p.appealable_levels);
        assert_eq!(c.period.unwrap().year, Some(2024));
        assert!(text.contains(&format!("`{}` preset", p.name)), "{}", p.name);
        // The community's words, written out for editing.
        assert_eq!(c.words.case, p.case_word, "{}", p.name);
        assert_eq!(c.words.committee, p.committee_word, "{}", p.name);
        assert_eq!(c.words.document, p.document, "{}", p.name);
        assert_eq!(c.words.section, p.section, "{}", p.name);
        assert_eq!(
            c.words.sections(),
            p.sections.map_or(format!("{}s", p.section), String::from),
            "{}",
            p.name
        );
        assert_eq!(c.min_cell, p.min_cell, "{}", p.name);
        assert_eq!(c.appeal_any_decision, p.appeal_any_decision, "{}", p.name);
        assert_eq!(c.appeal_window, p.appeal_window, "{}", p.name);
        assert_eq!(
            c.words.title,
            p.title.unwrap_or(config::DEFAULT_TITLE),
            "{}",
            p.name
        );
        // Publishing small numbers openly is a legitimate choice, not an internal setting.
        assert!(text.contains(&format!("\nmin_cell = {}\n", p.min_cell)));
        assert!(!text.contains("internal use"), "{}", p.name);
        assert!(text.contains("# ack_target_calendar_days = 7"));
        assert!(text.contains("# ack_promise = false"));
    }
    let ala = Config::parse(&report_toml(config::preset("ala").unwrap(), 2025).unwrap()).unwrap();
    assert_eq!(ala.words, config::Words::default());
    assert_eq!(ala.ack_promise(), config::AckPromise::BusinessDays(1));
    let django = report_toml(config::preset("django").unwrap(), 2025).unwrap();
    let c = Config::parse(&django).unwrap();
    let actions: Vec<&str> = c.taxonomy.actions.iter().map(|a| a.key.as_str()).collect();
    // The "Consequences" of Django's working-group records, in their order.
    assert_eq!(
        actions,
        [
            "not_a_violation",
            "out_of_scope",
            "no_action",
            "warning",
            "first_suspension",
            "second_suspension",
            "ban",
            "other"
        ]
    );
    assert_eq!(
        c.taxonomy.temporary_suspension_actions(),
        ["first_suspension", "second_suspension"]
    );
    assert_eq!(c.taxonomy.full_suspension_actions(), ["ban"]);
    // Reconsideration of any decision by the DSF Board, with no time limit; no promise to
    // acknowledge (the documents state aims only); small numbers published openly.
    assert!(c.has_appeals() && c.appeal_any_decision);
    assert_eq!(c.appeal_window(), None);
    assert_eq!(c.ack_promise(), config::AckPromise::None);
    assert_eq!(c.min_cell, 0);
    assert_eq!(c.taxonomy.levels.len(), 4);
    // PSF: acknowledgement "within one week", no levels, no appeal step.
    let psf = Config::parse(&report_toml(config::preset("psf").unwrap(), 2024).unwrap()).unwrap();
    assert_eq!(psf.ack_promise(), config::AckPromise::CalendarDays(7));
    assert!(psf.taxonomy.levels.is_empty());
    assert!(!psf.has_appeals());
    assert_eq!(psf.min_cell, 0);
    assert_eq!(psf.words.case, "report");
    // The Contributor Covenant: its ladder as levels, no promise, no appeal step.
    let cc =
        Config::parse(&report_toml(config::preset("contributor-covenant").unwrap(), 2024).unwrap())
            .unwrap();
    assert_eq!(cc.ack_promise(), config::AckPromise::None);
    assert!(!cc.has_appeals());
}

#[test]
fn unknown_preset_is_a_usage_error_listing_the_choices() {
    let dir = tempfile::tempdir().unwrap();
    let err = run(&InitOptions {
        dir: dir.path().to_path_buf(),
        year: 2025,
        force: false,
        preset: "nope".into(),
    })
    .unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert!(err.to_string().contains("contributor-covenant"), "{err}");
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[test]
fn the_ala_scaffold_shows_the_dsa_map_as_a_commented_table() {
    let p = config::preset("ala").unwrap();
    let text = report_toml(p, 2025).unwrap();
    // Commented out, the built-in mapping stays in force.
    assert_eq!(Config::parse(&text).unwrap().dsa, None);
    let at = text
        .find("# [dsa.category_map]\n")
        .expect("a commented [dsa] table");
    assert!(text.contains("\"unmapped\""), "explains unmapped");
    // Uncommented, it is exactly the built-in mapping.
    let (head, table) = text.split_at(at);
    let table: String = table
        .lines()
        .map(|l| l.strip_prefix("# ").unwrap_or(l))
        .map(|l| format!("{l}\n"))
        .collect();
    let c = Config::parse(&format!("{head}{table}")).unwrap();
    let t = p.taxonomy().unwrap();
    assert_eq!(
        c.dsa.unwrap().category_map,
        crate::config::dsa::category_map(None, &t)
    );
    assert_eq!(
        crate::config::dsa::category_map(None, &t).len(),
        t.categories.len()
    );
}
