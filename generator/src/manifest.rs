//! `template.toml`: what a template declares about itself, its variables and the files
//! that only exist under some answers.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use crate::error::{Error, Result};

/// Variables the generator always provides; a manifest may not declare them.
pub const BUILTIN_VARIABLES: &[&str] = &["name", "crate_name", "paved_version"];

/// Words that mean something in a Tera expression, so a variable of that name could not
/// be referenced.
const EXPRESSION_WORDS: &[&str] = &["and", "or", "not", "in", "is", "true", "false", "loop"];

/// The parsed and validated `template.toml`.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// `[template] name`, recorded in the service's `paved.toml`.
    pub name: String,
    /// `[template] version`, recorded in the service's `paved.toml`.
    pub version: String,
    /// `[template] description`.
    pub description: Option<String>,
    /// `[[variables]]`, in the order they are prompted.
    pub variables: Vec<Variable>,
    /// `[conditional]`: output-path glob -> Tera boolean expression.
    pub conditionals: Vec<Conditional>,
    /// `[files]`: output-path glob -> what `paved upgrade` does with matching files.
    pub policies: Vec<(String, Policy)>,
}

/// What `paved upgrade` does with a generated file (`[files]` in `template.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    /// paved owns it: an upgrade overwrites it, `paved check` reports local edits.
    Managed,
    /// Written once, then the service's: never touched again.
    Seeded,
    /// Three-way merged: the template's changes applied, the service's kept (default).
    Merged,
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Policy::Managed => "managed",
            Policy::Seeded => "seeded",
            Policy::Merged => "merged",
        })
    }
}

/// One `[[variables]]` entry.
#[derive(Debug, Clone)]
pub struct Variable {
    /// Name used in templates, `[A-Za-z_][A-Za-z0-9_]*`.
    pub name: String,
    /// Type of the answer.
    pub kind: VarType,
    /// Question shown when prompting.
    pub prompt: String,
    /// Answer taken with `--yes` or an empty reply; `None` means an answer is required.
    pub default: Option<Value>,
    /// The only allowed answers, when not empty.
    pub choices: Vec<Value>,
    /// Pattern a string answer must match.
    pub regex: Option<String>,
    compiled_regex: Option<regex_lite::Regex>,
    /// Smallest allowed integer.
    pub min: Option<i64>,
    /// Largest allowed integer.
    pub max: Option<i64>,
    /// Names this variable had in earlier versions of the template: `paved upgrade`
    /// carries a recorded answer under one of them over.
    pub renamed_from: Vec<String>,
}

/// One `[conditional]` entry.
#[derive(Debug, Clone)]
pub struct Conditional {
    /// Glob over output paths; may contain `{{ name }}`-style placeholders.
    pub pattern: String,
    /// Tera expression; files matching `pattern` are only generated when it is true.
    pub condition: String,
}

/// The type of a variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VarType {
    /// Any text.
    String,
    /// A 64-bit signed integer.
    Integer,
    /// `true` or `false`.
    Bool,
}

/// A typed answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Answer to a `string` variable.
    String(String),
    /// Answer to an `integer` variable.
    Integer(i64),
    /// Answer to a `bool` variable.
    Bool(bool),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => f.write_str(s),
            Value::Integer(i) => write!(f, "{i}"),
            Value::Bool(b) => write!(f, "{b}"),
        }
    }
}

impl fmt::Display for VarType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            VarType::String => "string",
            VarType::Integer => "integer",
            VarType::Bool => "bool",
        })
    }
}

impl Variable {
    /// Parses and validates an answer given as text (a flag, `--define` or a prompt reply).
    pub fn parse_answer(&self, input: &str) -> Result<Value> {
        self.parse_text(input)
            .and_then(|value| self.check(&value).map(|()| value))
            .map_err(|reason| Error::InvalidValue {
                variable: self.name.clone(),
                // A newline or tab in the message would garble it; show it escaped.
                value: if input.contains(char::is_control) {
                    input.escape_debug().to_string()
                } else {
                    input.to_owned()
                },
                reason,
            })
    }

