//! The HTML of `paved talk` and `paved report` in a real headless browser (Debian package
//! `chromium`): it loads without console errors and without the network, every slide
//! renders and is reached with the keyboard, the slides say what the rule docs say,
//! screenshots are not blank, the report's links land on their findings and its columns
//! sort.

mod browser {
    pub mod cdp;
}
#[path = "common/monorepo.rs"]
mod monorepo;

use assert_cmd::Command;
use browser::cdp::{self, Browser};
use paved_lints::docs;
use paved_lints::registry::RULES;
use serde_json::Value;
use std::path::Path;

fn paved(dir: &Path, args: &[&str]) {
    Command::cargo_bin("paved")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .assert()
        .success();
}

fn url(file: &Path) -> String {
    format!("file://{}", file.display())
}

/// Whitespace folded, markdown's backticks dropped: how prose reads once rendered.
fn words(text: &str) -> String {
    text.replace('`', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The code of a section's blocks as a slide shows them (rustdoc's `# ` lines hidden).
fn shown_code(rule: &str, section: &str) -> Vec<String> {
    let doc = RULES.iter().find(|r| r.name == rule).unwrap().doc;
    let body = docs::section(doc, section).unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<(bool, String)> = None;
    for line in body.lines() {
        let t = line.trim();
        match (&mut current, t.strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.starts_with("rust"), String::new())),
            (Some(_), Some("")) => blocks.push(current.take().unwrap().1),
            (Some((rust, code)), _) => {
                if !(*rust && (t == "#" || t.starts_with("# "))) {
                    code.push_str(line);
                    code.push('\n');
                }
            }
            (None, None) => {}
        }
    }
    blocks
}

fn assert_not_blank(shot: &[u8], what: &str) {
    let (width, height, ink) = cdp::png_stats(shot);
    assert_eq!(
        (width, height),
        (cdp::WIDTH, cdp::HEIGHT),
        "{what}: screenshot size"
    );
    assert!(
        ink > 0.01,
        "{what}: only {:.2}% of the screenshot differs from the background",
        ink * 100.0
    );
    assert!(
        shot.len() > 8_000,
        "{what}: a {} byte PNG is too plain",
        shot.len()
    );
}

fn assert_offline_and_quiet(browser: &mut Browser, page: &str) {
    let problems = browser.problems();
    assert!(problems.is_empty(), "{page}: {problems:#?}");
    let remote: Vec<String> = browser
        .requests()
        .into_iter()
        .filter(|u| !u.starts_with("file://") && !u.starts_with("data:"))
        .collect();
    assert!(
        remote.is_empty(),
        "{page} fetched from the network: {remote:?}"
    );
}

