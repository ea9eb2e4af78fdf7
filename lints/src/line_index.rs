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

/// The source lines `from..=to` (1-based), at most `MAX_SNIPPET_LINES` of them.
pub fn snippet(text: &str, from: u32, to: u32) -> String {
    const MAX_SNIPPET_LINES: u32 = 8;
    let to = to.max(from).min(from + MAX_SNIPPET_LINES - 1);
    text.lines()
        .skip(from.saturating_sub(1) as usize)
        .take((to - from + 1) as usize)
        .collect::<Vec<_>>()
        .join("\n")
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
}