    fn parse_text(&self, input: &str) -> Result<Value, String> {
        match self.kind {
            VarType::String => Ok(Value::String(input.to_owned())),
            VarType::Integer => input
                .trim()
                .parse()
                .map(Value::Integer)
                .map_err(|_| "must be an integer".to_owned()),
            VarType::Bool => match input.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "y" | "1" => Ok(Value::Bool(true)),
                "false" | "no" | "n" | "0" => Ok(Value::Bool(false)),
                _ => Err("must be true or false".to_owned()),
            },
        }
    }

    /// Checks a typed value against choices, regex and bounds.
    fn check(&self, value: &Value) -> Result<(), String> {
        if let Value::String(s) = value {
            check_plain_text(s)?;
        }
        if !self.choices.is_empty() && !self.choices.contains(value) {
            return Err(format!("must be one of: {}", join(&self.choices)));
        }
        if let (Some(re), Value::String(s)) = (&self.compiled_regex, value)
            && !re.is_match(s)
        {
            let pattern = self.regex.as_deref().unwrap_or_default();
            return Err(format!("must match the pattern `{pattern}`"));
        }
        if let Value::Integer(i) = value {
            let too_low = self.min.is_some_and(|min| *i < min);
            let too_high = self.max.is_some_and(|max| *i > max);
            if too_low || too_high {
                return Err(match (self.min, self.max) {
                    (Some(min), Some(max)) => format!("must be between {min} and {max}"),
                    (Some(min), None) => format!("must be at least {min}"),
                    (None, Some(max)) => format!("must be at most {max}"),
                    (None, None) => unreachable!("a bound was exceeded"),
                });
            }
        }
        Ok(())
    }
}

/// String answers end up inside TOML strings, Rust comments and systemd units, none of
/// which survives a line break or an unescaped quote: refuse control characters, `"` and
/// `\` in every string answer, whatever the template.
fn check_plain_text(text: &str) -> Result<(), String> {
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        let what = match c {
            '\n' => "a newline".to_owned(),
            '\r' => "a carriage return".to_owned(),
            '\t' => "a tab".to_owned(),
            other => format!("the control character U+{:04X}", u32::from(other)),
        };
        return Err(format!(
            "contains {what}; string answers must be a single line without control characters"
        ));
    }
    if let Some(c) = text.chars().find(|c| matches!(c, '"' | '\\')) {
        return Err(format!(
            "contains `{c}`; string answers may not contain `\"` or `\\` (they would break the generated TOML and Rust strings)"
        ));
    }
    Ok(())
}

fn join(values: &[Value]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    template: RawInfo,
    #[serde(default)]
    variables: Vec<toml::Spanned<RawVariable>>,
    #[serde(default)]
    conditional: BTreeMap<String, String>,
    #[serde(default)]
    files: BTreeMap<String, Policy>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInfo {
    name: String,
    version: String,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariable {
    name: String,
    #[serde(rename = "type")]
    kind: VarType,
    prompt: Option<String>,
    default: Option<toml::Value>,
    #[serde(default)]
    choices: Vec<toml::Value>,
    regex: Option<String>,
    min: Option<i64>,
    max: Option<i64>,
    #[serde(default)]
    renamed_from: Vec<String>,
}

impl Manifest {
    /// Parses `template.toml`; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Manifest> {
        let raw: RawManifest = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|span| line_of(text, span.start));
            let location = line.map(|l| format!("line {l}: ")).unwrap_or_default();
            Error::manifest(file, format!("{location}{}", e.message().trim_end()))
        })?;

        let info = raw.template;
        if info.name.trim().is_empty() {
            return Err(Error::manifest(file, "`[template] name` is empty"));
        }
        if info.version.trim().is_empty() {
            return Err(Error::manifest(file, "`[template] version` is empty"));
        }

        let mut variables: Vec<Variable> = Vec::with_capacity(raw.variables.len());
        for spanned in raw.variables {
            let line = line_of(text, spanned.span().start);
            let variable = convert_variable(spanned.into_inner())
                .map_err(|message| Error::manifest(file, format!("line {line}: {message}")))?;
            if variables.iter().any(|v| v.name == variable.name) {
                return Err(Error::manifest(
                    file,
                    format!(
                        "line {line}: variable `{}` is declared twice",
                        variable.name
                    ),
                ));
            }
            variables.push(variable);
        }

        let conditionals = raw
            .conditional
            .into_iter()
            .map(|(pattern, condition)| Conditional { pattern, condition })
            .collect();

        for pattern in raw.files.keys() {
            glob::Pattern::new(pattern).map_err(|e| {
                Error::manifest(
                    file,
                    format!("[files] \"{pattern}\": not a valid glob: {e}"),
                )
            })?;
        }

        Ok(Manifest {
            name: info.name,
            version: info.version,
            description: info.description,
            variables,
            conditionals,
            policies: raw.files.into_iter().collect(),
        })
    }

    /// The policy of the output file at `path` of a service called `name`: the last
    /// `[files]` glob that matches it (`{{name}}` in a glob is the service name), else
    /// [`Policy::Merged`].
    pub fn policy(&self, name: &str, path: &str) -> Policy {
        let options = glob::MatchOptions {
            case_sensitive: true,
            require_literal_separator: true,
            require_literal_leading_dot: false,
        };
        let mut found = Policy::Merged;
        for (pattern, policy) in &self.policies {
            let pattern = pattern
                .replace("{{ name }}", name)
                .replace("{{name}}", name)
                .replace("{{ crate_name }}", &name.replace('-', "_"))
                .replace("{{crate_name}}", &name.replace('-', "_"));
            let Ok(pattern) = glob::Pattern::new(&pattern) else {
                continue;
            };
            let mut candidate = path;
            loop {
                if pattern.matches_with(candidate, options) {
                    found = *policy;
                    break;
                }
                match candidate.rfind('/') {
                    Some(i) => candidate = &candidate[..i],
                    None => break,
                }
            }
        }
        found
    }

    /// The variable called `name`, if declared.
    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.name == name)
    }
}

