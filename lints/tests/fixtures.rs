//! Per-rule fixtures: every `fixtures/<rule>/<case>/` is a small project (it has a
//! `Cargo.toml`). The case name is checked: a `flagged*` case must make the rule fire, a
//! `clean*` case must not (an assert, no snapshot); a clean case that is clean for other
//! rules too names them in `also-clean.txt`, one per line, rather than being copied into
//! their folders. The findings of the flagged cases are pinned as human output in
//! `lints/tests/snapshots/`.

use paved_lints::{LintOptions, Report, lint, output};
use std::path::Path;

fn findings_of(rule: &str, case_dir: &Path) -> Report {
    let mut report = lint(&LintOptions {
        paths: vec![case_dir.to_path_buf()],
        ..LintOptions::default()
    })
    .expect("fixture lints");
    report.diagnostics.retain(|d| d.rule == rule);
    for d in &report.diagnostics {
        assert_eq!(
            d.source,
            source_lines(&d.path, d.start.line, d.end.line),
            "{rule} at {}:{}: the snippet is not the file's text",
            d.path.display(),
            d.start.line
        );
    }
    // Paths relative to the case, so snapshots do not depend on where the repo is.
    let cwd = std::env::current_dir().unwrap();
    let shown_dir = case_dir.strip_prefix(&cwd).unwrap_or(case_dir);
    for d in &mut report.diagnostics {
        if let Ok(rel) = d.path.strip_prefix(shown_dir) {
            d.path = rel.to_path_buf();
        }
    }
    report
}

/// Lines `from..=to` of the file (eight at most), as the finding's snippet shows them:
/// the engine keeps them from its one read of the file, for crate rules too.
fn source_lines(path: &Path, from: u32, to: u32) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let count = to.max(from).min(from + 7) - from + 1;
    text.lines()
        .skip(from as usize - 1)
        .take(count as usize)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn rule_fixtures() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("fixtures/*/*/Cargo.toml", |manifest| {
            let case_dir = manifest.parent().unwrap();
            let case = case_dir.file_name().unwrap().to_str().unwrap();
            let rule = case_dir
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_str()
                .unwrap();
            assert!(
                paved_lints::registry::get(rule).is_some(),
                "fixtures/{rule}: no such rule"
            );
            let report = findings_of(rule, case_dir);
            let fired = report.active().count();
            if case.starts_with("flagged") {
                assert!(
                    fired > 0,
                    "fixtures/{rule}/{case}: expected `{rule}` to fire"
                );
            } else if case.starts_with("clean") {
                assert_eq!(
                    fired,
                    0,
                    "fixtures/{rule}/{case}: expected no `{rule}` finding, got:\n{}",
                    output::short::render(&report)
                );
                let also = std::fs::read_to_string(case_dir.join("also-clean.txt"));
                for other in also.iter().flat_map(|text| text.lines()) {
                    assert!(
                        paved_lints::registry::get(other).is_some(),
                        "fixtures/{rule}/{case}/also-clean.txt: no rule `{other}`"
                    );
                    let report = findings_of(other, case_dir);
                    assert_eq!(
                        report.active().count(),
                        0,
                        "fixtures/{rule}/{case}: expected no `{other}` finding, got:\n{}",
                        output::short::render(&report)
                    );
                }
                // Nothing to pin: the assert says it all.
                return;
            }
            insta::assert_snapshot!(
                format!("{rule}__{case}"),
                output::human::render(&report, false)
            );
        });
    });
}

/// Every rule has a case that must fire and a case that must not.
#[test]
fn every_rule_has_a_flagged_and_a_clean_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut missing = Vec::new();
    for rule in paved_lints::registry::RULES {
        let cases: Vec<String> = std::fs::read_dir(root.join(rule.name))
            .map(|dir| {
                dir.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        for kind in ["flagged", "clean"] {
            if !cases.iter().any(|c| c.starts_with(kind)) {
                missing.push(format!("tests/fixtures/{}/{kind}*", rule.name));
            }
        }
    }
    assert!(missing.is_empty(), "add these fixture cases: {missing:?}");
}
