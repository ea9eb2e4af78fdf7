//! `paved explain RULE|GROUP`: the documentation of a rule, or the rules of a group.

use clap::Args;
use paved_lints::docs;
use paved_lints::registry;
use paved_lints::rule::Group;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule name (e.g. `print-logging`) or a group name (e.g. `logging`)
    pub name: String,
}

pub fn run(args: ExplainArgs) -> ExitCode {
    // Rule and group names are lowercase; `PRINT-LOGGING` means the same.
    let args = ExplainArgs {
        name: args.name.to_ascii_lowercase(),
    };
    let text = if let Some(rule) = registry::get(&args.name) {
        docs::explain(rule)
    } else if let Some(group) = Group::parse(&args.name) {
        docs::explain_group(group)
    } else {
        let hint = match paved_lints::config::closest_name(&args.name) {
            Some(n) => format!("did you mean `{n}`? `paved rules` lists every rule"),
            None => "`paved rules` lists every rule and group".to_string(),
        };
        return super::fail(
            &format!("unknown rule or group `{}`", args.name),
            Some(&hint),
        );
    };
    super::print_out(&text);
    ExitCode::SUCCESS
}
