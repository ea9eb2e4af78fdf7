//! How a service is run when no systemd unit says it: a container image or a platform's
//! process file (`Dockerfile`, `Procfile`, `docker-compose.yml`) that starts its program.

use std::path::{Path, PathBuf};

/// The container or platform file that runs the crate at `root`: one in the crate's own
/// folder (or its `docker/`), or one above it that starts one of `programs` (the package
/// and its binaries) by path or name: `COPY .. /target/release/triagebot ..`,
/// `cargo build --bin appflowy_worker`, `web: ./target/release/crates-io server`.
pub fn container_for(files: &[PathBuf], root: &Path, programs: &[&str]) -> Option<PathBuf> {
    files
        .iter()
        .find(|f| {
            let Some(dir) = f.parent() else { return false };
            let own = dir == root || dir == root.join("docker");
            let above = root.starts_with(dir) || root.starts_with(dir.parent().unwrap_or(dir));
            own || above && starts_a_program(f, programs)
        })
        .cloned()
}

fn starts_a_program(file: &Path, programs: &[&str]) -> bool {
    let Ok(text) = std::fs::read_to_string(file) else {
        return false;
    };
    programs
        .iter()
        .filter(|p| p.len() >= 4)
        .any(|p| names_program(&text, p))
}

/// `/name`, `--bin name`, `--bin=name` with nothing of a longer name after it.
fn names_program(text: &str, program: &str) -> bool {
    ["/", "--bin ", "--bin="].iter().any(|before| {
        let needle = format!("{before}{program}");
        text.match_indices(&needle).any(|(at, _)| {
            let after = text[at + needle.len()..].chars().next();
            !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        })
    })
}

#[cfg(test)]
mod tests {
    use super::names_program;

    #[test]
    fn programs_started_by_a_container_file() {
        assert!(names_program(
            "COPY --from=builder /target/release/triagebot /usr/local/bin/",
            "triagebot"
        ));
        assert!(names_program(
            "RUN cargo build --release --bin appflowy_worker; \\",
            "appflowy_worker"
        ));
        assert!(names_program(
            "web: ./target/release/crates-io server",
            "crates-io"
        ));
        assert!(!names_program(
            "COPY /target/release/triagebot-cli /bin/",
            "triagebot"
        ));
        assert!(!names_program("RUN cargo build --bin other", "triagebot"));
    }
}
