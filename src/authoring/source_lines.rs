//! Where a JSON value is in its source text: a locator that maps JSON paths to line numbers,
//! so that a validation problem (`items[12] ("cyb-ransom-03").key[0]`) can be shown as
//! `cybersecurity.json:123: …`, as compilers do.
//!
//! [`LineIndex::new`] reads the text with a small tokenizer that tracks the line where each
//! value starts and builds a tree of objects and arrays. It accepts any text: on malformed
//! JSON it keeps what it could read, and it never panics or recurses (the nesting is held in
//! an explicit stack, so `[[[[…` of any depth is fine). Object keys are decoded (escapes
//! included) and a repeated key keeps its last occurrence, as `serde_json` does.
//!
//! Lines are 1-based and count `\n`, as `serde_json`'s error positions do.

use std::borrow::Cow;

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    /// An object member.
    Field(Cow<'a, str>),
    /// An array element.
    Index(usize),
}

/// A value in the tree: the line of its first token and its children.
#[derive(Debug)]
struct Node {
    line: usize,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Scalar,
    /// Members in document order: (decoded key, line of the key, child node); a repeated key
    /// replaces the earlier member in place.
    Object(Vec<(String, usize, usize)>),
    Array(Vec<usize>),
}

/// The line numbers of every value in a JSON text.
///
/// ```
/// use skillcat::source_lines::LineIndex;
/// let text = "{\n  \"items\": [\n    { \"id\": \"a\",\n      \"key\": [0,\n        5] }\n  ]\n}";
/// let index = LineIndex::new(text);
/// assert_eq!(index.locate(r#"items[0] ("a").key[1]"#), 5);
/// assert_eq!(index.locate("items[0]"), 3);
/// assert_eq!(index.locate("items[7].stem"), 2); // the nearest enclosing value that exists
/// ```
#[derive(Debug)]
pub struct LineIndex {
    nodes: Vec<Node>,
    root: Option<usize>,
}

/// A token and the line it starts on.
#[derive(Debug)]
enum Token<'t> {
    Open(bool), // true: `{`, false: `[`
    /// `}` or `]` (a mismatched close still closes the innermost container).
    Close,
    Colon,
    Comma,
    /// A string's raw content between the quotes (escapes not yet decoded).
    Str(&'t str),
    /// A number, `true`, `false`, `null` or any other run of stray characters.
    Scalar,
}

/// Splits JSON text into tokens, counting lines. Total over any input.
struct Tokens<'t> {
    text: &'t str,
    pos: usize,
    line: usize,
}

impl<'t> Iterator for Tokens<'t> {
    type Item = (Token<'t>, usize);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        loop {
            let byte = *bytes.get(self.pos)?;
            let line = self.line;
            self.pos += 1;
            let token = match byte {
                b'\n' => {
                    self.line += 1;
                    continue;
                }
                b' ' | b'\t' | b'\r' => continue,
                b'{' => Token::Open(true),
                b'[' => Token::Open(false),
                b'}' | b']' => Token::Close,
                b':' => Token::Colon,
                b',' => Token::Comma,
                b'"' => {
                    let start = self.pos;
                    let mut escaped = false;
                    while let Some(&b) = bytes.get(self.pos) {
                        if b == b'\n' {
                            self.line += 1;
                        }
                        if escaped {
                            escaped = false;
                        } else if b == b'\\' {
                            escaped = true;
                        } else if b == b'"' {
                            break;
                        }
                        self.pos += 1;
                    }
                    // The quotes and backslashes are ASCII, so these are char boundaries.
                    let content = self.text.get(start..self.pos).unwrap_or("");
                    self.pos += 1; // the closing quote (past the end when unterminated)
                    Token::Str(content)
                }
                _ => {
                    while let Some(&b) = bytes.get(self.pos) {
                        if matches!(
                            b,
                            b'{' | b'}'
                                | b'['
                                | b']'
                                | b':'
                                | b','
                                | b'"'
                                | b' '
                                | b'\t'
                                | b'\r'
                                | b'\n'
                        ) {
                            break;
                        }
                        self.pos += 1;
                    }
                    Token::Scalar
                }
            };
            return Some((token, line));
        }
    }
}

