//! Byte offsets to lines and 1-based character columns: the one place that does line
//! maths (TOML spans, fixes, suppression comments).

use crate::diagnostic::Position;

pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset at which each line starts.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let start = self.starts[line];
        let column = self.text[start..offset].chars().count();
        Position::new(line as u32 + 1, column as u32 + 1)
    }

    /// The 0-based line that holds byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line]
    }

    /// Byte offset where 0-based `line` ends, before its line break.
    pub fn line_end(&self, line: usize) -> usize {
        self.starts
            .get(line + 1)
            .map_or(self.text.len(), |&next| next - 1)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset of a position; `None` when it lies outside the text.
    pub fn offset(&self, pos: Position) -> Option<usize> {
        let start = *self.starts.get(pos.line.checked_sub(1)? as usize)?;
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let line = &self.text[start..line_end];
        let skip = pos.column.checked_sub(1)? as usize;
        match line.char_indices().nth(skip) {
            Some((i, _)) => Some(start + i),
            None if line.chars().count() == skip => Some(line_end),
            None => None,
        }
    }
}

const MAX_SNIPPET_LINES: u32 = 8;

/// The lines a snippet of `from..=to` shows (1-based): at most `MAX_SNIPPET_LINES`.
fn snippet_lines(from: u32, to: u32) -> std::ops::RangeInclusive<u32> {
    from..=to.max(from).min(from.saturating_add(MAX_SNIPPET_LINES - 1))
}

/// The source lines `from..=to` (1-based), at most `MAX_SNIPPET_LINES` of them.
pub fn snippet(text: &str, from: u32, to: u32) -> String {
    let lines = snippet_lines(from, to);
    text.lines()
        .skip(from.saturating_sub(1) as usize)
        .take(lines.count())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The lines of a file that a later snippet may show, kept from the one read of the file:
/// crate rules report at ranges that phase 1 recorded (`FileFacts::ranges`), after the
/// file's text is gone, and reading the file again could show what an editor wrote since.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SourceLines {
    /// 1-based line numbers and their text, sorted by line, each line once.
    lines: Vec<(u32, String)>,
}

impl SourceLines {
    /// The lines of `text` that snippets of `ranges` (1-based `(from, to)` lines) show.
    pub fn keep(text: &str, ranges: impl IntoIterator<Item = (u32, u32)>) -> SourceLines {
        let mut wanted: Vec<u32> = ranges
            .into_iter()
            .flat_map(|(from, to)| snippet_lines(from, to))
            .collect();
        if wanted.is_empty() {
            return SourceLines::default();
        }
        wanted.sort_unstable();
        wanted.dedup();
        let mut wanted = wanted.into_iter().peekable();
        let mut lines = Vec::new();
        for (i, line) in (1u32..).zip(text.lines()) {
            let Some(&next) = wanted.peek() else { break };
            if next == i {
                lines.push((i, line.to_string()));
                wanted.next();
            }
        }
        SourceLines { lines }
    }

    /// What `snippet(text, from, to)` returns for the text these lines were kept from,
    /// when `keep` was asked for that range.
    pub fn snippet(&self, from: u32, to: u32) -> String {
        let mut out = Vec::new();
        for n in snippet_lines(from, to) {
            match self.lines.binary_search_by_key(&n, |(line, _)| *line) {
                Ok(i) => out.push(self.lines[i].1.as_str()),
                Err(_) => break,
            }
        }
        out.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "ab\néé x\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(idx.position(x), Position::new(2, 4));
        assert_eq!(idx.offset(Position::new(2, 4)), Some(x));
        assert_eq!(idx.position(0), Position::new(1, 1));
        assert_eq!(idx.offset(Position::new(9, 1)), None);
    }

    #[test]
    fn snippet_takes_the_span_lines() {
        assert_eq!(snippet("a\nb\nc\n", 2, 3), "b\nc");
        assert_eq!(snippet("a\nb\nc\n", 3, 1), "c");
    }

    #[test]
    fn kept_lines_give_the_snippets_of_the_kept_ranges() {
        let text: String = (1..=30).map(|i| format!("line {i}\n")).collect();
        let ranges = [(2, 3), (3, 3), (10, 25), (29, 40), (5, 4)];
        let kept = SourceLines::keep(&text, ranges);
        for (from, to) in ranges {
            assert_eq!(
                kept.snippet(from, to),
                snippet(&text, from, to),
                "{from}..{to}"
            );
        }
        // Only what the snippets show: lines 2-3, 5, 10-17 (eight at most) and 29-30.
        assert_eq!(kept.lines.len(), 2 + 1 + 8 + 2);
        assert_eq!(kept.snippet(7, 7), "", "a line nobody asked for");
        assert_eq!(SourceLines::keep(&text, []), SourceLines::default());
    }
}
