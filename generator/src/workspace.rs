//! Generating inside a Cargo workspace (a monorepo): the new crate becomes a member of
//! the enclosing workspace instead of a nested workspace of its own.

use std::fs;
use std::path::{Path, PathBuf};

use toml_edit::{Array, DocumentMut, Item};

use crate::error::{Error, Result};
use crate::render::OutputFile;

/// How the new service relates to an enclosing workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Membership {
    /// `member` was appended to `workspace.members` in `manifest`.
    Added {
        /// The workspace root `Cargo.toml`.
        manifest: PathBuf,
        /// The service's path relative to the workspace root, `/`-separated.
        member: String,
    },
    /// An entry (a glob such as `services/*`) of `workspace.members` already covers it.
    AlreadyMember {
        /// The workspace root `Cargo.toml`.
        manifest: PathBuf,
        /// The service's path relative to the workspace root, `/`-separated.
        member: String,
    },
    /// `workspace.exclude` covers it: it stays a workspace of its own.
    Excluded {
        /// The workspace root `Cargo.toml`.
        manifest: PathBuf,
        /// The service's path relative to the workspace root, `/`-separated.
        member: String,
    },
}

/// A membership decided in memory, with the edited workspace manifest to write once the
/// service is in place.
#[derive(Debug)]
pub(crate) struct Plan {
    /// `None` when the enclosing workspace is not joined at all (its `target/` folder).
    pub(crate) membership: Option<Membership>,
    pub(crate) new_manifest_text: Option<String>,
}

impl Plan {
    /// The workspace `Cargo.toml` this plan is about, if any.
    pub(crate) fn manifest(&self) -> Option<&Path> {
        self.manifest_and_member().map(|(m, _)| m)
    }

    /// The workspace `Cargo.toml` and the service's path relative to its folder.
    pub(crate) fn manifest_and_member(&self) -> Option<(&Path, &str)> {
        match self.membership.as_ref()? {
            Membership::Added { manifest, member }
            | Membership::AlreadyMember { manifest, member }
            | Membership::Excluded { manifest, member } => Some((manifest, member)),
        }
    }

    /// Whether the new crate becomes a member of the enclosing workspace; when it does
    /// not, it must declare a `[workspace]` of its own or Cargo refuses to build it.
    pub(crate) fn joins(&self) -> bool {
        matches!(
            self.membership,
            Some(Membership::Added { .. } | Membership::AlreadyMember { .. })
        )
    }
}

/// Looks upward from `dest` (absolute, symlinks resolved) for the nearest `Cargo.toml`
/// with a `[workspace]` table, as Cargo does, and plans the membership. Checks that a
/// manifest to be edited is writable, so the refusal comes before anything is written.
pub(crate) fn plan(dest: &Path) -> Result<Option<Plan>> {
    for dir in dest.ancestors().skip(1) {
        let manifest = dir.join("Cargo.toml");
        let Ok(text) = fs::read_to_string(&manifest) else {
            continue;
        };
        let fail = |message: String| Error::Workspace {
            manifest: manifest.clone(),
            message,
        };
        let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
            fail(format!("is not valid TOML: {}", e.message()))
        })?;
        let Some(workspace) = doc.get_mut("workspace").and_then(Item::as_table_like_mut) else {
            continue;
        };
        let member = relative_member(dir, dest);
        // The workspace's build folder (where `CARGO_TARGET_TMPDIR` points tests) holds
        // scratch output, not members.
        if member == "target" || member.starts_with("target/") {
            return Ok(Some(Plan {
                membership: None,
                new_manifest_text: None,
            }));
        }

        let strings = |key: &str, ws: &dyn toml_edit::TableLike| -> Vec<String> {
            ws.get(key)
                .and_then(Item::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        let excluded = strings("exclude", workspace)
            .iter()
            .any(|e| covers_by_prefix(e, &member));
        if excluded {
            let membership = Membership::Excluded { manifest, member };
            return Ok(Some(Plan {
                membership: Some(membership),
                new_manifest_text: None,
            }));
        }
        let covered = strings("members", workspace)
            .iter()
            .any(|m| covers_by_glob(m, &member));
        if covered {
            let membership = Membership::AlreadyMember { manifest, member };
            return Ok(Some(Plan {
                membership: Some(membership),
                new_manifest_text: None,
            }));
        }

        let members = workspace
            .entry("members")
            .or_insert(toml_edit::value(Array::new()))
            .as_array_mut()
            .ok_or_else(|| fail("`workspace.members` is not an array".to_owned()))?;
        push_like_neighbours(members, &member);
        ensure_writable(&manifest, &member)?;
        let membership = Membership::Added { manifest, member };
        return Ok(Some(Plan {
            membership: Some(membership),
            new_manifest_text: Some(doc.to_string()),
        }));
    }
    Ok(None)
}