fn convert_variable(raw: RawVariable) -> Result<Variable, String> {
    let name = raw.name;
    let valid_start = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !valid_start || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!(
            "variable name `{name}` must be letters, digits and `_` (no `-`), starting with a letter or `_`"
        ));
    }
    if BUILTIN_VARIABLES.contains(&name.as_str()) {
        return Err(format!(
            "variable `{name}` is built in; the generator always provides {}",
            BUILTIN_VARIABLES.join(", ")
        ));
    }
    if EXPRESSION_WORDS.contains(&name.as_str()) || name.starts_with("__tera") {
        return Err(format!(
            "variable name `{name}` is a Tera keyword and could not be referenced"
        ));
    }
    let kind = raw.kind;
    let context = |what: &str| format!("variable `{name}`: {what}");

    if raw.regex.is_some() && kind != VarType::String {
        return Err(context("`regex` only applies to string variables"));
    }
    if (raw.min.is_some() || raw.max.is_some()) && kind != VarType::Integer {
        return Err(context("`min` and `max` only apply to integer variables"));
    }
    if let (Some(min), Some(max)) = (raw.min, raw.max)
        && min > max
    {
        return Err(context(&format!(
            "`min` ({min}) is greater than `max` ({max})"
        )));
    }
    if !raw.choices.is_empty() && kind == VarType::Bool {
        return Err(context("`choices` do not apply to bool variables"));
    }
    let compiled_regex = match &raw.regex {
        Some(pattern) => Some(
            regex_lite::Regex::new(pattern)
                .map_err(|e| context(&format!("`regex` is not a valid pattern: {e}")))?,
        ),
        None => None,
    };

    let mut variable = Variable {
        prompt: raw.prompt.unwrap_or_else(|| name.clone()),
        name: name.clone(),
        kind,
        default: None,
        choices: Vec::new(),
        regex: raw.regex,
        compiled_regex,
        min: raw.min,
        max: raw.max,
        renamed_from: raw.renamed_from,
    };
    for choice in &raw.choices {
        let value = typed(kind, choice).map_err(|e| context(&format!("choice {e}")))?;
        variable.choices.push(value);
    }
    if let Some(default) = &raw.default {
        let value = typed(kind, default).map_err(|e| context(&format!("`default` {e}")))?;
        variable
            .check(&value)
            .map_err(|reason| context(&format!("`default` {value} {reason}")))?;
        variable.default = Some(value);
    }
    Ok(variable)
}

fn typed(kind: VarType, value: &toml::Value) -> Result<Value, String> {
    match (kind, value) {
        (VarType::String, toml::Value::String(s)) => Ok(Value::String(s.clone())),
        (VarType::Integer, toml::Value::Integer(i)) => Ok(Value::Integer(*i)),
        (VarType::Bool, toml::Value::Boolean(b)) => Ok(Value::Bool(*b)),
        (VarType::Integer, other) => Err(format!("{other} is not an integer")),
        (kind, other) => Err(format!("{other} is not a {kind}")),
    }
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
