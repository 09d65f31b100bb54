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
        assert_eq!(c.words.document, "Code of Conduct");
        assert_eq!(c.words.title, config::DEFAULT_TITLE);
        // Publishing small numbers openly is a legitimate choice, not an internal setting.
        assert!(text.contains("min_cell = 3"));
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
    assert_eq!(
        actions,
        [
            "not_a_violation",
            "out_of_scope",
            "no_action",
            "warning",
            "suspension",
            "ban"
        ]
    );
    assert_eq!(c.taxonomy.temporary_suspension_actions(), ["suspension"]);
    assert_eq!(c.taxonomy.full_suspension_actions(), ["ban"]);
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
