//! Rendering in memory: Tera for `.tera` files and path placeholders, byte-for-byte
//! copies for everything else, and the `[conditional]` filter.
//!
//! Everything is compiled when the template is loaded (syntax errors, unknown variables),
//! and rendering produces the whole output in memory, so nothing is written until every
//! file rendered.

use std::collections::{BTreeMap, BTreeSet};

use tera::{Context, Tera};

use crate::answers::Answers;
use crate::error::{Error, Result};
use crate::manifest::{BUILTIN_VARIABLES, Manifest, Value};
use crate::template::{TERA_SUFFIX, Template, TemplateFile};

/// One file of the generated output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the destination, `/`-separated.
    pub path: String,
    /// Final contents.
    pub contents: Vec<u8>,
    /// Whether to set the executable bit.
    pub executable: bool,
}

/// A template's Tera programs. Names inside Tera: a file's contents under its template
/// path, its path placeholders under `path:` + path, conditions under `if:` + pattern.
#[derive(Clone)]
pub(crate) struct Compiled {
    tera: Tera,
    source: String,
    manifest_file: String,
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compiled").finish_non_exhaustive()
    }
}

const PATH_PREFIX: &str = "path:";
const IF_PREFIX: &str = "if:";

fn has_placeholder(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

impl Compiled {
    pub(crate) fn new(
        source: &str,
        manifest_file: &str,
        manifest: &Manifest,
        files: &[TemplateFile],
    ) -> Result<Compiled> {
        let mut tera = Tera::new();
        // Not HTML: a `<` in a Rust file or a `&` in a TOML string must come out as written.
        tera.autoescape_on(Vec::<&str>::new());
        let known: BTreeSet<&str> = BUILTIN_VARIABLES
            .iter()
            .copied()
            .chain(manifest.variables.iter().map(|v| v.name.as_str()))
            .collect();

        let file_location = |path: &str| format!("{source}/{path}");
        for file in files {
            if has_placeholder(&file.path) {
                let name = format!("{PATH_PREFIX}{}", file.path);
                add(&mut tera, &name, &file.path, &known).map_err(|(line, message)| {
                    render_error(
                        file_location(&file.path),
                        line,
                        format!("in the file name: {message}"),
                    )
                })?;
            }
            if file.is_templated() {
                let text = std::str::from_utf8(&file.contents).map_err(|e| {
                    let line = crate::manifest::line_of(
                        &String::from_utf8_lossy(&file.contents),
                        e.valid_up_to(),
                    );
                    render_error(
                        file_location(&file.path),
                        Some(line),
                        "a `.tera` file must be UTF-8 text".to_owned(),
                    )
                })?;
                add(&mut tera, &file.path, text, &known).map_err(|(line, message)| {
                    render_error(file_location(&file.path), line, message)
                })?;
            }
        }

        for conditional in &manifest.conditionals {
            let in_pattern = |message: String| {
                Error::manifest(
                    manifest_file,
                    format!("[conditional] \"{}\": {message}", conditional.pattern),
                )
            };
            glob::Pattern::new(&conditional.pattern)
                .map_err(|e| in_pattern(format!("not a valid glob: {e}")))?;
            if has_placeholder(&conditional.pattern) {
                let name = format!("{PATH_PREFIX}{}", conditional.pattern);
                add(&mut tera, &name, &conditional.pattern, &known)
                    .map_err(|(_, message)| in_pattern(message))?;
            }
            let program = format!(
                "{{% if {} %}}true{{% else %}}false{{% endif %}}",
                conditional.condition
            );
            let name = format!("{IF_PREFIX}{}", conditional.pattern);
            add(&mut tera, &name, &program, &known).map_err(|(_, message)| {
                in_pattern(format!("condition `{}`: {message}", conditional.condition))
            })?;
        }

        Ok(Compiled {
            tera,
            source: source.to_owned(),
            manifest_file: manifest_file.to_owned(),
        })
    }
}

/// Adds one Tera program and checks it only uses known variables. Tera itself only
/// notices an undefined variable on the branch that runs, so a typo inside
/// `{% if storage == 'none' %}` would otherwise pass until someone picks that answer.
fn add(
    tera: &mut Tera,
    name: &str,
    text: &str,
    known: &BTreeSet<&str>,
) -> Result<(), (Option<usize>, String)> {
    tera.add_raw_template(name, text)
        .map_err(split_tera_error)?;
    let assigned = assigned_names(text);
    let used = tera
        .get_template_variables(name)
        .map_err(split_tera_error)?;
    let mut unknown: Vec<&str> = used
        .into_iter()
        .filter(|v| !known.contains(v) && !assigned.contains(*v))
        .collect();
    unknown.sort_unstable();
    if let Some(first) = unknown.first() {
        let known_list = known.iter().copied().collect::<Vec<_>>().join(", ");
        return Err((
            line_using(text, first),
            format!("variable `{first}` is not defined (defined: {known_list})"),
        ));
    }
    Ok(())
}

/// Names given a value inside the template with `{% set %}` / `{% set_global %}`.
fn assigned_names(text: &str) -> BTreeSet<String> {
    let re = regex_lite::Regex::new(r"\{%-?\s*set(?:_global)?\s+([A-Za-z_][A-Za-z0-9_]*)")
        .expect("constant pattern");
    re.captures_iter(text).map(|c| c[1].to_owned()).collect()
}

/// First line with a tag that mentions `variable`, for the error message.
fn line_using(text: &str, variable: &str) -> Option<usize> {
    let re = regex_lite::Regex::new(&format!(r"\b{}\b", regex_lite::escape(variable))).ok()?;
    text.lines()
        .position(|line| has_placeholder(line) && re.is_match(line))
        .map(|i| i + 1)
}

fn split_tera_error(error: tera::Error) -> (Option<usize>, String) {
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            (Some(report.span().start_line), report.message().to_owned())
        }
        other => (None, other.to_string()),
    }
}