/// An open container while parsing: its node, and for objects the key waiting for its value.
struct Frame {
    node: usize,
    /// (decoded key, its line, whether the colon was seen).
    key: Option<(String, usize, bool)>,
}

impl LineIndex {
    /// Reads a JSON text. Never fails: malformed input gives a partial index.
    pub fn new(text: &str) -> LineIndex {
        let mut index = LineIndex {
            nodes: Vec::new(),
            root: None,
        };
        let mut stack: Vec<Frame> = Vec::new();
        let tokens = Tokens {
            text,
            pos: 0,
            line: 1,
        };
        for (token, line) in tokens {
            match token {
                Token::Open(is_object) => {
                    let kind = if is_object {
                        Kind::Object(Vec::new())
                    } else {
                        Kind::Array(Vec::new())
                    };
                    let node = index.add(&mut stack, line, kind);
                    stack.push(Frame { node, key: None });
                }
                Token::Close => {
                    stack.pop();
                }
                Token::Colon => {
                    if let Some(Frame {
                        key: Some((_, _, colon)),
                        ..
                    }) = stack.last_mut()
                    {
                        *colon = true;
                    }
                }
                Token::Comma => {
                    if let Some(frame) = stack.last_mut() {
                        frame.key = None;
                    }
                }
                Token::Str(raw) => {
                    let expects_key = match stack.last() {
                        Some(frame) => frame.key.is_none() && index.is_object(frame.node),
                        None => false,
                    };
                    match stack.last_mut() {
                        Some(frame) if expects_key => {
                            frame.key = Some((decode(raw).into_owned(), line, false));
                        }
                        _ => {
                            index.add(&mut stack, line, Kind::Scalar);
                        }
                    }
                }
                Token::Scalar => {
                    index.add(&mut stack, line, Kind::Scalar);
                }
            }
        }
        index
    }

    fn is_object(&self, node: usize) -> bool {
        matches!(
            self.nodes.get(node),
            Some(Node {
                kind: Kind::Object(_),
                ..
            })
        )
    }

    /// Adds a value that starts on `line` and attaches it to the open container (or makes it
    /// the root); returns its node.
    fn add(&mut self, stack: &mut [Frame], line: usize, kind: Kind) -> usize {
        let node = self.nodes.len();
        self.nodes.push(Node { line, kind });
        let Some(frame) = stack.last_mut() else {
            self.root.get_or_insert(node);
            return node;
        };
        let parent_kind = self
            .nodes
            .get_mut(frame.node)
            .map(|parent| &mut parent.kind);
        match parent_kind {
            Some(Kind::Array(children)) => children.push(node),
            Some(Kind::Object(members)) => {
                // A value is attached only after `"key":`; anything else is malformed and
                // left unreachable.
                if let Some((key, key_line, true)) = frame.key.take() {
                    match members.iter_mut().find(|member| member.0 == key) {
                        Some(member) => *member = (key, key_line, node),
                        None => members.push((key, key_line, node)),
                    }
                }
            }
            _ => {}
        }
        node
    }