#[test]
fn talk_deck_renders_every_slide_from_the_keyboard_and_says_what_the_docs_say() {
    if !cdp::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    monorepo::service_crate(&repo, "legacy", "0.0.1", monorepo::DRIFTING_MAIN);
    paved(dir.path(), &["talk", "all", "--from", "repo", "-o", "deck"]);
    let deck = dir.path().join("deck/talk-all.html");
    let mut browser = Browser::open(&url(&deck));
    assert_offline_and_quiet(&mut browser, "the deck");

    let total = browser
        .eval("document.querySelectorAll('.slide').length")
        .as_u64()
        .unwrap();
    // Title, where we stand, one slide per group, two or three per rule, the end.
    assert!(total as usize > 2 * RULES.len(), "{total} slides");
    let mut kinds = Vec::new();
    for n in 1..=total {
        let state = browser.eval(
            "(() => { const s = document.querySelectorAll('.slide.current'); \
             const r = s.length === 1 ? s[0].getBoundingClientRect() : null; \
             return { shown: s.length, slide: document.body.dataset.slide, hash: location.hash, \
             kind: s[0] && s[0].dataset.kind, rule: s[0] && s[0].dataset.rule, \
             height: r && r.height, text: s[0] ? s[0].innerText.trim().length : 0 }; })()",
        );
        assert_eq!(
            state["shown"], 1,
            "slide {n}: exactly one slide shown: {state}"
        );
        assert_eq!(state["slide"], n.to_string(), "slide {n}: {state}");
        assert_eq!(state["hash"], format!("#{n}"), "slide {n}: {state}");
        assert!(
            state["height"].as_f64().unwrap() > 300.0,
            "slide {n}: {state}"
        );
        assert!(
            state["text"].as_u64().unwrap() > 10,
            "slide {n} is empty: {state}"
        );
        kinds.push((
            state["kind"].as_str().unwrap().to_string(),
            state["rule"].clone(),
        ));
        browser.key(if n % 2 == 0 { " " } else { "ArrowRight" });
    }
    // Past the end it stays on the last slide; Home, End and ← move as they should.
    assert_eq!(
        browser.eval("document.body.dataset.slide"),
        total.to_string()
    );
    browser.key("Home");
    assert_eq!(browser.eval("document.body.dataset.slide"), "1");
    browser.key("End");
    browser.key("ArrowLeft");
    assert_eq!(
        browser.eval("document.body.dataset.slide"),
        (total - 1).to_string()
    );
    assert_eq!(kinds[0].0, "title");
    assert_eq!(kinds[1].0, "standing");
    assert_eq!(kinds.last().unwrap().0, "end");
    for rule in RULES {
        for kind in ["idiom", "code"] {
            assert!(
                kinds.iter().any(|(k, r)| k == kind && *r == rule.name),
                "no {kind} slide for {}",
                rule.name
            );
        }
    }

    check_slide_text(&mut browser);
    check_standing(&mut browser);
    check_notes_and_screenshots(&mut browser);
    check_print(&mut browser, total);
    assert_offline_and_quiet(&mut browser, "the deck after navigation");
}

/// Every rule's slides: its `## Why`, its example and house code, the finding paved
/// printed for the example, and a fix diff where the finding has a fix.
fn check_slide_text(browser: &mut Browser) {
    let slides = browser.eval(
        "Array.from(document.querySelectorAll('.idiom-slide')).map(s => { \
           const code = document.getElementById(s.id + '-code'); \
           const fix = document.getElementById(s.id + '-fix'); \
           return { rule: s.dataset.rule, why: s.querySelector('.why').innerText, \
             example: Array.from(code.querySelectorAll('pre.example')).map(p => p.innerText), \
             house: Array.from(code.querySelectorAll('pre.house-code')).map(p => p.innerText), \
             finding: code.querySelector('.drift pre.finding').innerText, \
             diff: fix ? fix.querySelector('pre.diff').innerText : null }; })",
    );
    let slides = slides.as_array().unwrap();
    assert_eq!(slides.len(), RULES.len());
    let mut with_fix = 0;
    for s in slides {
        let rule = s["rule"].as_str().unwrap();
        let meta = RULES.iter().find(|r| r.name == rule).unwrap();
        let why = docs::section(meta.doc, "Why").unwrap();
        assert_eq!(
            words(s["why"].as_str().unwrap()),
            words(&why),
            "{rule}: ## Why"
        );
        let text = |v: &Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().trim_end().to_string())
                .collect()
        };
        let trimmed = |blocks: Vec<String>| -> Vec<String> {
            blocks
                .into_iter()
                .map(|b| b.trim_end().to_string())
                .collect()
        };
        assert_eq!(
            text(&s["example"]),
            trimmed(shown_code(rule, "Example")),
            "{rule}: ## Example"
        );
        assert_eq!(
            text(&s["house"]),
            trimmed(shown_code(rule, "Use instead")),
            "{rule}: ## Use instead"
        );
        let finding = s["finding"].as_str().unwrap();
        assert!(
            finding.contains(&format!("[{rule}]")),
            "{rule}: the finding paved prints for the example: {finding}"
        );
        if let Some(diff) = s["diff"].as_str() {
            with_fix += 1;
            assert!(
                diff.lines()
                    .any(|l| l.starts_with('+') && !l.starts_with("+++")),
                "{rule}: the fix adds nothing: {diff}"
            );
        }
    }
    let fixable = ["print-logging"];
    for rule in fixable {
        assert!(
            slides
                .iter()
                .any(|s| s["rule"] == rule && !s["diff"].is_null()),
            "{rule} has a fix, so a fix slide"
        );
    }
    assert!(with_fix >= fixable.len());
}

