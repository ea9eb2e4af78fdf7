//! `paved talk [RULE|GROUP|all]`: a slide deck about the house idioms, one HTML file.

use clap::Args;
use paved_lints::LintOptions;
use paved_present::talk::{self, Selection};
use std::path::PathBuf;
use std::process::ExitCode;

/// The long help of `paved talk --help`.
pub const LONG_ABOUT: &str = "Builds a slide deck about the house idioms from the rules' own documentation: \
per idiom, why it matters at 3am, the drifting code and the house code side by side, the \
finding paved prints for it and what --fix changes. The examples are linted (and fixed) while \
the deck is built, so the slides show what this paved prints.\n\n\
The deck is one HTML file with its styles and script inline: it needs no network. Keys: \
→/Space next, ← back, Home/End, n speaker notes; print it for a PDF.";

pub const EXAMPLES: &str = "Examples:\n  paved talk logging -o slides/\n  paved talk all --from services/ -o slides/\n  paved talk print-logging -o -";

#[derive(Debug, Args)]
pub struct TalkArgs {
    /// A rule (`print-logging`), a group (`logging`) or `all`
    #[arg(default_value = "all")]
    pub topic: String,

    /// Folder to write the deck into (as talk-TOPIC.html); `-` prints it on stdout
    #[arg(short, long, value_name = "DIR", default_value = ".")]
    pub output: PathBuf,

    /// Lint this repository too and add "where we stand": findings per idiom, a few locations
    #[arg(long, value_name = "PATH")]
    pub from: Option<PathBuf>,
}

pub fn run(args: TalkArgs) -> ExitCode {
    let Some(selection) = Selection::parse(&args.topic) else {
        let hint = match paved_lints::config::closest_name(&args.topic.to_ascii_lowercase()) {
            Some(n) => format!("did you mean `{n}`? `paved rules` lists every rule and group"),
            None => "pass `all`, a group or a rule; `paved rules` lists them".to_string(),
        };
        return super::fail(
            &format!("unknown rule or group `{}`", args.topic),
            Some(&hint),
        );
    };
    // The examples are linted while --from is: the two do not depend on each other.
    let (prepared, standing) = std::thread::scope(|scope| {
        let deck = scope.spawn(|| talk::prepare(selection));
        let standing = args.from.as_ref().map(|path| {
            let options = LintOptions {
                paths: vec![path.clone()],
                ..LintOptions::default()
            };
            paved_lints::lint(&options)
                .map(|report| talk::standing(&report, path, &selection.rules()))
                .map_err(|e| (path, e))
        });
        let deck = deck
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (deck, standing)
    });
    let standing = match standing {
        None => None,
        Some(Ok(standing)) => Some(standing),
        Some(Err((path, e))) => {
            return super::fail(
                &format!("cannot lint `{}` for --from: {e}", path.display()),
                Some("pass a crate, workspace or monorepo folder"),
            );
        }
    };
    let html = match prepared.and_then(|p| talk::render(p, standing.as_ref())) {
        Ok(html) => html,
        Err(e) => return super::fail(&e.to_string(), None),
    };
    super::write_output(
        &args.output,
        &format!("talk-{}.html", selection.label()),
        &html,
    )
}
