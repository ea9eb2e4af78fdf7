//! UTC calendar time from the system clock, without a date-time crate: log
//! timestamps and backup file names need nothing more.

/// A UTC instant broken into calendar fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub micros: u32,
}

impl UtcTime {
    #[cfg(feature = "sqlite")]
    pub fn now() -> Self {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Self::from_unix(since_epoch.as_secs(), since_epoch.subsec_micros())
    }

    pub fn from_unix(secs: u64, micros: u32) -> Self {
        let (year, month, day) = civil_from_days((secs / 86_400) as i64);
        let rem = (secs % 86_400) as u32;
        Self {
            year,
            month,
            day,
            hour: rem / 3600,
            minute: rem / 60 % 60,
            second: rem % 60,
            micros,
        }
    }
}

/// Days since 1970-01-01 to (year, month, day): Howard Hinnant's
/// `civil_from_days`, exact for the proleptic Gregorian calendar.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::UtcTime;

    #[test]
    fn known_instants() {
        let epoch = UtcTime::from_unix(0, 0);
        assert_eq!(
            (epoch.year, epoch.month, epoch.day, epoch.hour),
            (1970, 1, 1, 0)
        );
        let leap_day = UtcTime::from_unix(951_782_400, 7);
        assert_eq!((leap_day.year, leap_day.month, leap_day.day), (2000, 2, 29));
        let t = UtcTime::from_unix(1_795_671_612, 345_678);
        assert_eq!(
            (t.year, t.month, t.day, t.hour, t.minute, t.second, t.micros),
            (2026, 11, 26, 5, 40, 12, 345_678)
        );
    }
}