/// "Where we stand" counts the real findings of `--from`.
fn check_standing(browser: &mut Browser) {
    let standing = browser.eval("document.getElementById('s-standing').innerText");
    let standing = standing.as_str().unwrap();
    for rule in [
        "print-logging",
        "hardcoded-address",
        "env-read-outside-config",
    ] {
        assert!(
            standing.contains(rule),
            "{rule} in where we stand: {standing}"
        );
    }
    assert!(
        standing.contains("services/legacy/src/main.rs:"),
        "{standing}"
    );
}

/// Speaker notes show on `n`; screenshots of a few slides are not blank.
fn check_notes_and_screenshots(browser: &mut Browser) {
    for (hash, what) in [
        ("1", "title slide"),
        ("2", "where we stand"),
        ("4", "first idiom slide"),
        ("5", "first code slide"),
        ("6", "first fix slide"),
    ] {
        browser.eval(&format!("location.hash = '#{hash}'"));
        browser.eval("new Promise(r => requestAnimationFrame(() => r(1)))");
        assert_eq!(browser.eval("document.body.dataset.slide"), hash, "{what}");
        let shot = browser.screenshot();
        assert_not_blank(&shot, what);
    }
    let idiom = browser.eval("document.querySelector('.idiom-slide').id");
    browser.eval(&format!(
        "location.hash = '#' + (Array.from(document.querySelectorAll('.slide')).findIndex(s => s.id === {idiom}) + 1)"
    ));
    let hidden = browser.eval("document.querySelector('.slide.current .notes').offsetHeight");
    assert_eq!(hidden, 0, "notes are hidden until asked for");
    browser.key("n");
    let notes = browser.eval(
        "(() => { const n = document.querySelector('.slide.current .notes'); return [n.offsetHeight, n.innerText]; })()",
    );
    assert!(
        notes[0].as_f64().unwrap() > 20.0,
        "notes shown on n: {notes}"
    );
    let current = browser.eval("document.querySelector('.slide.current').dataset.rule");
    let rule = RULES.iter().find(|r| current == r.name).unwrap();
    let what = docs::section(rule.doc, "What it does").unwrap();
    let first_words: String = words(&what)
        .split(' ')
        .take(6)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        words(notes[1].as_str().unwrap()).contains(&first_words),
        "notes say what the rule does: {notes}"
    );
    browser.key("n");
}

/// The print stylesheet puts every slide on its own page and leaves the notes out.
fn check_print(browser: &mut Browser, total: u64) {
    browser.call(
        "Emulation.setEmulatedMedia",
        serde_json::json!({"media": "print"}),
    );
    let shown = browser.eval(
        "Array.from(document.querySelectorAll('.slide')).filter(s => getComputedStyle(s).display !== 'none').length",
    );
    assert_eq!(shown.as_u64(), Some(total), "print shows every slide");
    let notes = browser.eval(
        "Array.from(document.querySelectorAll('.notes')).filter(n => getComputedStyle(n).display !== 'none').length",
    );
    assert_eq!(notes, 0, "print leaves the notes out");
    browser.call(
        "Emulation.setEmulatedMedia",
        serde_json::json!({"media": ""}),
    );
    let pdf = browser.pdf();
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    // Page objects are `/Type /Page` (the page tree is `/Type /Pages`).
    let pages = pdf
        .windows(12)
        .filter(|w| w.starts_with(b"/Type /Page") && w[11] != b's')
        .count();
    assert!(
        pages as u64 >= total,
        "{pages} PDF pages for {total} slides"
    );
}