fn render_error(file: String, line: Option<usize>, message: String) -> Error {
    Error::Render {
        file,
        line,
        message,
    }
}

/// The Tera context: built-in variables plus every answer.
pub(crate) fn context(name: &str, answers: &Answers) -> Context {
    let mut context = Context::new();
    context.insert("name", name);
    context.insert("crate_name", &name.replace('-', "_"));
    context.insert("paved_version", env!("CARGO_PKG_VERSION"));
    for (key, value) in &answers.0 {
        match value {
            Value::String(s) => context.insert(key.clone(), s),
            Value::Integer(i) => context.insert(key.clone(), i),
            Value::Bool(b) => context.insert(key.clone(), b),
        }
    }
    context
}

/// Renders every file of `template` that its conditions keep, in memory.
pub(crate) fn render(template: &Template, context: &Context) -> Result<Vec<OutputFile>> {
    let compiled = &template.compiled;
    let conditions = evaluate_conditions(template, context)?;
    let mut matched = vec![false; conditions.len()];

    let mut output: BTreeMap<String, OutputFile> = BTreeMap::new();
    for file in template.files() {
        let location = format!("{}/{}", compiled.source, file.path);
        let mut path = if has_placeholder(&file.path) {
            compiled
                .render_to_string(&format!("{PATH_PREFIX}{}", file.path), context)
                .map_err(|(line, message)| {
                    render_error(
                        location.clone(),
                        line,
                        format!("in the file name: {message}"),
                    )
                })?
        } else {
            file.path.clone()
        };
        if file.is_templated() {
            path.truncate(path.len() - TERA_SUFFIX.len());
        }
        check_output_path(&path).map_err(|problem| {
            render_error(
                location.clone(),
                None,
                format!("the file name renders to `{path}`, which {problem}"),
            )
        })?;

        let mut keep = true;
        for (i, (pattern, condition)) in conditions.iter().enumerate() {
            if matches_path_or_ancestor(pattern, &path) {
                matched[i] = true;
                keep &= condition;
            }
        }
        if !keep {
            continue;
        }

        let contents = if file.is_templated() {
            compiled
                .render_to_string(&file.path, context)
                .map_err(|(line, message)| render_error(location.clone(), line, message))?
                .into_bytes()
        } else {
            file.contents.clone()
        };
        if output.contains_key(&path) {
            return Err(render_error(
                location,
                None,
                format!("another template file also renders to `{path}`"),
            ));
        }
        output.insert(
            path.clone(),
            OutputFile {
                path,
                contents,
                executable: file.executable,
            },
        );
    }

    if let Some(i) = matched.iter().position(|m| !m) {
        let pattern = &template.manifest().conditionals[i].pattern;
        return Err(Error::manifest(
            &compiled.manifest_file,
            format!("[conditional] \"{pattern}\" matches no file of the template"),
        ));
    }
    check_no_file_is_a_directory(&output)?;
    Ok(output.into_values().collect())
}

