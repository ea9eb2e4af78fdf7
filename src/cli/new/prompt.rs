//! Asking on a terminal for the variables not given on the command line, with the
//! default pre-filled (an empty reply takes it).

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use paved_generator::{Template, VarType, Variable};

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
    } else if variable.kind == VarType::Bool {
        question.push_str(" (y/n)");
    }
    if let Some(default) = &default {
        question.push_str(&format!(" [{default}]"));
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
