//! A JSON-lines event formatter:
//! `{"timestamp":"...","level":"INFO","target":"...","message":"...",<fields>}`.
//!
//! Every request writes an access line, so this is on the hot path: fields are
//! written as they are visited (tracing-subscriber's JSON format first collects
//! them into a map of owned values), numbers and the timestamp are formatted
//! by hand, and strings are copied whole unless they need escaping.

use crate::clock::UtcTime;
use std::cell::Cell;
use std::fmt::{self, Write as _};
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

pub struct JsonLines;

impl<S, N> FormatEvent<S, N> for JsonLines
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let meta = event.metadata();
        let mut line = LineBuf::new(&mut writer);
        line.write_str("{\"timestamp\":\"")?;
        write_timestamp(&mut line)?;
        line.write_str("\",\"level\":\"")?;
        line.write_str(meta.level().as_str())?;
        line.write_str("\",\"target\":")?;
        write_json_str(&mut line, meta.target())?;
        let mut visitor = FieldWriter {
            line: &mut line,
            result: Ok(()),
        };
        event.record(&mut visitor);
        visitor.result?;
        line.write_str("}\n")?;
        line.flush()
    }
}

/// Collects a line on the stack and passes it on in one piece: many small
/// writes through the formatter's `dyn Write` cost more than the copying.
struct LineBuf<'a, 'w> {
    bytes: [u8; LINE_BUF_BYTES],
    len: usize,
    out: &'a mut Writer<'w>,
}

/// Room for an access-log line; longer lines are passed on in pieces.
const LINE_BUF_BYTES: usize = 512;

impl<'a, 'w> LineBuf<'a, 'w> {
    fn new(out: &'a mut Writer<'w>) -> Self {
        Self {
            bytes: [0; LINE_BUF_BYTES],
            len: 0,
            out,
        }
    }

    fn flush(&mut self) -> fmt::Result {
        // Whole `str`s were copied in, so this is valid UTF-8.
        let text = std::str::from_utf8(&self.bytes[..self.len]).map_err(|_| fmt::Error)?;
        self.out.write_str(text)?;
        self.len = 0;
        Ok(())
    }
}

impl fmt::Write for LineBuf<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.len + s.len() > LINE_BUF_BYTES {
            self.flush()?;
            if s.len() > LINE_BUF_BYTES {
                return self.out.write_str(s);
            }
        }
        self.bytes[self.len..self.len + s.len()].copy_from_slice(s.as_bytes());
        self.len += s.len();
        Ok(())
    }
}

/// Writes each field as `,"name":value`.
struct FieldWriter<'l, 'a, 'w> {
    line: &'l mut LineBuf<'a, 'w>,
    result: fmt::Result,
}

impl<'a, 'w> FieldWriter<'_, 'a, 'w> {
    fn field(&mut self, field: &Field, value: impl FnOnce(&mut LineBuf<'a, 'w>) -> fmt::Result) {
        if self.result.is_ok() {
            // Field names are Rust identifiers (with dots): nothing to escape.
            self.result = self
                .line
                .write_str(",\"")
                .and_then(|()| self.line.write_str(field.name()))
                .and_then(|()| self.line.write_str("\":"))
                .and_then(|()| value(self.line));
        }
    }
}

impl Visit for FieldWriter<'_, '_, '_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.field(field, |w| write_json_str(w, value));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.field(field, |w| {
            if value < 0 {
                w.write_char('-')?;
            }
            write_u64(w, value.unsigned_abs())
        });
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.field(field, |w| write_u64(w, value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.field(field, |w| w.write_str(if value { "true" } else { "false" }));
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.field(field, |w| write_f64(w, value));
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.field(field, |w| {
            w.write_char('"')?;
            write!(Escaped(w), "{value}")?;
            w.write_char('"')
        });
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.field(field, |w| {
            w.write_char('"')?;
            write!(Escaped(w), "{value:?}")?;
            w.write_char('"')
        });
    }
}

thread_local! {
    /// The last second formatted on this thread, and its text
    /// (`2026-11-26T05:40:12`): most events share it with the one before.
    static SECOND: Cell<(u64, [u8; 19])> = const { Cell::new((u64::MAX, [0; 19])) };
}

/// `2026-11-26T05:40:12.345678Z` (UTC, microseconds).
fn write_timestamp(w: &mut impl fmt::Write) -> fmt::Result {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = since_epoch.as_secs();
    let (cached_secs, mut text) = SECOND.get();
    if cached_secs != secs {
        let t = UtcTime::from_unix(secs, 0);
        let year = t.year.clamp(0, 9999) as u32;
        digits(&mut text[0..4], year);
        text[4] = b'-';
        digits(&mut text[5..7], t.month);
        text[7] = b'-';
        digits(&mut text[8..10], t.day);
        text[10] = b'T';
        digits(&mut text[11..13], t.hour);
        text[13] = b':';
        digits(&mut text[14..16], t.minute);
        text[16] = b':';
        digits(&mut text[17..19], t.second);
        SECOND.set((secs, text));
    }
    let mut micros = [0u8; 8];
    micros[0] = b'.';
    digits(&mut micros[1..7], since_epoch.subsec_micros());
    micros[7] = b'Z';
    // Only ASCII digits and punctuation were written.
    w.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)?;
    w.write_str(std::str::from_utf8(&micros).map_err(|_| fmt::Error)?)
}

