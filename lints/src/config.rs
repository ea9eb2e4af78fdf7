//! `paved.toml`: rule levels, per-path overrides and the house choices (docs/idioms.md "Configuration").

use crate::diagnostic::Level;
use crate::line_index::LineIndex;
use crate::registry::{self, RuleId};
use crate::role::Role;
use crate::rule::Group;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const FILE_NAME: &str = "paved.toml";

const ROLE_NAMES: &str = "a role is one of service, worker, cli, library, client, bench, example, test-support, build, vendored";

/// The house choices that rules check against (`[house]`).
#[derive(Clone, Debug, Deserialize, PartialEq, Hash)]
#[serde(default, deny_unknown_fields)]
pub struct House {
    pub web_framework: String,
    pub envelope_types: Vec<String>,
    pub json_extractor: String,
    pub health_path: String,
    pub metrics_path: String,
    pub config_modules: Vec<String>,
    pub backup_trait: String,
}

impl Default for House {
    fn default() -> Self {
        House {
            web_framework: "axum".into(),
            envelope_types: vec!["Envelope".into(), "ApiResult".into(), "ApiResponse".into()],
            json_extractor: "ApiJson".into(),
            health_path: "/ping".into(),
            metrics_path: "/metrics".into(),
            config_modules: vec!["config".into(), "settings".into()],
            backup_trait: "BackupHook".into(),
        }
    }
}

/// A rule or a whole group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Selector {
    Rule(RuleId),
    Group(Group),
}

impl Selector {
    /// A rule name or a group name; `None` when it is neither.
    pub fn parse(name: &str) -> Option<Selector> {
        RuleId::from_name(name)
            .map(Selector::Rule)
            .or_else(|| Group::parse(name).map(Selector::Group))
    }

    pub fn matches(self, rule: RuleId) -> bool {
        match self {
            Selector::Rule(id) => id == rule,
            Selector::Group(g) => rule.meta().group == g,
        }
    }

    fn specificity(self) -> u8 {
        match self {
            Selector::Group(_) => 0,
            Selector::Rule(_) => 1,
        }
    }
}

/// The closest rule or group name to a misspelt one, for "did you mean".
pub fn closest_name(name: &str) -> Option<&'static str> {
    registry::RULES
        .iter()
        .map(|r| r.name)
        .chain(Group::ALL.iter().map(|g| g.as_str()))
        .map(|n| (strsim::jaro_winkler(name, n), n))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}

#[derive(Clone, Debug)]
pub struct LevelSetting {
    pub selector: Selector,
    pub level: Level,
}

/// Applies settings in order of specificity: groups first, then single rules.
pub fn apply(levels: &mut [Level], settings: &[LevelSetting]) {
    for pass in 0..2 {
        for s in settings.iter().filter(|s| s.selector.specificity() == pass) {
            for (id, level) in RuleId::ALL.iter().zip(levels.iter_mut()) {
                if s.selector.matches(*id) {
                    *level = s.level;
                }
            }
        }
    }
}

#[derive(Debug)]
pub struct Override {
    globs: GlobSet,
    lints: Vec<LevelSetting>,
}

/// `[roles]`: crate folders (globs relative to the file) and the role stated for them.
#[derive(Debug)]
pub struct StatedRole {
    pattern: String,
    glob: globset::GlobMatcher,
    pub role: Role,
}

/// One `paved.toml` (or the defaults when there is none).
#[derive(Debug, Default)]
pub struct Config {
    /// The file it was read from.
    pub path: Option<PathBuf>,
    pub lints: Vec<LevelSetting>,
    pub overrides: Vec<Override>,
    pub roles: Vec<StatedRole>,
    pub house: House,
}

/// A `paved.toml` that cannot be used: the run stops with exit code 2.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub help: Option<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    lints: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    roles: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    house: Option<House>,
    /// Provenance written by `paved new`; read by other tooling, not by the linter.
    #[serde(default)]
    #[allow(dead_code)]
    template: Option<toml::Table>,
    /// Where `paved new` wrote the house kit (`[kit] path`); `kit-modified` finds the kit
    /// by its checksums file instead.
    #[serde(default)]
    #[allow(dead_code)]
    kit: Option<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    paths: Spanned<Vec<String>>,
    #[serde(default)]
    lints: BTreeMap<Spanned<String>, Spanned<String>>,
}

