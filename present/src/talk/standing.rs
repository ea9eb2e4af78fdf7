//! "Where we stand": the findings of a real repository, per rule, with a few locations.

use paved_lints::Report;
use paved_lints::baseline::RepoPaths;
use paved_lints::rule::RuleMeta;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Locations shown per rule: enough to make it real, few enough for a slide.
const LOCATIONS_PER_RULE: usize = 3;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Location {
    pub path: String,
    pub line: u32,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RuleCount {
    pub rule: &'static str,
    pub group: &'static str,
    pub count: usize,
    /// Share of the most frequent rule's count, 0..=100, for the bar on the slide.
    pub bar: usize,
    pub locations: Vec<Location>,
}

/// The findings of the deck's rules in one lint run.
#[derive(Debug, Clone, Serialize)]
pub struct Standing {
    /// The linted path as the user gave it.
    pub source: String,
    pub crates: usize,
    pub files: usize,
    pub total: usize,
    /// Rules with findings, most first.
    pub rules: Vec<RuleCount>,
    /// Rules of the deck without a finding.
    pub clean: Vec<&'static str>,
}

impl Standing {
    /// The count of one rule (zero when it has none).
    pub fn count_of(&self, rule: &'static str) -> RuleCount {
        self.rules
            .iter()
            .find(|c| c.rule == rule)
            .cloned()
            .unwrap_or(RuleCount {
                rule,
                group: "",
                count: 0,
                bar: 0,
                locations: Vec::new(),
            })
    }
}

/// Counts the active findings of `rules` in `report`, a run over `root` (paths are shown
/// relative to it).
pub fn standing(report: &Report, root: &Path, rules: &[&'static RuleMeta]) -> Standing {
    let cwd = std::env::current_dir().unwrap_or_default();
    let repo = RepoPaths::new(&std::path::absolute(root).unwrap_or_default(), &cwd);
    let mut by_rule: BTreeMap<&str, RuleCount> = BTreeMap::new();
    for d in report.active() {
        let Some(rule) = rules.iter().find(|r| r.name == d.rule) else {
            continue;
        };
        let count = by_rule.entry(rule.name).or_insert_with(|| RuleCount {
            rule: rule.name,
            group: rule.group.as_str(),
            count: 0,
            bar: 0,
            locations: Vec::new(),
        });
        count.count += 1;
        if count.locations.len() < LOCATIONS_PER_RULE {
            count.locations.push(Location {
                path: repo.display(&d.path),
                line: d.start.line,
                message: d.message.clone(),
            });
        }
    }
    let mut counts: Vec<RuleCount> = by_rule.into_values().collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
    let most = counts.first().map_or(1, |c| c.count.max(1));
    for c in &mut counts {
        c.bar = c.count * 100 / most;
    }
    Standing {
        source: root.display().to_string(),
        crates: report.crates,
        files: report.files,
        total: counts.iter().map(|c| c.count).sum(),
        clean: rules
            .iter()
            .map(|r| r.name)
            .filter(|n| !counts.iter().any(|c| c.rule == *n))
            .collect(),
        rules: counts,
    }
}
