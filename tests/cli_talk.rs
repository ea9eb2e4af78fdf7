//! `paved talk`: which rules a deck covers, where it goes, bad topics.

use assert_cmd::Command;
use paved_lints::registry::RULES;
use paved_lints::rule::Group;

fn talk(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("paved")
        .unwrap()
        .arg("talk")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_group_deck_has_the_slides_of_its_rules_only() {
    let out = talk(&["logging", "-o", "-"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8(out.stdout).unwrap();
    for rule in RULES {
        let slide = format!("data-kind=\"idiom\" data-rule=\"{}\"", rule.name);
        assert_eq!(
            html.contains(&slide),
            rule.group == Group::Logging,
            "{}",
            rule.name
        );
    }
    assert!(
        !html.contains("<script src") && !html.contains("<link"),
        "nothing fetched"
    );
}

#[test]
fn the_deck_is_written_into_the_folder_as_talk_topic_html() {
    let dir = tempfile::tempdir().unwrap();
    let out = talk(&[
        "PRINT-LOGGING",
        "-o",
        dir.path().join("slides").to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(dir.path().join("slides/talk-print-logging.html")).unwrap();
    assert!(
        html.contains("s-print-logging-fix"),
        "print-logging has a fix slide"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("talk-print-logging.html"));
}

#[test]
fn an_unknown_topic_names_the_closest_one() {
    let out = talk(&["print-loging"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unknown rule or group `print-loging`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `print-logging`"), "{stderr}");
}

#[test]
fn from_a_missing_path_fails_with_a_hint() {
    let out = talk(&["logging", "--from", "no/such/repo", "-o", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--from"));
}
