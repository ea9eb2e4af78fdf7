//! `paved talk`: a slide deck about the house idioms, built from the rules' documentation.
//!
//! Per idiom: why it matters (the rule's `## Why`), the drifting code and the house code
//! side by side (`## Example`, `## Use instead`), the finding paved prints for the example
//! and what `--fix` does to it — both produced by linting the example while the deck is
//! built ([`crate::example`]). With real findings ([`standing`]), a "where we stand" slide.
//! One HTML file: styles and script inline, nothing fetched.

mod standing;

pub use standing::{Location, RuleCount, Standing, standing};

use crate::example::{self, RuleRun};
use crate::{Error, markdown};
use paved_lints::docs;
use paved_lints::registry::RULES;
use paved_lints::rule::{Group, RuleMeta};
use rayon::prelude::*;
use serde::Serialize;

const TEMPLATE: &str = include_str!("../../templates/talk.html");
const SLIDE_IDIOM: &str = include_str!("../../templates/talk_idiom.html");
const STYLE: &str = include_str!("../../templates/talk.css");
const SCRIPT: &str = include_str!("../../templates/talk.js");

/// Which rules a deck covers: `all`, a group or one rule.
#[derive(Debug, Clone, Copy)]
pub enum Selection {
    All,
    Group(Group),
    Rule(&'static RuleMeta),
}

impl PartialEq for Selection {
    fn eq(&self, other: &Selection) -> bool {
        self.label() == other.label()
    }
}

impl Selection {
    /// `all`, a group name or a rule name (any case).
    pub fn parse(name: &str) -> Option<Selection> {
        let name = name.to_ascii_lowercase();
        if name == "all" {
            return Some(Selection::All);
        }
        if let Some(rule) = paved_lints::registry::get(&name) {
            return Some(Selection::Rule(rule));
        }
        Group::parse(&name).map(Selection::Group)
    }

    pub fn rules(&self) -> Vec<&'static RuleMeta> {
        RULES
            .iter()
            .filter(|r| match self {
                Selection::All => true,
                Selection::Group(g) => r.group == *g,
                Selection::Rule(rule) => r.name == rule.name,
            })
            .collect()
    }

    /// `all`, the group or the rule name: what the command line said.
    pub fn label(&self) -> &'static str {
        match self {
            Selection::All => "all",
            Selection::Group(g) => g.as_str(),
            Selection::Rule(r) => r.name,
        }
    }
}

/// A diff line and how to colour it.
#[derive(Debug, Serialize)]
struct DiffLine {
    kind: &'static str,
    text: String,
}

#[derive(Debug, Serialize)]
struct Idiom {
    name: &'static str,
    group: &'static str,
    level: &'static str,
    scope: &'static str,
    roles: String,
    summary_html: String,
    why_html: String,
    what_html: String,
    config_html: Option<String>,
    run: RuleRun,
    diff: Vec<DiffLine>,
    /// The fix's description, which names code in backticks.
    fix_message_html: String,
    real: Option<RuleCount>,
}

/// A line of a group's title slide.
#[derive(Debug, Serialize)]
struct RuleBrief {
    name: &'static str,
    summary_html: String,
}

#[derive(Debug, Serialize)]
struct Section {
    group: &'static str,
    rules: Vec<RuleBrief>,
    idioms: Vec<Idiom>,
}

#[derive(Debug, Serialize)]
struct Deck<'a> {
    title: String,
    selection: &'static str,
    paved_version: &'static str,
    idioms: usize,
    /// Group title slides only when the deck spans several groups.
    group_slides: bool,
    sections: Vec<Section>,
    standing: Option<&'a Standing>,
    style: &'static str,
    script: &'static str,
}

/// The idioms of a selection with their examples linted and fixed: the slow part of a
/// deck, and independent of any repository's findings, so it can run while `--from` is
/// linted.
#[derive(Debug)]
pub struct Prepared {
    selection: Selection,
    idioms: Vec<Idiom>,
}

pub fn prepare(selection: Selection) -> Result<Prepared, Error> {
    let idioms = selection
        .rules()
        .par_iter()
        .map(|rule| idiom(rule))
        .collect::<Result<_, _>>()?;
    Ok(Prepared { selection, idioms })
}

