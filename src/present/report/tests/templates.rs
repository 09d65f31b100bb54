//! Templates: an override directory, a missing one, an undefined variable, and the embedded
//! set `init` lists.

use super::*;

#[test]
fn override_from_directory_replaces_only_that_template() {
    let dir = std::env::temp_dir().join(format!("tr-render-override-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(
        dir.join(MD_TEMPLATE),
        "# {{ title }} ({{ stats.0.value }} cases)\n",
    )
    .expect("write");
    let r = render_owned(&owned(fixture(), Config::default()), None, Some(&dir));
    let broken = {
        std::fs::write(dir.join(HTML_TEMPLATE), "<p>{{ title </p>").expect("write");
        render_owned(&owned(fixture(), Config::default()), None, Some(&dir))
    };
    let undefined = {
        std::fs::write(dir.join(HTML_TEMPLATE), "<p>{{ no_such_value }}</p>").expect("write");
        render_owned(&owned(fixture(), Config::default()), None, Some(&dir))
    };
    std::fs::remove_dir_all(&dir).ok();

    let r = r.expect("renders with override");
    assert_eq!(
        r.markdown,
        "# American Library Association Code of Conduct transparency report 2025 (214 cases)\n"
    );
    assert!(r.html.contains("<h1>American Library Association"));
    for e in [broken, undefined] {
        match e {
            Err(RenderError::Template { name, message }) => {
                assert_eq!(name, HTML_TEMPLATE);
                assert!(!message.is_empty());
            }
            Err(other) => panic!("wrong error: {other}"),
            Ok(_) => panic!("a broken template must fail"),
        }
    }
}

#[test]
fn missing_template_directory_is_an_error() {
    let dir = std::env::temp_dir().join("tr-render-no-such-dir-3f9a");
    let e = render_owned(&owned(fixture(), Config::default()), None, Some(&dir));
    assert!(matches!(e, Err(RenderError::Read { .. })));
}

#[test]
fn undefined_variable_error_names_the_variable() {
    let dir = std::env::temp_dir().join(format!("tr-render-undef-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join(MD_TEMPLATE), "{{ no_such_value }}").expect("write");
    let e = render_owned(&owned(fixture(), Config::default()), None, Some(&dir));
    std::fs::remove_dir_all(&dir).ok();
    let msg = e.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        msg.contains("report.md.tera") && msg.contains("no_such_value"),
        "{msg}"
    );
}

#[test]
fn embedded_templates_are_listed_for_init() {
    let names: Vec<&str> = embedded_templates().iter().map(|(n, _)| *n).collect();
    assert_eq!(names, [HTML_TEMPLATE, MD_TEMPLATE, CSS_FILE]);
    assert!(embedded_templates().iter().all(|(_, s)| !s.is_empty()));
}
