//! The binaries of a service crate are not all the service. A crate that serves HTTP from
//! one binary often ships admin commands beside it (`src/bin/admin.rs`, `src/bin/tool/`):
//! their stdout is a command line's interface, not logging. This module finds which files
//! belong to which binary target and gives the binaries that do not serve their own role.

use crate::crate_role::{RoleDecision, name_words};
use crate::model::FileFacts;
use crate::role::Role;
use std::path::{Path, PathBuf};

/// A binary target: its name and the folder or file its code lives in, relative to the
/// crate root.
#[derive(Debug)]
struct BinTarget {
    name: String,
    /// `src/bin/x.rs` (a file) or `src/bin/x/` (a folder with `main.rs`).
    code: PathBuf,
    is_dir: bool,
}

impl BinTarget {
    fn owns(&self, rel: &Path) -> bool {
        if self.is_dir {
            rel.starts_with(&self.code)
        } else {
            rel == self.code
        }
    }
}

/// Modules that hold a program's subcommands. At the top of `src/` only the ones other than
/// `admin` count (`src/admin/` in a service is as often its admin API).
const COMMAND_MODULES: &[&str] = &[
    "admin",
    "cli",
    "cmd",
    "command",
    "commands",
    "subcommand",
    "subcommands",
];

/// A module at the top of a crate's `src/` named for subcommands (`cli`, `cmd.rs`).
pub fn is_src_command_module(name: &str) -> bool {
    let module = name.strip_suffix(".rs").unwrap_or(name);
    module != "admin" && COMMAND_MODULES.contains(&module)
}

const SERVING_WORDS: &[&str] = &["server", "serve", "api", "web", "http", "service", "app"];
const DAEMON_WORDS: &[&str] = &["worker", "daemon", "consumer", "scheduler", "jobs"];

/// Roles of the files of the binaries that are not the service itself, keyed by the file's
/// path as walked. `files` are the crate's files with paths relative to `root` beside them.
pub fn binary_roles(
    package: &str,
    declared: &[(String, Option<String>)],
    files: &[(&FileFacts, PathBuf)],
) -> Vec<(PathBuf, RoleDecision)> {
    let targets = targets(package, declared, files);
    let mut out = other_binaries(package, &targets, files);
    for (path, decision) in command_modules(&targets, files) {
        if !out.iter().any(|(p, _)| *p == path) {
            out.push((path, decision));
        }
    }
    out
}

/// Subcommand modules inside a binary's own folder (`src/bin/app/admin/*.rs`,
/// `src/bin/app/commands.rs`), or at the top of the crate's `src/` (`src/cli/`,
/// `src/cmd.rs`; not `src/admin/`, which in a service is as often its admin API): one
/// program that serves and also runs admin commands. A file of such a module that serves
/// or builds routes is the service's, not a command's.
fn command_modules(
    targets: &[BinTarget],
    files: &[(&FileFacts, PathBuf)],
) -> Vec<(PathBuf, RoleDecision)> {
    let src = BinTarget {
        name: String::new(),
        code: PathBuf::from("src"),
        is_dir: true,
    };
    let folders = targets.iter().filter(|t| t.is_dir).chain([&src]);
    let mut out = Vec::new();
    for target in folders {
        for (facts, rel) in files {
            let Ok(inside) = rel.strip_prefix(&target.code) else {
                continue;
            };
            let Some(first) = inside.components().next() else {
                continue;
            };
            let first = first.as_os_str().to_string_lossy();
            let module = first.strip_suffix(".rs").unwrap_or(&first);
            let at_src_top = target.name.is_empty();
            let commands = if at_src_top {
                is_src_command_module(module)
            } else {
                COMMAND_MODULES.contains(&module)
            };
            if !commands || serves_or_routes(facts) || under_server_module(inside) {
                continue;
            }
            let reason = if at_src_top {
                format!("the `{module}` commands of the crate")
            } else {
                format!("the `{module}` commands of binary `{}`", target.name)
            };
            let role = Role::Cli;
            out.push((facts.path.clone(), RoleDecision { role, reason }));
        }
    }
    out
}

/// `subcommand/server/r.rs`, `cli/serve.rs`: the subcommand that starts the server and the
/// modules of its handlers are the service, not a command.
fn under_server_module(inside: &std::path::Path) -> bool {
    inside.components().skip(1).any(|c| {
        let name = c.as_os_str().to_string_lossy();
        let module = name.strip_suffix(".rs").unwrap_or(&name);
        SERVING_WORDS.contains(&module)
    })
}

/// The file serves or routes (`RouterFacts::serves_or_routes`), or imports the program's
/// server module (`use crate::server;` for a `run` command that starts it).
fn serves_or_routes(facts: &FileFacts) -> bool {
    let imports_server = facts.router.uses.iter().any(|u| {
        u.target
            .first()
            .is_some_and(|s| s == "crate" || s == "super")
            && u.target.iter().any(|s| s == "server" || s == "serve")
    });
    imports_server || facts.router.serves_or_routes()
}