/// The deck as one HTML document; `standing` adds "where we stand".
pub fn render(prepared: Prepared, standing: Option<&Standing>) -> Result<String, Error> {
    let Prepared { selection, idioms } = prepared;
    let count = idioms.len();
    let mut sections: Vec<Section> = Vec::new();
    for mut idiom in idioms {
        idiom.real = standing.map(|s| s.count_of(idiom.name));
        match sections.last_mut() {
            Some(s) if s.group == idiom.group => s.idioms.push(idiom),
            _ => sections.push(Section {
                group: idiom.group,
                rules: Vec::new(),
                idioms: vec![idiom],
            }),
        }
    }
    for s in &mut sections {
        s.rules = s
            .idioms
            .iter()
            .map(|i| RuleBrief {
                name: i.name,
                summary_html: i.summary_html.clone(),
            })
            .collect();
    }
    let title = match selection {
        Selection::All => "The house way".to_string(),
        Selection::Group(g) => format!("The house way: {g}"),
        Selection::Rule(r) => format!("The house way: {}", r.name),
    };
    let deck = Deck {
        title,
        selection: selection.label(),
        paved_version: env!("CARGO_PKG_VERSION"),
        idioms: count,
        group_slides: sections.len() > 1,
        sections,
        standing,
        style: STYLE,
        script: SCRIPT,
    };
    let tera = crate::tera(
        &[("talk.html", TEMPLATE), ("talk_idiom.html", SLIDE_IDIOM)],
        "the talk",
    )?;
    let context =
        tera::Context::from_serialize(&deck).map_err(|e| crate::render_error("the talk", &e))?;
    tera.render("talk.html", &context)
        .map_err(|e| crate::render_error("the talk", &e))
}

fn idiom(rule: &'static RuleMeta) -> Result<Idiom, Error> {
    let section = |name: &str| docs::section(rule.doc, name);
    let why = section("Why").ok_or_else(|| Error::Docs {
        rule: rule.name,
        problem: "has no `## Why` section".into(),
    })?;
    let run = example::run(rule)?;
    let diff = run
        .fix
        .as_ref()
        .map_or_else(Vec::new, |f| diff_lines(&f.diff));
    let fix_message_html = run
        .fix
        .as_ref()
        .map_or_else(String::new, |f| inline_html(&f.message));
    Ok(Idiom {
        name: rule.name,
        group: rule.group.as_str(),
        level: rule.default_level.as_str(),
        scope: rule.scope.as_str(),
        roles: rule.roles.list(),
        summary_html: inline_html(rule.summary),
        why_html: markdown::to_html(&why),
        what_html: markdown::to_html(&section("What it does").unwrap_or_default()),
        config_html: section("Configuration").map(|c| markdown::to_html(&c)),
        run,
        diff,
        fix_message_html,
        real: None,
    })
}

/// A one-line markdown text without its paragraph.
fn inline_html(text: &str) -> String {
    let html = markdown::to_html(text);
    html.trim()
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .map_or(html.clone(), str::to_string)
}

fn diff_lines(diff: &str) -> Vec<DiffLine> {
    diff.lines()
        .map(|l| DiffLine {
            kind: if l.starts_with("+++") || l.starts_with("---") {
                "meta"
            } else if l.starts_with("@@") {
                "hunk"
            } else if l.starts_with('+') {
                "add"
            } else if l.starts_with('-') {
                "del"
            } else {
                "ctx"
            },
            text: l.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selections() {
        assert_eq!(Selection::parse("ALL"), Some(Selection::All));
        assert_eq!(
            Selection::parse("logging"),
            Some(Selection::Group(Group::Logging))
        );
        assert_eq!(
            Selection::parse("print-logging").map(|s| s.label()),
            Some("print-logging")
        );
        assert_eq!(Selection::parse("nope"), None);
        assert!(
            Selection::Group(Group::Logging)
                .rules()
                .iter()
                .all(|r| r.group == Group::Logging)
        );
    }

    #[test]
    fn summary_keeps_code_and_loses_the_paragraph() {
        assert_eq!(inline_html("`a` b"), "<code>a</code> b");
    }
}