impl Config {
    /// Parses the text of `path`. Errors carry the file, line and column of the problem.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let index = LineIndex::new(text);
        let error_at = |offset: usize, message: String, help: Option<String>| {
            let pos = index.position(offset);
            ConfigError {
                path: path.to_path_buf(),
                line: pos.line,
                column: pos.column,
                message,
                help,
            }
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            error_at(offset, e.message().trim_end().to_string(), None)
        })?;
        let parse_lints = |map: &BTreeMap<Spanned<String>, Spanned<String>>| {
            let mut out = Vec::new();
            for (name, level) in map {
                let selector = Selector::parse(name.get_ref()).ok_or_else(|| {
                    error_at(
                        name.span().start,
                        format!("unknown rule or group `{}` in [lints]", name.get_ref()),
                        closest_name(name.get_ref())
                            .map(|n| format!("did you mean `{n}`? `paved rules` lists them all")),
                    )
                })?;
                let lvl = Level::parse(level.get_ref()).ok_or_else(|| {
                    error_at(
                        level.span().start,
                        format!(
                            "unknown level `{}` for `{}`",
                            level.get_ref(),
                            name.get_ref()
                        ),
                        Some("a level is \"allow\", \"warn\" or \"deny\"".into()),
                    )
                })?;
                out.push(LevelSetting {
                    selector,
                    level: lvl,
                });
            }
            Ok(out)
        };
        let lints = parse_lints(&raw.lints)?;
        let mut overrides = Vec::new();
        for o in &raw.overrides {
            let mut builder = GlobSetBuilder::new();
            for pattern in o.paths.get_ref() {
                // Globs are relative to this file already; `./src` means `src`.
                let pattern = pattern.strip_prefix("./").unwrap_or(pattern);
                let glob = Glob::new(pattern).map_err(|e| {
                    error_at(
                        o.paths.span().start,
                        format!("bad glob `{pattern}` in [[overrides]]: {e}"),
                        None,
                    )
                })?;
                builder.add(glob);
            }
            let globs = builder.build().map_err(|e| {
                error_at(
                    o.paths.span().start,
                    format!("bad globs in [[overrides]]: {e}"),
                    None,
                )
            })?;
            overrides.push(Override {
                globs,
                lints: parse_lints(&o.lints)?,
            });
        }
        let mut roles = Vec::new();
        for (pattern, role) in &raw.roles {
            let parsed = Role::parse(role.get_ref()).ok_or_else(|| {
                error_at(
                    role.span().start,
                    format!(
                        "unknown role `{}` for `{}` in [roles]",
                        role.get_ref(),
                        pattern.get_ref()
                    ),
                    Some(match Role::closest(role.get_ref()) {
                        Some(r) => format!("did you mean `{r}`? {ROLE_NAMES}"),
                        None => ROLE_NAMES.to_string(),
                    }),
                )
            })?;
            let text = pattern.get_ref().trim_end_matches('/');
            let text = text.strip_prefix("./").unwrap_or(text);
            let glob = Glob::new(text).map_err(|e| {
                error_at(
                    pattern.span().start,
                    format!("bad glob `{text}` in [roles]: {e}"),
                    None,
                )
            })?;
            roles.push(StatedRole {
                pattern: text.to_string(),
                glob: glob.compile_matcher(),
                role: parsed,
            });
        }
        Ok(Config {
            path: Some(path.to_path_buf()),
            lints,
            overrides,
            roles,
            house: raw.house.unwrap_or_default(),
        })
    }

    /// The role `[roles]` states for the crate in `root`, and the glob that said so. The
    /// most specific pattern wins: an exact folder before a glob, a longer glob before a
    /// shorter one.
    pub fn stated_role(&self, root: &Path) -> Option<(&StatedRole, String)> {
        if self.roles.is_empty() {
            return None;
        }
        let dir = self.path.as_deref().and_then(Path::parent)?;
        let abs = std::path::absolute(root).ok()?;
        let rel = crate::paths::clean(abs.strip_prefix(std::path::absolute(dir).ok()?).ok()?);
        self.roles
            .iter()
            .filter(|r| r.glob.is_match(&rel) || (r.pattern == "." && rel == Path::new(".")))
            .max_by_key(|r| (!r.pattern.contains('*'), r.pattern.len()))
            .map(|r| {
                (
                    r,
                    format!(
                        "`\"{}\" = \"{}\"` in {}",
                        r.pattern,
                        r.role,
                        self.path
                            .as_deref()
                            .unwrap_or(Path::new("paved.toml"))
                            .display()
                    ),
                )
            })
    }

    /// Levels of every rule (registry order) for a file, before command-line overrides.
    /// `file` is the file's path; overrides match it relative to this config's folder.
    pub fn levels_for(&self, file: Option<&Path>) -> Vec<Level> {
        let mut levels: Vec<Level> = registry::RULES.iter().map(|r| r.default_level).collect();
        apply(&mut levels, &self.lints);
        if let (Some(file), Some(dir)) = (file, self.path.as_deref().and_then(Path::parent)) {
            let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
            let rel = abs.strip_prefix(dir).unwrap_or(&abs);
            for o in &self.overrides {
                if o.globs.is_match(rel) {
                    apply(&mut levels, &o.lints);
                }
            }
        }
        levels
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_rule_names_the_line_and_the_closest_rule() {
        let err = Config::parse(
            Path::new("paved.toml"),
            "[lints]\nprint-loging = \"warn\"\n",
        )
        .unwrap_err();
        assert_eq!((err.line, err.column), (2, 1));
        assert!(err.message.contains("print-loging"), "{err}");
        assert_eq!(
            err.help.as_deref(),
            Some("did you mean `print-logging`? `paved rules` lists them all")
        );
    }

    #[test]
    fn groups_apply_before_rules_and_overrides_match_relative_paths() {
        let text = "[lints]\nprint-logging = \"warn\"\nlogging = \"allow\"\n\n[[overrides]]\npaths = [\"tools/**\"]\nlints = { print-logging = \"allow\" }\n";
        let config = Config::parse(Path::new("/repo/paved.toml"), text).unwrap();
        let print = RuleId::PrintLogging;
        assert_eq!(
            config.levels_for(Some(Path::new("/repo/src/main.rs")))[print],
            Level::Warn
        );
        assert_eq!(
            config.levels_for(Some(Path::new("/repo/tools/x.rs")))[print],
            Level::Allow
        );
    }

    #[test]
    fn override_globs_may_start_with_dot_slash() {
        let text =
            "[[overrides]]\npaths = [\"./src/main.rs\"]\nlints = { print-logging = \"allow\" }\n";
        let config = Config::parse(Path::new("/repo/paved.toml"), text).unwrap();
        let print = RuleId::PrintLogging;
        assert_eq!(
            config.levels_for(Some(Path::new("/repo/src/main.rs")))[print],
            Level::Allow
        );
    }

    #[test]
    fn roles_match_crate_folders_relative_to_the_file() {
        let text = "[roles]\n\"tools/**\" = \"cli\"\n\"tools/sdk\" = \"client\"\n";
        let config = Config::parse(Path::new("/repo/paved.toml"), text).unwrap();
        let role = |dir: &str| config.stated_role(Path::new(dir)).map(|(r, _)| r.role);
        assert_eq!(role("/repo/tools/admin"), Some(Role::Cli));
        assert_eq!(role("/repo/tools/sdk"), Some(Role::Client));
        assert_eq!(role("/repo/services/api"), None);
    }

    #[test]
    fn an_unknown_role_names_the_closest() {
        let err = Config::parse(Path::new("p.toml"), "[roles]\n\"x\" = \"libary\"\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(
            err.help
                .as_deref()
                .unwrap()
                .contains("did you mean `library`?"),
            "{err}"
        );
    }

    #[test]
    fn bad_level_and_unknown_section_are_errors() {
        let err = Config::parse(Path::new("p.toml"), "[lints]\nlogging = \"loud\"\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("loud"));
        let err = Config::parse(Path::new("p.toml"), "[lint]\n").unwrap_err();
        assert!(err.message.contains("lint"), "{err}");
    }
}
