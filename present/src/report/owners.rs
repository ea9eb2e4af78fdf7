//! Owners of a folder from CODEOWNERS: the repository's (`.github/`, the root or `docs/`,
//! the places GitHub reads, in its order), else the service's own file (`paved new` writes
//! one per service). As on GitHub, the last matching pattern wins.

use ignore::gitignore::GitignoreBuilder;
use std::path::{Path, PathBuf};

const PLACES: [&str; 3] = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/// One CODEOWNERS file: (matcher, owners) per rule line, in file order.
pub struct CodeOwners {
    root: PathBuf,
    rules: Vec<(ignore::gitignore::Gitignore, Vec<String>)>,
}

impl CodeOwners {
    /// The repository's CODEOWNERS under `root`, if it has one.
    pub fn of_repository(root: &Path) -> Option<CodeOwners> {
        PLACES
            .iter()
            .find_map(|p| std::fs::read_to_string(root.join(p)).ok())
            .map(|text| CodeOwners::parse(root, &text))
    }

    /// A folder's own CODEOWNERS file, if any.
    pub fn of_folder(folder: &Path) -> Option<CodeOwners> {
        let text = std::fs::read_to_string(folder.join("CODEOWNERS")).ok()?;
        Some(CodeOwners::parse(folder, &text))
    }

    pub fn parse(root: &Path, text: &str) -> CodeOwners {
        let rules = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|line| {
                let mut words = line.split_whitespace();
                let pattern = words.next()?;
                let owners: Vec<String> = words
                    .take_while(|w| !w.starts_with('#'))
                    .map(String::from)
                    .collect();
                let mut builder = GitignoreBuilder::new(root);
                // A pattern GitHub would reject is skipped, as GitHub skips it.
                builder.add_line(None, pattern).ok()?;
                Some((builder.build().ok()?, owners))
            })
            .collect();
        CodeOwners {
            root: root.to_path_buf(),
            rules,
        }
    }

    /// The owners of `folder` (a crate root under this file's root): the last rule that
    /// matches its `Cargo.toml` or a folder above it. `None` when no rule matches.
    pub fn owners_of(&self, folder: &Path) -> Option<Vec<String>> {
        let rel = folder.strip_prefix(&self.root).unwrap_or(folder);
        let probe = rel.join("Cargo.toml");
        self.rules
            .iter()
            .rev()
            .find(|(m, _)| m.matched_path_or_any_parents(&probe, false).is_ignore())
            .map(|(_, owners)| owners.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_match_wins_and_folders_match_their_files() {
        let root = Path::new("/repo");
        let owners = CodeOwners::parse(
            root,
            "# comment\n* @platform\n/services/billing/ @billing @finance\nservices/search/** @search # inline\n/services/empty/\n",
        );
        let of = |p: &str| owners.owners_of(&root.join(p));
        assert_eq!(of("services/other"), Some(vec!["@platform".to_string()]));
        assert_eq!(
            of("services/billing"),
            Some(vec!["@billing".to_string(), "@finance".to_string()])
        );
        assert_eq!(of("services/search"), Some(vec!["@search".to_string()]));
        // A pattern without owners un-owns the path, as on GitHub.
        assert_eq!(of("services/empty"), Some(vec![]));
    }

    #[test]
    fn no_match_is_none() {
        let owners = CodeOwners::parse(Path::new("/r"), "/docs/ @writers\n");
        assert_eq!(owners.owners_of(Path::new("/r/services/a")), None);
    }
}
