//! Turning the answers given as text (flags, `--define`, prompts) into typed values.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::manifest::{Manifest, Value};

/// Typed answers in manifest order, one per declared variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers(pub Vec<(String, Value)>);

impl Answers {
    /// The answer for `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

/// Checks the answers that were given without requiring all of them, so that a bad flag
/// is reported before the user is asked anything.
pub fn check_given(manifest: &Manifest, given: &BTreeMap<String, String>) -> Result<()> {
    for (key, text) in given {
        let variable = manifest
            .variable(key)
            .ok_or_else(|| Error::UnknownVariable {
                key: key.clone(),
                template: manifest.name.clone(),
                known: manifest.variables.iter().map(|v| v.name.clone()).collect(),
            })?;
        variable.parse_answer(text)?;
    }
    Ok(())
}

/// Resolves every declared variable: the given answer, else the default.
pub fn resolve(manifest: &Manifest, given: &BTreeMap<String, String>) -> Result<Answers> {
    check_given(manifest, given)?;
    manifest
        .variables
        .iter()
        .map(|variable| {
            let value = match given.get(&variable.name) {
                Some(text) => variable.parse_answer(text)?,
                None => variable
                    .default
                    .clone()
                    .ok_or_else(|| Error::MissingValue {
                        variable: variable.name.clone(),
                    })?,
            };
            Ok((variable.name.clone(), value))
        })
        .collect::<Result<_>>()
        .map(Answers)
}
