//! The comments of a file, found by lexing it: what is inside a string, a raw string, a
//! char literal or another comment is never a comment. `syn` and `proc-macro2` drop
//! ordinary comments, so suppression comments (docs/idioms.md "Suppressions") are read from
//! here. One linear pass over the bytes; it never fails (unterminated literals or comments
//! run to the end of the text).

/// What kind of comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentKind {
    /// `// ..` in Rust, `# ..` in TOML.
    Line,
    /// `/* .. */` (nested ones included).
    Block,
    /// `///`, `//!`, `/** */`, `/*! */`: documentation, which rustdoc renders.
    Doc,
}

/// One comment: byte offsets into the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    pub kind: CommentKind,
    /// Where the comment marker starts.
    pub start: usize,
    /// Just after the comment (the end of the line for line comments, after `*/`).
    pub end: usize,
    /// The text between the markers (after `//`/`#`, between `/*` and `*/`).
    pub body: (usize, usize),
}

impl Comment {
    pub fn body<'t>(&self, text: &'t str) -> &'t str {
        &text[self.body.0..self.body.1]
    }
}

/// The comments of Rust source text.
pub fn rust(text: &str) -> Vec<Comment> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = line_end(b, i);
                let doc = matches!(b.get(i + 2), Some(b'!'))
                    || (b.get(i + 2) == Some(&b'/') && b.get(i + 3) != Some(&b'/'));
                out.push(Comment {
                    kind: if doc {
                        CommentKind::Doc
                    } else {
                        CommentKind::Line
                    },
                    start: i,
                    end,
                    body: (i + 2, end),
                });
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = block_comment_end(b, i);
                let body_end = if b[..end].ends_with(b"*/") && end >= i + 4 {
                    end - 2
                } else {
                    end
                };
                let doc = matches!(b.get(i + 2), Some(b'!'))
                    || (b.get(i + 2) == Some(&b'*')
                        && !matches!(b.get(i + 3), Some(b'*') | Some(b'/')));
                out.push(Comment {
                    kind: if doc {
                        CommentKind::Doc
                    } else {
                        CommentKind::Block
                    },
                    start: i,
                    end,
                    body: (i + 2, body_end.max(i + 2)),
                });
                i = end;
            }
            b'"' => i = quoted_end(b, i + 1, b'"'),
            b'\'' => i = char_or_lifetime_end(text, i),
            c if c == b'_' || c.is_ascii_alphanumeric() || c >= 0x80 => i = word_end(b, i),
            _ => i += 1,
        }
    }
    out
}

/// The comments of TOML text: `#` outside strings (basic, literal, and their multi-line
/// forms).
pub fn toml(text: &str) -> Vec<Comment> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                let end = line_end(b, i);
                out.push(Comment {
                    kind: CommentKind::Line,
                    start: i,
                    end,
                    body: (i + 1, end),
                });
                i = end;
            }
            q @ (b'"' | b'\'') if b[i..].starts_with(&[q, q, q]) => {
                i = multiline_end(b, i + 3, q);
            }
            b'"' => i = quoted_end(b, i + 1, b'"').min(line_end(b, i)),
            b'\'' => {
                // Literal strings have no escapes and end at the line's end.
                let end = line_end(b, i);
                i = b[i + 1..end]
                    .iter()
                    .position(|&c| c == b'\'')
                    .map_or(end, |p| i + 1 + p + 1);
            }
            _ => i += 1,
        }
    }
    out
}

/// The end of the line at `i` (the offset of `\n`, `\r\n`'s `\r`, or the text's end).
fn line_end(b: &[u8], i: usize) -> usize {
    let nl = b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p);
    if nl > i && b[nl - 1] == b'\r' {
        nl - 1
    } else {
        nl
    }
}

/// Just after the `*/` that closes the block comment opening at `i`, counting nesting.
fn block_comment_end(b: &[u8], i: usize) -> usize {
    let mut depth = 0usize;
    let mut j = i;
    while j + 1 < b.len() {
        if b[j] == b'/' && b[j + 1] == b'*' {
            depth += 1;
            j += 2;
        } else if b[j] == b'*' && b[j + 1] == b'/' {
            depth -= 1;
            j += 2;
            if depth == 0 {
                return j;
            }
        } else {
            j += 1;
        }
    }
    b.len()
}

