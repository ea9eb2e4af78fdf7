//! The subcommands: `run` and `replay`.

use crate::config::Settings;
use crate::handler::JobHandler;
use paved_kit::commands::{self as kit, CommandError};
use paved_kit::worker;

/// `run`: consume until told to stop, then drain.
pub fn run(settings: &Settings) -> Result<(), CommandError> {
    let handler = JobHandler::new(&settings.jobs);
    kit::runtime()?.block_on(worker::run(handler, settings.sections()))
}

/// `replay`: the dead letters back onto their subjects, oldest first.
pub fn replay(settings: &Settings, limit: Option<usize>) -> Result<(), CommandError> {
    let sections = settings.sections();
    let replayed =
        kit::runtime()?.block_on(worker::replay(sections.broker, sections.consumer, limit))?;
    tracing::info!(replayed, "dead letters replayed");
    Ok(())
}
