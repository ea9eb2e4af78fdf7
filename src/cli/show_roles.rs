//! `paved lint --show-roles`: every crate's role and the fact that decided it, so a team
//! can see why a rule looks at a crate or not, and state the role where the guess is wrong.

use paved_lints::Report;
use serde_json::json;
use std::fmt::Write;

pub fn render(report: &Report, as_json: bool) -> String {
    if as_json {
        let crates: Vec<_> = report
            .roles
            .iter()
            .map(|c| {
                json!({
                    "path": c.root.display().to_string(),
                    "name": c.name,
                    "role": c.role.role,
                    "reason": c.role.reason,
                    "binaries": c.binaries.iter().map(|(path, d)| json!({
                        "path": path.display().to_string(),
                        "role": d.role,
                        "reason": d.reason,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        return serde_json::to_string_pretty(&crates).expect("roles serialize") + "\n";
    }
    let width = report
        .roles
        .iter()
        .map(|c| c.root.display().to_string().len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for c in &report.roles {
        let path = c.root.display().to_string();
        let _ = writeln!(
            out,
            "{path:width$}  {:<12}  {} ({})",
            c.role.role, c.name, c.role.reason
        );
        for (file, d) in &c.binaries {
            let _ = writeln!(
                out,
                "{:width$}    {:<12}{} ({})",
                "",
                d.role,
                file.display(),
                d.reason
            );
        }
    }
    out.push_str(
        "\nState a role where the guess is wrong: `[roles]` in paved.toml or `role` in the \
         crate's [package.metadata.paved] (docs/idioms.md \"Crate roles\").\n",
    );
    out
}
