//! What happens to one file in an upgrade, given the base (the recorded version rendered
//! with the recorded answers), theirs (the new version) and ours (the service's file), and
//! the file's policy.

use crate::manifest::Policy;

/// The decision for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Nothing to do.
    Keep,
    /// The template changed a file the service did not: take theirs.
    Take(Vec<u8>),
    /// The template added the file.
    Add(Vec<u8>),
    /// Both changed it in different places: the merge.
    Merged(Vec<u8>),
    /// Both changed the same lines: the merge with conflict markers.
    Conflict(Vec<u8>),
    /// A managed file the service edited: overwritten with theirs.
    Overwrite(Vec<u8>),
    /// The template removed a file the service never changed.
    Remove,
    /// Kept although the template would change or remove it; the reason.
    Skip(&'static str),
}

/// Decides the fate of one file.
pub(crate) fn decide(
    policy: Policy,
    base: Option<&[u8]>,
    theirs: Option<&[u8]>,
    ours: Option<&[u8]>,
) -> Outcome {
    match (base, theirs, ours) {
        (_, _, Some(_)) if policy == Policy::Seeded => Outcome::Keep,
        (_, None, None) => Outcome::Keep,
        (None, Some(theirs), None) => Outcome::Add(theirs.to_vec()),
        (Some(base), Some(theirs), None) => {
            if base == theirs || policy == Policy::Seeded {
                Outcome::Keep
            } else if policy == Policy::Managed {
                Outcome::Add(theirs.to_vec())
            } else {
                Outcome::Skip("the service deleted it; the template changed it")
            }
        }
        (base, None, Some(ours)) => match base {
            Some(base) if base == ours => Outcome::Remove,
            Some(_) => Outcome::Skip("the template removed it; the service changed it"),
            // Neither the old nor the new version has it: not the template's file.
            None => Outcome::Keep,
        },
        (base, Some(theirs), Some(ours)) => {
            if ours == theirs || base == Some(theirs) {
                return Outcome::Keep;
            }
            if policy == Policy::Managed {
                return if base == Some(ours) {
                    Outcome::Take(theirs.to_vec())
                } else {
                    Outcome::Overwrite(theirs.to_vec())
                };
            }
            if base == Some(ours) {
                return Outcome::Take(theirs.to_vec());
            }
            match three_way(base.unwrap_or_default(), ours, theirs) {
                Ok(merged) if merged == ours => Outcome::Keep,
                Ok(merged) => Outcome::Merged(merged),
                Err(conflicted) => Outcome::Conflict(conflicted),
            }
        }
    }
}

/// git-style three-way merge (`<<<<<<< ours` / `=======` / `>>>>>>> theirs`).
fn three_way(base: &[u8], ours: &[u8], theirs: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    let mut options = diffy::MergeOptions::new();
    options
        .set_conflict_style(diffy::ConflictStyle::Merge)
        .set_incomplete_hunk_style(diffy::IncompleteHunkStyle::Git);
    options.merge_bytes(base, ours, theirs)
}

/// Whether `text` still holds a conflict marker line of a merge.
pub fn has_conflict_markers(text: &[u8]) -> bool {
    text.split(|&b| b == b'\n').any(|line| {
        line.starts_with(b"<<<<<<< ")
            || line.starts_with(b">>>>>>> ")
            || line == b"======="
            || line == b"=======\r"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &[u8] = b"one\ntwo\nthree\nfour\nfive\n";

    #[test]
    fn template_change_to_untouched_file_is_taken() {
        let theirs = b"one\nTWO\nthree\nfour\nfive\n";
        let outcome = decide(Policy::Merged, Some(BASE), Some(theirs), Some(BASE));
        assert_eq!(outcome, Outcome::Take(theirs.to_vec()));
    }

    #[test]
    fn changes_to_different_lines_merge_cleanly() {
        let theirs = b"one\nTWO\nthree\nfour\nfive\n";
        let ours = b"one\ntwo\nthree\nfour\nFIVE\n";
        let outcome = decide(Policy::Merged, Some(BASE), Some(theirs), Some(ours));
        assert_eq!(
            outcome,
            Outcome::Merged(b"one\nTWO\nthree\nfour\nFIVE\n".to_vec())
        );
    }

    #[test]
    fn changes_to_the_same_line_conflict_with_git_markers() {
        let theirs = b"one\nTWO\nthree\nfour\nfive\n";
        let ours = b"one\nDeux\nthree\nfour\nfive\n";
        let Outcome::Conflict(text) = decide(Policy::Merged, Some(BASE), Some(theirs), Some(ours))
        else {
            panic!("expected a conflict");
        };
        let text = String::from_utf8(text).unwrap();
        assert_eq!(
            text,
            "one\n<<<<<<< ours\nDeux\n=======\nTWO\n>>>>>>> theirs\nthree\nfour\nfive\n"
        );
        assert!(has_conflict_markers(text.as_bytes()));
        assert!(!has_conflict_markers(BASE));
    }

    #[test]
    fn policies_decide_for_edited_files() {
        let theirs = b"new\n";
        let ours = b"local\n";
        assert_eq!(
            decide(Policy::Managed, Some(BASE), Some(theirs), Some(ours)),
            Outcome::Overwrite(theirs.to_vec())
        );
        assert_eq!(
            decide(Policy::Seeded, Some(BASE), Some(theirs), Some(ours)),
            Outcome::Keep
        );
        assert_eq!(
            decide(Policy::Seeded, None, Some(theirs), None),
            Outcome::Add(theirs.to_vec())
        );
    }

    #[test]
    fn removed_files_go_only_when_unchanged() {
        assert_eq!(
            decide(Policy::Merged, Some(BASE), None, Some(BASE)),
            Outcome::Remove
        );
        assert!(matches!(
            decide(Policy::Merged, Some(BASE), None, Some(b"edited\n")),
            Outcome::Skip(_)
        ));
    }
}
