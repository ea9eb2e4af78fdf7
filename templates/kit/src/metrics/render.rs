//! The Prometheus text exposition format (0.0.4), as metrics-exporter-prometheus
//! wrote it with `with_recommended_naming(true)`: counters end in `_total`, a
//! described unit is appended to the name when missing, histograms have
//! cumulative `_bucket{le=...}` series then `_sum` and `_count`. Metrics are
//! sorted by name and series by labels, so a scrape reads the same every time.

use super::recorder::{Description, Registry, Series};
use metrics::{Key, Unit};
use std::collections::{BTreeMap, HashMap};
use std::fmt::{Display, Write};
use std::sync::PoisonError;
use std::sync::atomic::Ordering;

/// Series by sanitized metric name, each as (rendered labels, value).
type Grouped<V> = BTreeMap<String, Vec<(String, V)>>;

pub(super) fn render(registry: &Registry) -> String {
    let descriptions = registry
        .descriptions
        .read()
        .unwrap_or_else(PoisonError::into_inner);
    let mut out = String::with_capacity(4096);
    let counters = group(&registry.counters, |value| value.load(Ordering::Relaxed));
    for (name, series) in counters {
        let full = family(&mut out, &name, &descriptions, "counter", Some("_total"));
        for (labels, value) in series {
            sample(&mut out, &full, "", &labels, value);
        }
        out.push('\n');
    }
    let gauges = group(&registry.gauges, |value| {
        f64::from_bits(value.load(Ordering::Relaxed))
    });
    for (name, series) in gauges {
        let full = family(&mut out, &name, &descriptions, "gauge", None);
        for (labels, value) in series {
            sample(&mut out, &full, "", &labels, Float(value));
        }
        out.push('\n');
    }
    let histograms = group(&registry.histograms, |buckets| buckets.read());
    for (name, series) in histograms {
        let full = family(&mut out, &name, &descriptions, "histogram", None);
        for (labels, reading) in series {
            let comma = if labels.is_empty() { "" } else { "," };
            for (bound, count) in reading.cumulative {
                let le = format!("{labels}{comma}le=\"{}\"", Float(bound));
                sample(&mut out, &full, "_bucket", &le, count);
            }
            let inf = format!("{labels}{comma}le=\"+Inf\"");
            sample(&mut out, &full, "_bucket", &inf, reading.count);
            sample(&mut out, &full, "_sum", &labels, Float(reading.sum));
            sample(&mut out, &full, "_count", &labels, reading.count);
        }
        out.push('\n');
    }
    out
}

/// Reads every series of one kind, grouped by name, sorted.
fn group<T, V>(series: &Series<T>, read: impl Fn(&T) -> V) -> Grouped<V> {
    let mut grouped: Grouped<V> = BTreeMap::new();
    for (key, value) in series.read().unwrap_or_else(PoisonError::into_inner).iter() {
        grouped
            .entry(sanitize_name(key.name()))
            .or_default()
            .push((labels(key), read(value)));
    }
    for series in grouped.values_mut() {
        series.sort_by(|a, b| a.0.cmp(&b.0));
    }
    grouped
}

/// Writes `# HELP` (when described) and `# TYPE`; returns the exposed name.
fn family(
    out: &mut String,
    name: &str,
    descriptions: &HashMap<String, Description>,
    kind: &str,
    suffix: Option<&str>,
) -> String {
    let description = descriptions.get(name);
    let mut full = name.to_owned();
    if let Some(unit) = description.and_then(|description| description.unit) {
        add_unit(&mut full, unit);
    }
    if let Some(suffix) = suffix.filter(|suffix| !full.ends_with(suffix)) {
        full.push_str(suffix);
    }
    if let Some(description) = description {
        let _ = writeln!(out, "# HELP {full} {}", escape(&description.text, false));
    }
    let _ = writeln!(out, "# TYPE {full} {kind}");
    full
}

fn sample(out: &mut String, name: &str, suffix: &str, labels: &str, value: impl Display) {
    if labels.is_empty() {
        let _ = writeln!(out, "{name}{suffix} {value}");
    } else {
        let _ = writeln!(out, "{name}{suffix}{{{labels}}} {value}");
    }
}

/// `key="value",...` in the key's order.
fn labels(key: &Key) -> String {
    let mut out = String::new();
    for label in key.labels() {
        if !out.is_empty() {
            out.push(',');
        }
        let _ = write!(
            out,
            "{}=\"{}\"",
            sanitize(label.key(), false),
            escape(label.value(), true)
        );
    }
    out
}

/// A unit the name does not already say, before any `_total`-like suffix
/// (`Count` is never added: it is what a counter is).
fn add_unit(name: &mut String, unit: Unit) {
    let unit = match unit {
        Unit::Count => return,
        Unit::Percent => "ratio",
        unit => unit.as_str(),
    };
    let stem_end = ["_sum", "_count", "_bucket", "_total"]
        .iter()
        .find(|suffix| name.ends_with(*suffix))
        .map_or(name.len(), |suffix| name.len() - suffix.len());
    if !name[..stem_end].ends_with(unit) {
        name.insert_str(stem_end, &format!("_{unit}"));
    }
}

pub(super) fn sanitize_name(name: &str) -> String {
    sanitize(name, true)
}

/// Characters a metric name (colons allowed) or label name may not have become `_`.
fn sanitize(name: &str, colons: bool) -> String {
    name.char_indices()
        .map(|(at, c)| {
            let valid = c.is_ascii_alphabetic()
                || c == '_'
                || (colons && c == ':')
                || (at > 0 && c.is_ascii_digit());
            if valid { c } else { '_' }
        })
        .collect()
}

/// Backslash and newline escaped, and double quotes in label values.
fn escape(text: &str, quotes: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '"' if quotes => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out
}

/// A float as Prometheus parses it: `NaN`, `+Inf`, `-Inf`, or plain digits.
struct Float(f64);

impl Display for Float {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            value if value.is_nan() => f.write_str("NaN"),
            f64::INFINITY => f.write_str("+Inf"),
            f64::NEG_INFINITY => f.write_str("-Inf"),
            value => write!(f, "{value}"),
        }
    }
}
