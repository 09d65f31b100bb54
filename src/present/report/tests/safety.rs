//! What the page prints from the config, the narrative and the figures stays inert: no tag,
//! column or link a reader did not write.

use super::super::markdown::is_safe_url;
use super::*;

#[test]
fn hostile_config_text_and_narrative_are_inert() {
    let mut config = Config {
        organisation: "<script>alert(1)</script>".into(),
        committee: "{{ 7*7 }} committee".into(),
        ..Config::default()
    };
    config.taxonomy.platforms[0].label = "\"><img src=x onerror=alert(1)>".into();
    config.taxonomy.categories[0].label = "a | b * c _d_ [x](y) `e`".into();
    let narrative = "Hello <script>alert(1)</script> and {{ 7*7 }}.\n\n\
<div onclick=\"alert(1)\">block</div>\n\n\
[click](javascript:alert(1)) [ok](https://example.org) ![img](https://example.org/x.png)\n\n\
<img src=x onerror=alert(1)>\n";
    let o = owned(fixture(), config);
    let r = render_owned(&o, Some(narrative), None).expect("renders");

    assert_eq!(raw_tags(&r.markdown), Vec::<&str>::new(), "{}", r.markdown);
    for out in [&r.html, &r.markdown.replace("\\<", "")] {
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<img"), "{out}");
        assert!(!out.contains("<div onclick"), "{out}");
        assert!(!out.contains("](javascript:"), "{out}");
        assert!(!out.contains("href=\"javascript:"), "{out}");
        assert!(
            !out.contains("49 committee"),
            "tera evaluated config text: {out}"
        );
    }
    // The text itself survives, visibly.
    assert!(r
        .html
        .contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"));
    assert!(r.html.contains("{{ 7*7 }} committee"));
    assert!(r
        .html
        .contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(r
        .html
        .contains("Hello &lt;script&gt;alert(1)&lt;/script&gt; and {{ 7*7 }}."));
    assert!(r.html.contains("<a href=\"https://example.org\">ok</a>"));
    assert!(r.html.contains(">click<") || r.html.contains("click "));
    assert!(
        !r.html.contains("example.org/x.png"),
        "images must not load"
    );
    assert!(
        r.markdown.contains("\\<script\\>alert(1)\\</script\\>"),
        "{}",
        r.markdown
    );
    assert!(r.markdown.contains("\\{\\{ 7\\*7 \\}\\} committee"));
    assert!(r.markdown.contains("\"\\>\\<img src=x onerror=alert(1)\\>"));
    assert!(r
        .markdown
        .contains("Hello &lt;script&gt;alert(1)&lt;/script&gt; and {{ 7*7 }}."));
    assert!(r.markdown.contains("[ok](https://example.org)"));
}

/// Unescaped `<` that a Markdown renderer would take as the start of an HTML tag.
fn raw_tags(md: &str) -> Vec<&str> {
    md.match_indices('<')
        .filter(|(i, _)| !md[..*i].ends_with('\\'))
        .filter(|(i, _)| {
            md[i + 1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!')
        })
        .map(|(i, _)| &md[i..md.len().min(i + 20)])
        .collect()
}

#[test]
fn markdown_cells_cannot_add_columns() {
    let mut config = Config::default();
    config.taxonomy.platforms[1].label = "one | two\nthree".into();
    let r = render_owned(&owned(fixture(), config), None, None).expect("renders");
    let line = r
        .markdown
        .lines()
        .find(|l| l.starts_with("| one \\| two"))
        .expect("row present");
    assert_eq!(line, "| one \\| two three | 41 | 19.2% |");
    let unescaped = line.replace("\\|", "");
    assert_eq!(unescaped.matches('|').count(), 4);
}

#[test]
fn url_safety() {
    for ok in [
        "https://x.org",
        "http://x",
        "mailto:a@b",
        "#top",
        "data/x.csv",
        "x/y:z",
    ] {
        assert!(is_safe_url(ok), "{ok}");
    }
    for bad in [
        "javascript:alert(1)",
        " JavaScript:x",
        "java\tscript:x",
        "data:text/html,x",
        "vbscript:x",
    ] {
        assert!(!is_safe_url(bad), "{bad}");
    }
}
