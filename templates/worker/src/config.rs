//! The worker's settings: the kit's sections plus its own (`[jobs]`), read by
//! `paved_kit::config` from `config/default.toml`, `config/$APP_ENV.toml` and
//! `APP__SECTION__KEY` variables. Unknown keys are refused.

use paved_kit::config::{self as kit, ConfigError, whole_number};
use paved_kit::worker::{Admin, Broker, Consumer, Sections};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub broker: Broker,
    pub consumer: Consumer,
    pub admin: Admin,
    pub log: kit::Log,
    pub jobs: Jobs,
}

/// `[jobs]`: this worker's own settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Jobs {
    /// A job asking for more items than this is refused for good.
    #[serde(deserialize_with = "whole_number")]
    pub max_items: usize,
}

impl Settings {
    /// What the kit's worker runtime reads.
    pub fn sections(&self) -> Sections<'_> {
        Sections {
            broker: &self.broker,
            consumer: &self.consumer,
            admin: &self.admin,
        }
    }
}

impl kit::Settings for Settings {
    fn log(&self) -> &kit::Log {
        &self.log
    }

    /// Each message names its key.
    fn validate(&self) -> Result<(), ConfigError> {
        self.broker.validate()?;
        self.consumer.validate()?;
        self.admin.validate()?;
        if self.jobs.max_items == 0 {
            return Err(ConfigError::key("jobs.max_items", "must be at least 1"));
        }
        Ok(())
    }
}