/// `text` (a workspace `Cargo.toml`) with `member` in `workspace.members`, unless an
/// entry already covers it.
pub(crate) fn add_member(text: &str, member: &str, manifest: &Path) -> Result<String> {
    let fail = |message: &str| Error::Workspace {
        manifest: manifest.to_path_buf(),
        message: message.to_owned(),
    };
    let mut doc: DocumentMut = text.parse().map_err(|_| fail("is not valid TOML"))?;
    let members = doc
        .get_mut("workspace")
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| fail("has no `[workspace]` table"))?
        .entry("members")
        .or_insert(toml_edit::value(Array::new()))
        .as_array_mut()
        .ok_or_else(|| fail("`workspace.members` is not an array"))?;
    let covered = members
        .iter()
        .filter_map(|v| v.as_str())
        .any(|m| covers_by_glob(m, member));
    if !covered {
        push_like_neighbours(members, member);
    }
    Ok(doc.to_string())
}

/// The manifest is replaced by a rename, which a read-only file does not stop: refuse
/// instead of silently overriding its permissions.
fn ensure_writable(manifest: &Path, member: &str) -> Result<()> {
    let read_only = fs::metadata(manifest).is_ok_and(|m| m.permissions().readonly());
    // Opening for writing without truncating changes nothing; it also catches a file
    // owned by someone else.
    let opens = fs::OpenOptions::new().write(true).open(manifest).is_ok();
    if read_only || !opens {
        return Err(Error::Workspace {
            manifest: manifest.to_path_buf(),
            message: format!(
                "is read-only, so `{member}` cannot be added to `workspace.members`; make it writable first"
            ),
        });
    }
    Ok(())
}

fn relative_member(root: &Path, dest: &Path) -> String {
    dest.strip_prefix(root)
        .unwrap_or(dest)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Cargo's `exclude` entries are paths: they cover the folder and everything below it.
fn covers_by_prefix(entry: &str, member: &str) -> bool {
    let entry = entry.trim_end_matches('/').trim_start_matches("./");
    member == entry || member.starts_with(&format!("{entry}/")) || covers_by_glob(entry, member)
}

/// Cargo's `members` entries are globs (it uses the same `glob` crate).
fn covers_by_glob(entry: &str, member: &str) -> bool {
    let entry = entry.trim_end_matches('/').trim_start_matches("./");
    glob::Pattern::new(entry).is_ok_and(|p| {
        p.matches_with(
            member,
            glob::MatchOptions {
                case_sensitive: true,
                require_literal_separator: true,
                require_literal_leading_dot: false,
            },
        )
    })
}

/// Appends `member` with the same layout as the existing entries: one per line stays one
/// per line (a comment stays on the line it annotates), inline stays inline.
fn push_like_neighbours(members: &mut Array, member: &str) {
    let mut item = toml_edit::Value::from(member);
    let Some(last) = members.iter_mut().last() else {
        members.push(member);
        return;
    };
    let last_prefix = raw(last.decor().prefix());
    let last_suffix = raw(last.decor().suffix());
    last.decor_mut().set_suffix("");
    let only_one = members.len() == 1;

    match last_prefix.rfind('\n') {
        // Inline: `[ "a", "b" ]` becomes `[ "a", "b", "c" ]`.
        None => {
            item.decor_mut()
                .set_prefix(if only_one { " " } else { last_prefix.as_str() });
            item.decor_mut().set_suffix(last_suffix);
            members.push_formatted(item);
        }
        // One per line: what followed the last entry up to `]` (a comment on its line,
        // more comment lines) now follows the comma before the new entry.
        Some(newline) => {
            let indent = &last_prefix[newline + 1..];
            let after = format!("{last_suffix}{}", raw(Some(members.trailing())));
            let (before_break, trailing) = match after.rfind('\n') {
                Some(i) => (&after[..i], format!("\n{}", &after[i + 1..])),
                None => (after.as_str(), String::new()),
            };
            item.decor_mut()
                .set_prefix(format!("{before_break}\n{indent}"));
            item.decor_mut().set_suffix("");
            members.push_formatted(item);
            members.set_trailing(trailing);
        }
    }
}

fn raw(text: Option<&toml_edit::RawString>) -> String {
    text.and_then(|t| t.as_str()).unwrap_or_default().to_owned()
}

/// A member crate must not declare `[workspace]` itself, or Cargo refuses to build
/// either of them.
pub(crate) fn drop_nested_workspace(files: &mut [OutputFile], source: &str) -> Result<()> {
    edit_root_manifest(files, source, |doc| doc.remove("workspace").is_some())
}

/// A crate inside a workspace it does not join needs a `[workspace]` of its own, or
/// Cargo refuses it ("current package believes it's in a workspace when it's not").
pub(crate) fn ensure_own_workspace(files: &mut [OutputFile], source: &str) -> Result<()> {
    edit_root_manifest(files, source, |doc| {
        if doc.contains_key("workspace") {
            return false;
        }
        doc.insert("workspace", Item::Table(toml_edit::Table::new()));
        true
    })
}

/// Applies `edit` to the rendered root `Cargo.toml`, if any; `edit` says whether it
/// changed something.
fn edit_root_manifest(
    files: &mut [OutputFile],
    source: &str,
    edit: impl FnOnce(&mut DocumentMut) -> bool,
) -> Result<()> {
    let Some(file) = files.iter_mut().find(|f| f.path == "Cargo.toml") else {
        return Ok(());
    };
    let invalid = |message: String| Error::Render {
        file: format!("{source}/Cargo.toml"),
        line: None,
        message: format!("the rendered Cargo.toml {message}"),
    };
    let text =
        std::str::from_utf8(&file.contents).map_err(|_| invalid("is not UTF-8".to_owned()))?;
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        invalid(format!("is not valid TOML: {}", e.message()))
    })?;
    if edit(&mut doc) {
        file.contents = doc.to_string().into_bytes();
    }
    Ok(())
}