/// Just after the closing `close` of a literal with backslash escapes, from `i` (after the
/// opening quote).
fn quoted_end(b: &[u8], mut i: usize, close: u8) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            c if c == close => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// Just after a TOML multi-line string whose body starts at `i`.
fn multiline_end(b: &[u8], mut i: usize, q: u8) -> usize {
    while i < b.len() {
        if q == b'"' && b[i] == b'\\' {
            i += 2;
        } else if b[i..].starts_with(&[q, q, q]) {
            // Up to two more quotes may belong to the content: `""""` ends after four.
            let mut end = i + 3;
            while end < b.len() && b[end] == q && end < i + 5 {
                end += 1;
            }
            return end;
        } else {
            i += 1;
        }
    }
    b.len()
}

/// An identifier, keyword or number from `i`; a string prefix (`b`, `c`, `r`, `br`, `cr`)
/// takes its literal with it.
fn word_end(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while j < b.len() && (b[j] == b'_' || b[j].is_ascii_alphanumeric() || b[j] >= 0x80) {
        j += 1;
    }
    let word = &b[i..j];
    match (word, b.get(j)) {
        (b"r" | b"br" | b"cr", Some(b'#' | b'"')) => raw_string_end(b, j).unwrap_or(j),
        (b"b" | b"c", Some(b'"')) => quoted_end(b, j + 1, b'"'),
        (b"b", Some(b'\'')) => quoted_end(b, j + 1, b'\''),
        _ => j,
    }
}

/// Just after a raw string whose `#`s or `"` start at `j`; `None` for a raw identifier
/// (`r#type`).
fn raw_string_end(b: &[u8], j: usize) -> Option<usize> {
    let hashes = b[j..].iter().take_while(|&&c| c == b'#').count();
    if b.get(j + hashes) != Some(&b'"') {
        return None;
    }
    let mut k = j + hashes + 1;
    while k < b.len() {
        if b[k] == b'"'
            && b[k + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == b'#')
                .count()
                == hashes
        {
            return Some(k + 1 + hashes);
        }
        k += 1;
    }
    Some(b.len())
}

/// After a `'` at `i`: a char literal (`'a'`, `'"'`, `'\''`, `'\u{1F600}'`) is skipped
/// whole; a lifetime or label (`'a`, `'static`) only its quote.
fn char_or_lifetime_end(text: &str, i: usize) -> usize {
    let b = text.as_bytes();
    match b.get(i + 1) {
        Some(b'\\') => {
            // An escape: the literal ends at the next quote after the escaped character.
            let from = (i + 3).min(b.len());
            b[from..]
                .iter()
                .position(|&c| c == b'\'')
                .map_or(b.len(), |p| from + p + 1)
        }
        Some(_) => {
            let width = text[i + 1..].chars().next().map_or(1, char::len_utf8);
            if b.get(i + 1 + width) == Some(&b'\'') {
                i + 2 + width
            } else {
                i + 1
            }
        }
        None => b.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(text: &str, comments: &[Comment]) -> Vec<(CommentKind, String)> {
        comments
            .iter()
            .map(|c| (c.kind, c.body(text).to_string()))
            .collect()
    }

    #[test]
    fn rust_comments_skip_literals() {
        let text = r####"let c = '"'; x(); // one
let q = '\''; let l: &'a str = "// no"; /* two /* nested */ still */
let r = r##"raw "# // no"##; let b = b"// no"; let bc = b'"'; // three
let e = '\u{1F600}'; let k = r#type; let s = "esc \" // no"; // four
/// doc
//! inner doc
/** block doc */ /**/ /***/ //// four slashes
let u = 'é'; // five"####;
        let found = bodies(text, &rust(text));
        use CommentKind::*;
        assert_eq!(
            found,
            vec![
                (Line, " one".into()),
                (Block, " two /* nested */ still ".into()),
                (Line, " three".into()),
                (Line, " four".into()),
                (Doc, "/ doc".into()),
                (Doc, "! inner doc".into()),
                (Doc, "* block doc ".into()),
                (Block, "".into()),
                (Block, "*".into()),
                (Line, "// four slashes".into()),
                (Line, " five".into()),
            ]
        );
    }

    #[test]
    fn unterminated_things_run_to_the_end() {
        for text in ["/* open", "\"open", "r#\"open", "'", "b'", "x /* a /* b */"] {
            assert!(rust(text).len() <= 1, "{text}");
        }
        assert_eq!(rust("a // x\r\nb")[0].end, 6);
    }

    #[test]
    fn toml_comments_skip_strings() {
        let text = "a = \"# no\" # one\nb = 'c:\\# no' # two\nc = \"\"\"\n# no\n\"\"\" # three\nd = '''# no''' # four\n# five";
        let found: Vec<String> = toml(text).iter().map(|c| c.body(text).into()).collect();
        assert_eq!(found, [" one", " two", " three", " four", " five"]);
    }
}
