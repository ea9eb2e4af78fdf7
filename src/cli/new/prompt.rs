//! Asking on a terminal for the variables not given on the command line, with the
//! default pre-filled (an empty reply takes it).

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use paved_generator::{Template, Value, VarType, Variable};

use super::Failure;

pub(super) fn ask_missing(
    template: &Template,
    answers: &mut BTreeMap<String, String>,
) -> Result<(), Failure> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    // Prompts go to stderr, like cargo's, so stdout stays the command's report.
    let mut out = anstream::stderr();
    for variable in &template.manifest().variables {
        if answers.contains_key(&variable.name) {
            continue;
        }
        let answer = ask(variable, &mut input, &mut out)?;
        answers.insert(variable.name.clone(), answer);
    }
    Ok(())
}

fn ask(
    variable: &Variable,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> Result<String, Failure> {
    let default = variable.default.as_ref().map(ToString::to_string);
    let mut question = format!("? {}", variable.prompt);
    if !variable.choices.is_empty() {
        let choices: Vec<String> = variable.choices.iter().map(ToString::to_string).collect();
        question.push_str(&format!(" ({})", choices.join("/")));
    }
    match (&variable.default, variable.kind) {
        (Some(Value::Bool(true)), _) => question.push_str(" [Y/n]"),
        (Some(Value::Bool(false)), _) => question.push_str(" [y/N]"),
        (None, VarType::Bool) => question.push_str(" [y/n]"),
        (Some(default), _) => question.push_str(&format!(" [{default}]")),
        (None, _) => {}
    }
    question.push_str(": ");

    loop {
        let _ = write!(out, "{question}");
        let _ = out.flush();
        let mut line = String::new();
        let read = input.read_line(&mut line).map_err(|e| Failure {
            message: format!("could not read the answer for `{}`: {e}", variable.name),
            hint: "pass the answers as flags with --yes to run without prompts".to_owned(),
        })?;
        if read == 0 {
            return Err(Failure {
                message: format!("input ended before `{}` was answered", variable.name),
                hint: "pass the answers as flags with --yes to run without prompts".to_owned(),
            });
        }
        let reply = line.trim_end_matches(['\n', '\r']);
        let reply = if reply.trim().is_empty() {
            match &default {
                Some(default) => default.clone(),
                None => {
                    let _ = writeln!(out, "  an answer is required");
                    continue;
                }
            }
        } else {
            reply.to_owned()
        };
        match variable.parse_answer(&reply) {
            Ok(_) => return Ok(reply),
            Err(error) => {
                let _ = writeln!(out, "  {error}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ask;
    use paved_generator::{Template, TemplateFile};

    const MANIFEST: &str = r#"[template]
name = "t"
version = "1"

[[variables]]
name = "storage"
type = "string"
prompt = "Storage"
choices = ["sqlite", "none"]
default = "sqlite"

[[variables]]
name = "metrics"
type = "bool"
prompt = "Metrics"
default = true

[[variables]]
name = "team"
type = "string"
prompt = "Team"
"#;

    fn template() -> Template {
        let file = TemplateFile {
            path: "template.toml".to_owned(),
            contents: MANIFEST.as_bytes().to_vec(),
            executable: false,
        };
        Template::from_files("mem", vec![file]).unwrap()
    }

    /// Asks for `variable` with `typed` as the user's input; returns the answer and the
    /// screen.
    fn run(variable: &str, typed: &str) -> (Result<String, String>, String) {
        let template = template();
        let variable = template.manifest().variable(variable).unwrap();
        let mut screen = Vec::new();
        let answer = ask(variable, &mut typed.as_bytes(), &mut screen).map_err(|f| f.message);
        (answer, String::from_utf8(screen).unwrap())
    }

    #[test]
    fn an_empty_reply_takes_the_default() {
        let (answer, screen) = run("storage", "\n");
        assert_eq!(answer.unwrap(), "sqlite");
        assert_eq!(screen, "? Storage (sqlite/none) [sqlite]: ");
    }

    #[test]
    fn an_invalid_reply_is_explained_and_asked_again() {
        let (answer, screen) = run("storage", "mysql\nnone\n");
        assert_eq!(answer.unwrap(), "none");
        assert_eq!(
            screen,
            "? Storage (sqlite/none) [sqlite]:   invalid value `mysql` for `storage`: must be one of: sqlite, none\n\
             ? Storage (sqlite/none) [sqlite]: "
        );
    }

    #[test]
    fn a_bool_shows_its_default_as_y_or_n() {
        let (answer, screen) = run("metrics", "n\n");
        assert_eq!(answer.unwrap(), "n");
        assert_eq!(screen, "? Metrics [Y/n]: ");
    }

    #[test]
    fn a_variable_without_default_insists() {
        let (answer, screen) = run("team", "\ncore\n");
        assert_eq!(answer.unwrap(), "core");
        assert!(screen.contains("an answer is required"), "{screen}");
    }

    #[test]
    fn end_of_input_is_an_error() {
        let (answer, _) = run("team", "");
        assert_eq!(
            answer.unwrap_err(),
            "input ended before `team` was answered"
        );
    }
}