/// Refuses a service name that equals a dependency of the rendered root `Cargo.toml`
/// (any dependency table, target-specific ones included; `-` and `_` are the same):
/// the package's own crate would shadow it and the service would not compile.
pub(crate) fn check_name_clash(files: &[OutputFile], name: &str) -> Result<()> {
    let Some(file) = files.iter().find(|f| f.path == "Cargo.toml") else {
        return Ok(());
    };
    // An unparsable manifest is reported where it is edited, or by Cargo.
    let Some(doc) = std::str::from_utf8(&file.contents)
        .ok()
        .and_then(|text| text.parse::<DocumentMut>().ok())
    else {
        return Ok(());
    };
    let fold = |s: &str| s.replace('-', "_");
    let crate_name = fold(name);
    let mut tables: Vec<&dyn toml_edit::TableLike> = vec![doc.as_table()];
    if let Some(targets) = doc.get("target").and_then(Item::as_table_like) {
        tables.extend(targets.iter().filter_map(|(_, t)| t.as_table_like()));
    }
    const KINDS: &[&str] = &[
        "dependencies",
        "dev-dependencies",
        "dev_dependencies",
        "build-dependencies",
        "build_dependencies",
    ];
    for table in tables {
        for kind in KINDS {
            let Some(deps) = table.get(kind).and_then(Item::as_table_like) else {
                continue;
            };
            for (key, spec) in deps.iter() {
                let package = spec
                    .as_table_like()
                    .and_then(|t| t.get("package"))
                    .and_then(Item::as_str);
                for dependency in std::iter::once(key).chain(package) {
                    if fold(dependency) == crate_name {
                        return Err(Error::NameClash {
                            name: name.to_owned(),
                            dependency: dependency.to_owned(),
                        });
                    }
                }
            }
        }
    }
    Ok(())
}

/// Replaces the workspace manifest through a temporary file beside it, so a crash never
/// leaves it half written.
pub(crate) fn write_manifest(manifest: &Path, text: &str) -> Result<()> {
    let dir = manifest.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".paved-Cargo.toml-")
        .tempfile_in(dir)
        .map_err(|e| Error::io("write", dir, e))?;
    std::io::Write::write_all(&mut temp, text.as_bytes())
        .map_err(|e| Error::io("write", temp.path().to_owned(), e))?;
    if let Ok(metadata) = fs::metadata(manifest) {
        // Keep the original mode; a temp file starts as 0600.
        let _ = fs::set_permissions(temp.path(), metadata.permissions());
    }
    temp.persist(manifest)
        .map_err(|e| Error::io("write", manifest, e.error))?;
    Ok(())
}
