//! Value types of the configuration that the TOML types alone would let
//! through wrongly: a log level nobody knows (which tracing would take as a
//! target name and then log nothing), and a fraction where a count belongs.

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;
use std::marker::PhantomData;

const LEVELS: [&str; 6] = ["trace", "debug", "info", "warn", "error", "off"];

/// `level` or `level,target=level,...` with every level one of [`LEVELS`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct LogLevel(String);

impl LogLevel {
    /// Checks `filter`; the error says which part is wrong.
    pub fn parse(filter: &str) -> Result<Self, String> {
        for directive in filter.split(',').map(str::trim) {
            let level = match directive.split_once('=') {
                Some((target, level)) if !target.trim().is_empty() => level,
                Some(_) => return Err(format!("{directive:?} names no target")),
                None => directive,
            };
            if !LEVELS.contains(&level.trim().to_ascii_lowercase().as_str()) {
                return Err(format!(
                    "{level:?} is not a level (one of {})",
                    LEVELS.join(", ")
                ));
            }
        }
        Ok(Self(filter.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for LogLevel {
    type Error = String;

    fn try_from(filter: String) -> Result<Self, String> {
        Self::parse(&filter)
    }
}

impl PartialEq<&str> for LogLevel {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// Deserializes a count or a duration: a whole number that fits `T`.
/// `keep = 7.5` is refused instead of silently becoming 7.
pub fn whole_number<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<u64>,
{
    deserializer.deserialize_any(WholeNumber(PhantomData))
}

struct WholeNumber<T>(PhantomData<T>);

impl<T: TryFrom<u64>> WholeNumber<T> {
    fn fit<E: de::Error>(value: u64) -> Result<T, E> {
        T::try_from(value).map_err(|_| E::custom(format!("{value} is out of range")))
    }
}

impl<T: TryFrom<u64>> Visitor<'_> for WholeNumber<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number")
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        Self::fit(value)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        let value = u64::try_from(value)
            .map_err(|_| E::custom(format!("{value} is negative, expected a whole number")))?;
        Self::fit(value)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<T, E> {
        Err(E::custom(format!("{value} is not a whole number")))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        let number = value
            .trim()
            .parse::<u64>()
            .map_err(|_| E::custom(format!("{value:?} is not a whole number")))?;
        Self::fit(number)
    }
}

#[cfg(test)]
mod tests {
    use super::LogLevel;

    #[test]
    fn levels_are_checked() {
        assert!(LogLevel::parse("info").is_ok());
        assert!(LogLevel::parse("WARN,my_crate=debug, access=off").is_ok());
        assert!(LogLevel::parse("warning").is_err());
        assert!(LogLevel::parse("verbose").is_err());
        assert!(LogLevel::parse("info,=debug").is_err());
        assert!(LogLevel::parse("info,hyper=loud").is_err());
    }
}
