//! `paved lint --fix / --unsafe-fixes / --diff`: applying the fixes findings carry.

use clap::Args;

#[derive(Debug, Args, Default)]
pub struct FixArgs {}
