//! UTC timestamps for backup file names, sortable as text:
//! `20261126T054012.345Z`.

use crate::clock::UtcTime;

pub fn now_utc() -> String {
    format_utc(UtcTime::now())
}

pub fn format_utc(t: UtcTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}.{:03}Z",
        t.year,
        t.month,
        t.day,
        t.hour,
        t.minute,
        t.second,
        t.micros / 1000
    )
}

#[cfg(test)]
mod tests {
    use super::format_utc;
    use crate::clock::UtcTime;

    #[test]
    fn formats_sortably() {
        assert_eq!(format_utc(UtcTime::from_unix(0, 0)), "19700101T000000.000Z");
        assert_eq!(
            format_utc(UtcTime::from_unix(1_795_671_612, 345_678)),
            "20261126T054012.345Z"
        );
    }
}
