//! `paved new`: collects the name and answers (flags, `--define`, prompts), calls the
//! generator, and reports what it made.

mod prompt;
mod report;

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use paved_generator::{GenerateRequest, Template, Vcs};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  paved new notes-api\n  paved new notes-api --yes --storage none --port 9000\n  paved new billing --dest services/billing --template ../our-template"
)]
pub struct NewArgs {
    /// Name of the service, a valid crate name such as `notes-api`
    pub name: String,

    /// Folder to create [default: ./NAME]
    #[arg(long, value_name = "DIR")]
    pub dest: Option<PathBuf>,

    /// One-line description of the service
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,

    /// Owning team for CODEOWNERS, e.g. @platform-team
    #[arg(long, value_name = "TEAM")]
    pub owner: Option<String>,

    /// Storage backend: sqlite or none
    #[arg(long, value_name = "STORAGE")]
    pub storage: Option<String>,

    /// Port the service listens on
    #[arg(long, value_name = "PORT")]
    pub port: Option<String>,

    /// Answer any template variable; repeatable
    #[arg(short = 'd', long = "define", value_name = "KEY=VALUE")]
    pub define: Vec<String>,

    /// Render the template in DIR (a fork of templates/service) instead of a built-in one
    #[arg(long, value_name = "DIR", conflicts_with = "kind")]
    pub template: Option<PathBuf>,

    /// Built-in template to render [default: service]
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,

    /// Take the default for every variable not given; never prompt
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Version control for the new service [default: git when git is installed]
    #[arg(long, value_enum, value_name = "VCS")]
    pub vcs: Option<VcsArg>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum VcsArg {
    /// `git init` and an initial commit (skipped inside an existing work tree)
    Git,
    /// No version control
    None,
}

/// An error with the line that tells the user what to do about it.
struct Failure {
    message: String,
    hint: String,
}

impl From<paved_generator::Error> for Failure {
    fn from(error: paved_generator::Error) -> Self {
        let hint = report::hint(&error);
        Failure {
            message: error.to_string(),
            hint,
        }
    }
}

pub fn run(args: NewArgs) -> ExitCode {
    match new(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let mut stderr = anstream::stderr();
            report::failure(&mut stderr, &failure.message, &failure.hint);
            ExitCode::from(super::EXIT_FAILURE)
        }
    }
}

fn new(args: NewArgs) -> Result<(), Failure> {
    // Cheap checks first, so nobody answers questions for a run that cannot succeed.
    paved_generator::validate_name(&args.name)?;
    let dest = args
        .dest
        .clone()
        .unwrap_or_else(|| PathBuf::from(&args.name));
    paved_generator::check_destination(&dest)?;

    let template = match &args.template {
        Some(dir) => Template::from_dir(dir)?,
        None => Template::embedded(
            args.kind
                .as_deref()
                .unwrap_or(paved_generator::DEFAULT_KIND),
        )?,
    };
    let mut answers = given_answers(&args)?;
    paved_generator::check_answers(&template, &answers)?;

    if !args.yes && std::io::stdin().is_terminal() {
        prompt::ask_missing(&template, &mut answers)?;
    }

    let vcs = match args.vcs {
        Some(VcsArg::Git) => Vcs::Git,
        Some(VcsArg::None) => Vcs::None,
        None => Vcs::detect(),
    };
    let request = GenerateRequest {
        name: args.name.clone(),
        dest,
        answers,
        vcs,
    };
    let generated = paved_generator::generate(&template, &request)?;
    report::success(&mut anstream::stdout(), &template, &generated);
    Ok(())
}

/// The answers given on the command line: the named flags and every `--define`.
fn given_answers(args: &NewArgs) -> Result<BTreeMap<String, String>, Failure> {
    let mut answers = BTreeMap::new();
    let flags = [
        ("description", &args.description),
        ("owner", &args.owner),
        ("storage", &args.storage),
        ("port", &args.port),
    ];
    for (key, value) in flags {
        if let Some(value) = value {
            answers.insert(key.to_owned(), value.clone());
        }
    }
    for define in &args.define {
        let Some((key, value)) = define.split_once('=') else {
            return Err(Failure {
                message: format!("`--define {define}` is not of the form KEY=VALUE"),
                hint: "for example `--define port=9000`".to_owned(),
            });
        };
        let key = key.trim();
        if let Some(previous) = answers.insert(key.to_owned(), value.to_owned())
            && previous != value
        {
            return Err(Failure {
                message: format!("`{key}` is given twice, as `{previous}` and as `{value}`"),
                hint: "give each variable once".to_owned(),
            });
        }
    }
    Ok(answers)
}