/// Fills `out` with the last `out.len()` decimal digits of `value`.
fn digits(out: &mut [u8], mut value: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

fn write_u64(w: &mut impl fmt::Write, mut value: u64) -> fmt::Result {
    let mut buf = [0u8; 20];
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    w.write_str(std::str::from_utf8(&buf[start..]).map_err(|_| fmt::Error)?)
}

/// Durations are logged in seconds at microsecond resolution (see the access
/// log); those print without the general float formatting. Other values fall
/// back to it. JSON has no NaN or infinity: they become null.
fn write_f64(w: &mut impl fmt::Write, value: f64) -> fmt::Result {
    if !value.is_finite() {
        return w.write_str("null");
    }
    let micros = (value * 1e6).round();
    let exact = (micros / 1e6 - value).abs() <= value.abs() * f64::EPSILON;
    if exact && (0.0..1e12).contains(&micros) {
        return write_micros_as_seconds(w, micros as u64);
    }
    write!(w, "{value}")
}

/// `1234` -> `0.001234`: seconds with at most six decimals, no float maths.
fn write_micros_as_seconds(w: &mut impl fmt::Write, micros: u64) -> fmt::Result {
    write_u64(w, micros / 1_000_000)?;
    let fraction = (micros % 1_000_000) as u32;
    if fraction != 0 {
        let mut buf = [0u8; 7];
        buf[0] = b'.';
        digits(&mut buf[1..], fraction);
        let len = buf.iter().rposition(|&b| b != b'0').map_or(1, |i| i + 1);
        w.write_str(std::str::from_utf8(&buf[..len]).map_err(|_| fmt::Error)?)?;
    }
    Ok(())
}

fn write_json_str(w: &mut impl fmt::Write, value: &str) -> fmt::Result {
    w.write_char('"')?;
    Escaped(&mut *w).write_str(value)?;
    w.write_char('"')
}

/// Escapes what it is given for the inside of a JSON string.
struct Escaped<'a, W: fmt::Write + ?Sized>(&'a mut W);

impl<W: fmt::Write + ?Sized> fmt::Write for Escaped<'_, W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let needs_escape = |byte: u8| byte < 0x20 || byte == b'"' || byte == b'\\';
        if !s.bytes().any(needs_escape) {
            return self.0.write_str(s);
        }
        let mut start = 0;
        for (i, byte) in s.bytes().enumerate() {
            if !needs_escape(byte) {
                continue;
            }
            self.0.write_str(&s[start..i])?;
            match byte {
                b'"' => self.0.write_str("\\\"")?,
                b'\\' => self.0.write_str("\\\\")?,
                b'\n' => self.0.write_str("\\n")?,
                b'\r' => self.0.write_str("\\r")?,
                b'\t' => self.0.write_str("\\t")?,
                _ => write!(self.0, "\\u{byte:04x}")?,
            }
            start = i + 1;
        }
        self.0.write_str(&s[start..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(s: &str) -> String {
        let mut out = String::new();
        write_json_str(&mut out, s).unwrap();
        out
    }

    fn float(value: f64) -> String {
        let mut out = String::new();
        write_f64(&mut out, value).unwrap();
        out
    }

    #[test]
    fn escapes_json_specials() {
        assert_eq!(escaped("plain"), r#""plain""#);
        assert_eq!(escaped("a\"b\\c\nd\u{1}"), r#""a\"b\\c\nd\u0001""#);
        assert_eq!(escaped("é✓"), "\"é✓\"");
    }

    #[test]
    fn formats_numbers() {
        let mut out = String::new();
        write_u64(&mut out, 0).unwrap();
        write_u64(&mut out, 18_446_744_073_709_551_615).unwrap();
        assert_eq!(out, "018446744073709551615");
        assert_eq!(float(0.000034), "0.000034");
        assert_eq!(float(1.5), "1.5");
        assert_eq!(float(2.0), "2");
        assert_eq!(float(1.0e-9), "0.000000001");
        assert_eq!(float(-0.25), "-0.25");
        assert_eq!(float(f64::NAN), "null");
    }

    #[test]
    fn timestamp_is_rfc3339_utc() {
        let mut out = String::new();
        write_timestamp(&mut out).unwrap();
        let bytes = out.as_bytes();
        assert_eq!(out.len(), 27, "{out}");
        assert_eq!(
            (bytes[4], bytes[10], bytes[19], bytes[26]),
            (b'-', b'T', b'.', b'Z')
        );
    }
}
