//! What `paved new` prints: the tree it made and what to run next, or an error with a
//! hint.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use paved_generator::{
    DEFAULT_KIT_DIR, Error, Generated, KitPlacement, Membership, Template, VcsOutcome,
};

pub(super) fn failure(out: &mut impl Write, message: &str, hint: &str) {
    let _ = writeln!(out, "error: {message}");
    let _ = writeln!(out, "hint: {hint}");
}

pub(super) fn hint(error: &Error) -> String {
    match error {
        Error::InvalidName { .. } => "for example `paved new notes-api`".to_owned(),
        Error::NotATemplate { .. } => {
            "--template takes a folder with a template.toml at its root (see docs/templates.md)"
                .to_owned()
        }
        Error::UnknownKind { .. } => {
            "leave out --kind for the default service, or pass --template DIR".to_owned()
        }
        Error::Manifest { .. } | Error::Render { .. } => {
            "fix the template (the format is in docs/templates.md); nothing was written".to_owned()
        }
        Error::UnknownVariable { .. } => {
            "set a template variable with --define KEY=VALUE, using one of the names above"
                .to_owned()
        }
        Error::InvalidValue { variable, .. } => {
            format!("nothing was written; run again with a valid `{variable}`")
        }
        Error::MissingValue { variable } => {
            format!("pass --define {variable}=VALUE, or run on a terminal to be asked")
        }
        Error::DestinationExists { .. } => {
            "choose another --dest or remove it first; paved never writes into an existing path"
                .to_owned()
        }
        Error::NotAFolder { .. } => {
            "choose a --dest whose existing parents are folders; nothing was written".to_owned()
        }
        Error::NameClash { name, .. } => {
            format!("for example `paved new {name}-service`; nothing was written")
        }
        Error::Workspace { .. } => {
            "fix that Cargo.toml, or generate the service outside the workspace with --dest"
                .to_owned()
        }
        Error::Git { .. } => {
            "nothing was written; run again with --vcs none and set up git yourself".to_owned()
        }
        _ => "nothing was written".to_owned(),
    }
}

pub(super) fn success(out: &mut impl Write, template: &Template, generated: &Generated) {
    let dest = generated.dest.display().to_string();
    let manifest = template.manifest();
    let _ = writeln!(
        out,
        "Created `{dest}` from template {} {} ({} files)",
        manifest.name,
        manifest.version,
        generated.files.len()
    );
    for line in tree(&dest, &generated.files) {
        let _ = writeln!(out, "  {line}");
    }
    match &generated.workspace {
        Some(Membership::Added { manifest, member }) => {
            let _ = writeln!(
                out,
                "Added `{member}` to the workspace members in {}",
                manifest.display()
            );
        }
        Some(Membership::AlreadyMember { manifest, .. }) => {
            let _ = writeln!(
                out,
                "Already a member of the workspace in {}",
                manifest.display()
            );
        }
        Some(Membership::Excluded { manifest, .. }) => {
            let _ = writeln!(
                out,
                "Excluded by the workspace in {}; left as a workspace of its own",
                manifest.display()
            );
        }
        None => {}
    }
    if let Some(line) = kit_line(generated) {
        let _ = writeln!(out, "{line}");
    }
    match generated.vcs {
        VcsOutcome::Initialized => {
            let _ = writeln!(out, "Initialized a git repository with an initial commit");
        }
        VcsOutcome::InsideWorkTree => {
            let _ = writeln!(out, "Inside an existing git work tree: no new repository");
        }
        _ => {}
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Next:");
    let _ = writeln!(out, "  cd {}", shell_quote(&generated.dest));
    let _ = writeln!(out, "  cargo test");
    let _ = writeln!(out, "  cargo run");
}

/// Where the house kit went, so the user knows which folder paved manages.
fn kit_line(generated: &Generated) -> Option<String> {
    match &generated.kit {
        KitPlacement::NotUsed => None,
        KitPlacement::InService => Some(format!(
            "Wrote the house kit to `{}` (a member of the service's workspace, managed by paved)",
            generated.dest.join(DEFAULT_KIT_DIR).display()
        )),
        KitPlacement::Written(dir) => Some(format!(
            "Wrote the house kit to `{}` (shared by the workspace's services, managed by paved)",
            dir.display()
        )),
        KitPlacement::Reused(dir) => Some(format!(
            "Reused the workspace's house kit at `{}` (unchanged)",
            dir.display()
        )),
    }
}

/// The top level of the output: files by name, folders with their file count.
fn tree(dest: &str, files: &[String]) -> Vec<String> {
    let mut top: BTreeMap<&str, Option<usize>> = BTreeMap::new();
    for file in files {
        match file.split_once('/') {
            Some((dir, _)) => *top.entry(dir).or_insert(Some(0)).get_or_insert(0) += 1,
            None => {
                top.insert(file, None);
            }
        }
    }
    let mut lines = vec![format!("{}/", dest.trim_end_matches('/'))];
    let count = top.len();
    for (i, (name, files)) in top.into_iter().enumerate() {
        let branch = if i + 1 == count {
            "└──"
        } else {
            "├──"
        };
        lines.push(match files {
            Some(1) => format!("{branch} {name}/ (1 file)"),
            Some(n) => format!("{branch} {name}/ ({n} files)"),
            None => format!("{branch} {name}"),
        });
    }
    lines
}

/// Quotes a path for a POSIX shell when it needs it, so the printed command works when
/// pasted.
fn shell_quote(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./+:@%".contains(c));
    if plain && !text.is_empty() {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}
