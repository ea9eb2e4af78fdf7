use crate::context::CrateCx;
use crate::diagnostic::Position;
use crate::rule::Rule;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::Path;

/// The checksums `paved new` records beside the house kit's files (`sha256sum` format).
const CHECKSUMS_FILE: &str = ".paved-kit.sha256";

crate::declare_rule! {
    /// ## What it does
    /// Flags local edits to the house kit, the crate `paved new` writes once per repository
    /// (`paved.toml`'s `[kit] path`, `kit/` by default) and every service depends on. paved
    /// records the SHA-256 of each kit file in `.paved-kit.sha256` beside them when it
    /// writes them; a crate with that file is checked against it. Each file whose content
    /// differs is reported at its first line, each recorded file that is gone at its line
    /// of `.paved-kit.sha256`.
    ///
    /// ## Why
    /// The kit is the platform, shared by every service: the envelope, the middleware, the
    /// logging, the serving and draining, the backups. A fix made in one repository's copy
    /// never reaches the others, and the next kit upgrade either loses it or cannot be
    /// applied. Fixes go upstream (`templates/kit` in the paved repository) and come back
    /// to every service with the upgrade. To keep a local change on purpose, allow the
    /// rule for the kit's path in `paved.toml` and say why.
    ///
    /// ## Example
    /// ```toml
    /// [package]
    /// name = "paved-kit"
    /// version = "0.1.0"
    /// edition = "2024"
    /// ```
    ///
    /// ```rust
    /// fn main() {
    ///     // a quick fix, made here instead of upstream
    /// }
    /// ```
    ///
    /// ```text,file=.paved-kit.sha256
    /// 536e506bb90914c243a12b397b9a998f85ae2cbd9ba02dfd03a9e155ca5ca0f4  src/main.rs
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [package]
    /// name = "paved-kit"
    /// version = "0.1.0"
    /// edition = "2024"
    /// ```
    ///
    /// ```rust
    /// fn main() {}
    /// ```
    ///
    /// ```text,file=.paved-kit.sha256
    /// 536e506bb90914c243a12b397b9a998f85ae2cbd9ba02dfd03a9e155ca5ca0f4  src/main.rs
    /// ```
    pub struct KitModified {
        name: "kit-modified",
        group: Meta,
        level: Deny,
        scope: Crate,
        summary: "a file of the house kit differs from what paved wrote",
        roles: [Service, Worker, Cli, Library, Client, Bench, Example, TestSupport, Build, Vendored],
    }
}

impl Rule for KitModified {
    fn check_crate(&self, cx: &mut CrateCx) {
        let root = cx.krate.root.clone();
        let sums_path = root.join(CHECKSUMS_FILE);
        let Ok(sums) = std::fs::read_to_string(&sums_path) else {
            return;
        };
        for (index, line) in sums.lines().enumerate() {
            let Some((expected, file)) = line.split_once("  ") else {
                continue;
            };
            let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
            match std::fs::read(root.join(file)) {
                Ok(bytes) if sha256_hex(&bytes) == expected.trim() => {}
                Ok(bytes) => report_edit(cx, &root.join(file), &bytes, file),
                Err(_) => {
                    let width = u32::try_from(line.chars().count()).unwrap_or(1);
                    cx.report_at(
                        &sums_path,
                        Some(&sums),
                        Position::new(line_no, 1),
                        Position::new(line_no, width + 1),
                        format!("the house kit's `{file}` is gone"),
                    )
                    .help(help());
                }
            }
        }
    }
}

fn report_edit(cx: &mut CrateCx, path: &Path, bytes: &[u8], file: &str) {
    let text = String::from_utf8_lossy(bytes);
    let width = text
        .lines()
        .next()
        .map_or(1, |l| u32::try_from(l.chars().count()).unwrap_or(1));
    cx.report_at(
        path,
        Some(&text),
        Position::new(1, 1),
        Position::new(1, width.max(1) + 1),
        format!("the house kit's `{file}` was edited: it differs from what paved wrote"),
    )
    .help(help());
}

fn help() -> &'static str {
    "the kit is shared and managed by paved: restore the file (`git checkout`), and send the fix upstream to templates/kit in the paved repository"
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