    /// The line where the value at `path` begins, if it exists: for an object member the line
    /// of its key, for an array element (and the root) the line of its first token.
    pub fn line_of(&self, path: &[Segment<'_>]) -> Option<usize> {
        let (line, reached, _) = self.walk(path);
        (reached == path.len()).then_some(line?)
    }

    /// The line for a path as the validator writes it (`items[12] ("cyb-ransom-03").key[0]`,
    /// see [`parse_path`]): the line of the deepest value along the path that exists, so that
    /// a problem about a missing field points at the object that lacks it. Line 1 when
    /// nothing of the path exists (or the text holds no value).
    pub fn locate(&self, path: &str) -> usize {
        self.walk(&parse_path(path)).0.unwrap_or(1)
    }

    /// The members of the object at `path`, with the line of each key, in document order
    /// (empty when there is no object there): for pointing an "unknown field" problem at the
    /// field itself.
    pub fn members(&self, path: &[Segment<'_>]) -> Vec<(&str, usize)> {
        let (_, reached, node) = self.walk(path);
        match self.nodes.get(node).map(|n| &n.kind) {
            Some(Kind::Object(members)) if reached == path.len() && self.root.is_some() => members
                .iter()
                .map(|(key, line, _)| (key.as_str(), *line))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Follows `path` as far as it exists: (line of the deepest value reached, number of
    /// segments followed, that value's node).
    fn walk(&self, path: &[Segment<'_>]) -> (Option<usize>, usize, usize) {
        let Some(mut node) = self.root else {
            return (None, 0, 0);
        };
        let mut line = self.nodes.get(node).map(|n| n.line);
        for (depth, segment) in path.iter().enumerate() {
            let next = match (self.nodes.get(node).map(|n| &n.kind), segment) {
                (Some(Kind::Object(members)), Segment::Field(name)) => members
                    .iter()
                    .find(|member| member.0 == *name)
                    .map(|member| (member.1, member.2)),
                (Some(Kind::Array(children)), Segment::Index(i)) => children
                    .get(*i)
                    .and_then(|&child| Some((self.nodes.get(child)?.line, child))),
                _ => None,
            };
            match next {
                Some((next_line, child)) => {
                    line = Some(next_line);
                    node = child;
                }
                None => return (line, depth, node),
            }
        }
        (line, path.len(), node)
    }
}

/// Reads a path as the bank validator writes it: fields joined by `.`, array indices in
/// brackets, an element's id in parentheses after its index (ignored here):
/// `items[12] ("cyb-ransom-03").options[2].text`. The empty path is the root. Lenient: it
/// stops at the first thing it cannot read and returns the segments read so far.
pub fn parse_path(text: &str) -> Vec<Segment<'_>> {
    let mut segments = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.strip_prefix('.').unwrap_or(rest);
        if rest.is_empty() {
            return segments;
        }
        if let Some(after) = rest.strip_prefix('[') {
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let (number, after) = after.split_at(digits);
            let (Ok(index), Some(after)) = (number.parse::<usize>(), after.strip_prefix(']'))
            else {
                return segments;
            };
            segments.push(Segment::Index(index));
            rest = after;
            if let Some(id) = rest.strip_prefix(" (\"") {
                // Skip the JSON string literal and the closing parenthesis.
                let Some(end) = string_end(id) else {
                    return segments;
                };
                rest = id.get(end..).unwrap_or("");
                rest = rest.strip_prefix(')').unwrap_or(rest);
            }
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            let (name, after) = rest.split_at(end);
            segments.push(Segment::Field(Cow::Borrowed(name)));
            rest = after;
        }
    }
}

/// The byte offset just past the closing quote of a JSON string whose opening quote has been
/// consumed, if it is terminated.
fn string_end(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, byte) in text.bytes().enumerate() {
        if escaped {
            escaped = false;
        } else if byte == b'\\' {
            escaped = true;
        } else if byte == b'"' {
            return Some(i + 1);
        }
    }
    None
}

/// Decodes a JSON string's escapes; invalid escapes and lone surrogates become U+FFFD.
fn decode(raw: &str) -> Cow<'_, str> {
    if !raw.contains('\\') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let high = hex4(&mut chars);
                let code = match high {
                    Some(h @ 0xD800..=0xDBFF) => {
                        let mut ahead = chars.clone();
                        let low = match (ahead.next(), ahead.next()) {
                            (Some('\\'), Some('u')) => hex4(&mut ahead),
                            _ => None,
                        };
                        match low {
                            Some(l @ 0xDC00..=0xDFFF) => {
                                chars = ahead;
                                Some(0x10000 + ((h - 0xD800) << 10) + (l - 0xDC00))
                            }
                            _ => None,
                        }
                    }
                    other => other,
                };
                out.push(code.and_then(char::from_u32).unwrap_or('\u{FFFD}'));
            }
            Some(other @ ('"' | '\\' | '/')) => out.push(other),
            Some(_) | None => out.push('\u{FFFD}'),
        }
    }
    Cow::Owned(out)
}