/// The binaries of a crate with several that are not the one that serves.
fn other_binaries(
    package: &str,
    targets: &[BinTarget],
    files: &[(&FileFacts, PathBuf)],
) -> Vec<(PathBuf, RoleDecision)> {
    if targets.len() < 2 {
        return Vec::new();
    }
    let serves = |t: &BinTarget| {
        files
            .iter()
            .any(|(f, rel)| t.owns(rel) && !f.router.serves.is_empty())
    };
    let serving: Vec<usize> = match targets.iter().position(serves) {
        Some(_) => (0..targets.len())
            .filter(|&i| serves(&targets[i]))
            .collect(),
        None => (0..targets.len())
            .filter(|&i| {
                let t = &targets[i];
                t.code == Path::new("src/main.rs")
                    || t.name == package
                    || name_words(&t.name)
                        .iter()
                        .any(|w| SERVING_WORDS.contains(&w.as_str()))
            })
            .collect(),
    };
    if serving.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, target) in targets.iter().enumerate() {
        if serving.contains(&i) {
            continue;
        }
        let decision = if name_words(&target.name)
            .iter()
            .any(|w| DAEMON_WORDS.contains(&w.as_str()))
        {
            RoleDecision {
                role: Role::Worker,
                reason: format!(
                    "binary `{}` of a service crate, named as a daemon",
                    target.name
                ),
            }
        } else {
            RoleDecision {
                role: Role::Cli,
                reason: format!(
                    "binary `{}` of a service crate that does not serve",
                    target.name
                ),
            }
        };
        out.extend(
            files
                .iter()
                .filter(|(_, rel)| target.owns(rel))
                .map(|(f, _)| (f.path.clone(), decision.clone())),
        );
    }
    out
}

fn targets(
    package: &str,
    declared: &[(String, Option<String>)],
    files: &[(&FileFacts, PathBuf)],
) -> Vec<BinTarget> {
    let mut out: Vec<BinTarget> = Vec::new();
    for (name, path) in declared {
        let code = match path {
            Some(p) => PathBuf::from(p),
            None => PathBuf::from(format!("src/bin/{name}.rs")),
        };
        let dir = code.file_name() == Some("main.rs".as_ref()) && code != Path::new("src/main.rs");
        out.push(BinTarget {
            name: name.clone(),
            code: if dir {
                code.parent().unwrap_or(&code).to_path_buf()
            } else {
                code
            },
            is_dir: dir,
        });
    }
    for (_, rel) in files {
        let found = if rel == Path::new("src/main.rs") {
            Some((package.to_string(), rel.clone(), false))
        } else if let Ok(rest) = rel.strip_prefix("src/bin") {
            let mut parts = rest.components();
            let first = parts
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            match (first, parts.next()) {
                (Some(file), None) => file
                    .strip_suffix(".rs")
                    .map(|n| (n.to_string(), rel.clone(), false)),
                (Some(dir), Some(_)) => Some((dir.clone(), Path::new("src/bin").join(dir), true)),
                _ => None,
            }
        } else {
            None
        };
        if let Some((name, code, is_dir)) = found
            && !out
                .iter()
                .any(|t| t.code == code || (t.is_dir && code.starts_with(&t.code)))
        {
            out.push(BinTarget { name, code, is_dir });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, serves: bool) -> (FileFacts, PathBuf) {
        let mut facts = FileFacts {
            path: PathBuf::from("svc").join(path),
            ..FileFacts::default()
        };
        if serves {
            facts.router.serves.push(crate::model::ServeFact {
                module: Vec::new(),
                func: None,
                range: Default::default(),
                app: crate::model::RouterRef::Unknown,
                graceful: true,
                binding: None,
            });
        }
        (facts, PathBuf::from(path))
    }

    fn roles(files: &[(FileFacts, PathBuf)]) -> Vec<(String, Role)> {
        let refs: Vec<(&FileFacts, PathBuf)> = files.iter().map(|(f, r)| (f, r.clone())).collect();
        binary_roles("svc", &[], &refs)
            .into_iter()
            .map(|(p, d)| (p.display().to_string(), d.role))
            .collect()
    }

    #[test]
    fn admin_binaries_beside_the_server_are_commands() {
        let files = [
            file("src/main.rs", true),
            file("src/bin/admin.rs", false),
            file("src/bin/tool/main.rs", false),
            file("src/bin/tool/users.rs", false),
            file("src/bin/background-worker.rs", false),
            file("src/lib.rs", false),
        ];
        assert_eq!(
            roles(&files),
            [
                ("svc/src/bin/admin.rs".into(), Role::Cli),
                ("svc/src/bin/tool/main.rs".into(), Role::Cli),
                ("svc/src/bin/tool/users.rs".into(), Role::Cli),
                ("svc/src/bin/background-worker.rs".into(), Role::Worker),
            ]
        );
    }

    #[test]
    fn admin_modules_of_the_serving_binary_are_commands() {
        let files = [
            file("src/bin/app/main.rs", false),
            file("src/bin/app/server.rs", true),
            file("src/bin/app/admin/mod.rs", false),
            file("src/bin/app/admin/delete_user.rs", false),
            file("src/bin/app/commands.rs", false),
        ];
        assert_eq!(
            roles(&files),
            [
                ("svc/src/bin/app/admin/mod.rs".into(), Role::Cli),
                ("svc/src/bin/app/admin/delete_user.rs".into(), Role::Cli),
                ("svc/src/bin/app/commands.rs".into(), Role::Cli),
            ]
        );
    }

    #[test]
    fn without_a_serve_call_the_main_binary_is_the_service() {
        let files = [
            file("src/main.rs", false),
            file("src/bin/migrate.rs", false),
        ];
        assert_eq!(
            roles(&files),
            [("svc/src/bin/migrate.rs".into(), Role::Cli)]
        );
    }

    #[test]
    fn one_binary_is_the_crate_itself() {
        assert!(roles(&[file("src/main.rs", false)]).is_empty());
        // Two binaries, none recognisably the server: no guess.
        assert!(roles(&[file("src/bin/a.rs", false), file("src/bin/b.rs", false)]).is_empty());
    }
}