impl Compiled {
    fn render_to_string(
        &self,
        name: &str,
        context: &Context,
    ) -> Result<String, (Option<usize>, String)> {
        self.tera.render(name, context).map_err(split_tera_error)
    }
}

/// Each conditional's rendered glob and whether its condition holds for these answers.
fn evaluate_conditions(
    template: &Template,
    context: &Context,
) -> Result<Vec<(glob::Pattern, bool)>> {
    let compiled = &template.compiled;
    template
        .manifest()
        .conditionals
        .iter()
        .map(|conditional| {
            let fail = |message: String| {
                Error::manifest(
                    &compiled.manifest_file,
                    format!("[conditional] \"{}\": {message}", conditional.pattern),
                )
            };
            let pattern_text = if has_placeholder(&conditional.pattern) {
                compiled
                    .render_to_string(&format!("{PATH_PREFIX}{}", conditional.pattern), context)
                    .map_err(|(_, m)| fail(m))?
            } else {
                conditional.pattern.clone()
            };
            let pattern = glob::Pattern::new(&pattern_text).map_err(|e| {
                fail(format!(
                    "renders to `{pattern_text}`, not a valid glob: {e}"
                ))
            })?;
            let holds = compiled
                .render_to_string(&format!("{IF_PREFIX}{}", conditional.pattern), context)
                .map_err(|(_, m)| fail(format!("condition `{}`: {m}", conditional.condition)))?;
            Ok((pattern, holds == "true"))
        })
        .collect()
}

/// A pattern that names a folder (`src/storage`) covers the files below it, as does
/// `src/storage/**`.
fn matches_path_or_ancestor(pattern: &glob::Pattern, path: &str) -> bool {
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: false,
    };
    let mut candidate = path;
    loop {
        if pattern.matches_with(candidate, options) {
            return true;
        }
        match candidate.rfind('/') {
            Some(i) => candidate = &candidate[..i],
            None => return false,
        }
    }
}

/// Refuses output paths that would escape the destination or cannot be written.
fn check_output_path(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Err("is empty");
    }
    if path.starts_with('/') || path.contains('\\') {
        return Err("is not a relative `/`-separated path");
    }
    if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Err("has an empty, `.` or `..` component");
    }
    Ok(())
}

fn check_no_file_is_a_directory(output: &BTreeMap<String, OutputFile>) -> Result<()> {
    for path in output.keys() {
        let mut prefix = path.as_str();
        while let Some(i) = prefix.rfind('/') {
            prefix = &prefix[..i];
            if output.contains_key(prefix) {
                return Err(Error::Render {
                    file: prefix.to_owned(),
                    line: None,
                    message: format!("is generated both as a file and as the folder of `{path}`"),
                });
            }
        }
    }
    Ok(())
}