/// Four hex digits of a `\u` escape.
fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
    let mut code = 0;
    for _ in 0..4 {
        code = code * 16 + chars.next()?.to_digit(16)?;
    }
    Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> Segment<'_> {
        Segment::Field(Cow::Borrowed(name))
    }

    #[test]
    fn paths_parse_with_ids_and_odd_characters() {
        assert_eq!(parse_path(""), vec![]);
        assert_eq!(
            parse_path(r#"items[12] ("cyb-ransom-03").key[0]"#),
            vec![
                field("items"),
                Segment::Index(12),
                field("key"),
                Segment::Index(0)
            ]
        );
        assert_eq!(
            parse_path(r#"items[1] ("a\").b[").options[2].text"#),
            vec![
                field("items"),
                Segment::Index(1),
                field("options"),
                Segment::Index(2),
                field("text")
            ]
        );
        assert_eq!(parse_path("$schema"), vec![field("$schema")]);
        // Unreadable tails are dropped, not guessed.
        assert_eq!(parse_path("items[x].id"), vec![field("items")]);
        assert_eq!(
            parse_path("items[99999999999999999999999]"),
            vec![field("items")]
        );
    }

    #[test]
    fn keys_are_decoded_and_the_last_duplicate_wins() {
        let text = "{\"a\": 1,\n\"\\u0073tem\": 2,\n\"a\": 3,\n\"\\ud83d\\ude00\": 4}";
        let index = LineIndex::new(text);
        assert_eq!(index.line_of(&[field("stem")]), Some(2));
        assert_eq!(index.line_of(&[field("a")]), Some(3));
        assert_eq!(index.line_of(&[field("😀")]), Some(4));
    }

    #[test]
    fn member_lines_are_key_lines_and_elements_value_lines() {
        let text = "{\n\"k\":\n  [\n   1,\n\n   {\"x\": \"a\nb\", \"y\": 2}\n  ]\n}";
        let index = LineIndex::new(text);
        assert_eq!(index.line_of(&[]), Some(1));
        assert_eq!(index.line_of(&[field("k")]), Some(2));
        assert_eq!(index.line_of(&[field("k"), Segment::Index(1)]), Some(6));
        // A newline inside a string (invalid JSON, but possible) still counts.
        assert_eq!(
            index.line_of(&[field("k"), Segment::Index(1), field("y")]),
            Some(7)
        );
        assert_eq!(index.line_of(&[field("k"), Segment::Index(2)]), None);
        assert_eq!(
            index.members(&[field("k"), Segment::Index(1)]),
            vec![("x", 6), ("y", 7)]
        );
        assert!(index.members(&[field("k")]).is_empty());
        assert!(index.members(&[field("nope")]).is_empty());
    }

    #[test]
    fn malformed_text_keeps_what_it_can() {
        let index = LineIndex::new("{\"a\": [1, 2,\n\"b\": }}}]]] x \"unterminated");
        assert_eq!(index.line_of(&[field("a")]), Some(1));
        assert_eq!(index.locate("a[2]"), 2);
        assert_eq!(LineIndex::new("").locate("items[0]"), 1);
        assert_eq!(LineIndex::new("\n\n  42").locate(""), 3);
        let deep = "[".repeat(100_000);
        assert_eq!(LineIndex::new(&deep).locate("[0][0][0]"), 1);
    }

    #[test]
    fn bad_escapes_become_replacement_characters() {
        assert_eq!(decode(r"a\qb\u12"), "a\u{FFFD}b\u{FFFD}");
        assert_eq!(decode(r"\ud800x"), "\u{FFFD}x");
        assert_eq!(decode(r"\n\/\\"), "\n/\\");
    }
}