#[test]
fn report_renders_links_to_findings_and_sorts() {
    if !cdp::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    monorepo::fleet(&repo);
    paved(dir.path(), &["report", "repo", "-o", "report.html"]);
    let mut browser = Browser::open(&url(&dir.path().join("report.html")));
    assert_offline_and_quiet(&mut browser, "the report");

    let rows = browser.eval(
        "Array.from(document.querySelectorAll('#fleet tbody tr')).map(r => r.dataset.service)",
    );
    assert_eq!(
        rows,
        serde_json::json!(["billing", "legacy", "notes", "search"]),
        "one row per service, by path; the library is not a row"
    );
    let groups = browser.eval("document.querySelectorAll('#fleet thead th.group').length");
    let cells =
        browser.eval("document.querySelectorAll('#fleet tbody tr:first-child td.cell').length");
    assert_eq!(groups, cells);
    let legacy = browser.eval(
        "(() => { const r = document.querySelector('tr[data-service=legacy]'); return { \
           owners: r.cells[1].innerText, template: r.cells[2].innerText, \
           red: Array.from(r.querySelectorAll('td.cell.red')).map(c => c.dataset.group) }; })()",
    );
    assert!(
        legacy["owners"].as_str().unwrap().contains("@legacy-team"),
        "{legacy}"
    );
    assert!(
        legacy["template"].as_str().unwrap().contains("outdated"),
        "{legacy}"
    );
    for group in ["logging", "config"] {
        assert!(
            legacy["red"]
                .as_array()
                .unwrap()
                .contains(&Value::from(group)),
            "{legacy}"
        );
    }
    let billing_owner =
        browser.eval("document.querySelector('tr[data-service=billing]').cells[1].innerText");
    assert_eq!(
        billing_owner.as_str().map(str::trim),
        Some("@billing"),
        "the service's own CODEOWNERS"
    );
    assert_not_blank(&browser.screenshot(), "the report");

    // A count links to its findings: clicking it scrolls them into view.
    browser.click_element("tr[data-service=legacy] td.cell.red[data-group=logging] a");
    browser.eval("new Promise(r => setTimeout(() => r(1), 100))");
    let landed = browser.eval(
        "(() => { const t = document.querySelector(':target'); if (!t) return null; \
           const r = t.getBoundingClientRect(); \
           return { id: t.id, text: t.innerText, visible: r.top >= 0 && r.top < innerHeight }; })()",
    );
    assert!(landed.is_object(), "the link targets nothing");
    assert_eq!(landed["visible"], true, "{landed}");
    assert!(
        landed["text"].as_str().unwrap().contains("[print-logging]"),
        "{landed}"
    );
    assert!(
        landed["text"]
            .as_str()
            .unwrap()
            .contains("services/legacy/src/main.rs:3"),
        "{landed}"
    );

    // Sorting by the total: fewest first, then most first.
    let order = |browser: &mut Browser| {
        browser.eval(
            "Array.from(document.querySelectorAll('#fleet tbody tr')).map(r => r.dataset.service)",
        )
    };
    browser.eval("scrollTo(0, 0)");
    let total = "#fleet thead th:nth-last-child(1) button";
    browser.click_element(total);
    let ascending = order(&mut browser);
    assert_eq!(ascending[3], "legacy", "{ascending}");
    browser.click_element(total);
    let descending = order(&mut browser);
    assert_eq!(descending[0], "legacy", "{descending}");
    browser.click_element("#fleet thead th:first-child button");
    assert_eq!(order(&mut browser), rows, "by name again");
    assert_offline_and_quiet(&mut browser, "the report after clicks");
}
