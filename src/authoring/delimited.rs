//! Delimited text (CSV, TSV): the crate's one reader and writer of RFC 4180 records, used by
//! the bank importer and exporter (`convert::csv`) and by the response files of calibration,
//! so a quote means the same everywhere. Reading keeps physical line numbers; writing quotes
//! only what needs it.
//!
//! A field that starts with `"` is quoted: it runs to the next lone `"`, `""` inside it is one
//! `"`, and it may hold delimiters and line breaks. A `"` inside an unquoted field is an
//! ordinary character (RFC 4180 forbids it; spreadsheets write it). Records end at LF, CRLF
//! or a lone CR; line breaks inside quoted fields become LF. A line with nothing on it is no
//! record.

/// A field and the physical line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    pub text: String,
    pub line: usize,
}

/// A record and the physical line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    pub line: usize,
    pub fields: Vec<Field>,
}

/// Reads one record per physical line, for files whose records are lines (response files,
/// where one bad line must not cost the rest): each non-blank line with its number and its
/// fields, or what is wrong with it. Fields follow the rules of [`parse`], except that a
/// quoted field cannot run past its line.
pub(crate) fn parse_lines(
    text: &str,
    delimiter: char,
) -> Vec<(usize, Result<Vec<String>, String>)> {
    text.split('\n')
        .enumerate()
        .map(|(i, line)| (i + 1, line.strip_suffix('\r').unwrap_or(line)))
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(number, line)| {
            let fields = parse(line, delimiter).map(|records| {
                records
                    .into_iter()
                    .flat_map(|record| record.fields)
                    .map(|field| field.text)
                    .collect()
            });
            (number, fields.map_err(|(_, message)| message))
        })
        .collect()
}

/// How a field ended.
enum End {
    Delimiter,
    Newline,
    Eof,
}

/// Reads every record. An error names its physical line.
pub(crate) fn parse(text: &str, delimiter: char) -> Result<Vec<Record>, (usize, String)> {
    let mut chars = text.chars().peekable();
    let mut line = 1;
    let mut records = Vec::new();
    let mut fields: Vec<Field> = Vec::new();
    let mut record_line = 1;
    loop {
        let field_line = line;
        let mut value = String::new();
        let quoted = chars.peek() == Some(&'"');
        let end = if quoted {
            chars.next();
            loop {
                match chars.next() {
                    None => {
                        return Err((
                            field_line,
                            "a quoted field starts here and is never closed (a `\"` inside a \
                             quoted field is written `\"\"`)"
                                .to_string(),
                        ));
                    }
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        value.push('"');
                    }
                    Some('"') => break,
                    Some('\r') => {
                        chars.next_if_eq(&'\n');
                        value.push('\n');
                        line += 1;
                    }
                    Some('\n') => {
                        value.push('\n');
                        line += 1;
                    }
                    Some(c) => value.push(c),
                }
            }
            match chars.next() {
                None => End::Eof,
                Some(c) if c == delimiter => End::Delimiter,
                Some('\n') => End::Newline,
                Some('\r') => {
                    chars.next_if_eq(&'\n');
                    End::Newline
                }
                Some(c) => {
                    return Err((
                        line,
                        format!(
                            "`{c}` after the closing quote of a field (a `\"` inside a quoted \
                             field is written `\"\"`)"
                        ),
                    ));
                }
            }
        } else {
            loop {
                match chars.next() {
                    None => break End::Eof,
                    Some(c) if c == delimiter => break End::Delimiter,
                    Some('\n') => break End::Newline,
                    Some('\r') => {
                        chars.next_if_eq(&'\n');
                        break End::Newline;
                    }
                    Some(c) => value.push(c),
                }
            }
        };
        let blank_line = fields.is_empty() && !quoted && value.is_empty();
        fields.push(Field {
            text: value,
            line: field_line,
        });
        match end {
            End::Delimiter => continue,
            End::Newline | End::Eof => {
                if !blank_line {
                    records.push(Record {
                        line: record_line,
                        fields: std::mem::take(&mut fields),
                    });
                }
                fields.clear();
                if matches!(end, End::Eof) {
                    return Ok(records);
                }
                line += 1;
                record_line = line;
            }
        }
    }
}

/// The delimiter of a text: tab, comma or semicolon, whichever its first line has (in that
/// order of preference, outside quotes); comma when it has none.
pub(crate) fn sniff(text: &str) -> char {
    let mut quoted = false;
    let mut seen = [false; 3];
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            '\t' if !quoted => seen[0] = true,
            ',' if !quoted => seen[1] = true,
            ';' if !quoted => seen[2] = true,
            _ => {}
        }
    }
    match seen {
        [true, _, _] => '\t',
        [false, true, _] => ',',
        [false, false, true] => ';',
        _ => ',',
    }
}

/// Appends one record, quoting the fields that need it, ended by CRLF (RFC 4180).
pub(crate) fn write(out: &mut String, fields: &[String], delimiter: char) {
    for (index, field) in fields.iter().enumerate() {
        if index > 0 {
            out.push(delimiter);
        }
        let quote = field.contains([delimiter, '"', '\n', '\r'])
            || field.starts_with(char::is_whitespace)
            || field.ends_with(char::is_whitespace);
        if quote {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(records: &[Record]) -> Vec<Vec<&str>> {
        records
            .iter()
            .map(|r| r.fields.iter().map(|f| f.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn quotes_delimiters_and_line_breaks_inside_fields() {
        let text = "a,\"b,\"\"c\"\"\",d\r\n\"multi\r\nline\",x\"y,\n\n\"\",last";
        let records = parse(text, ',').expect("parses");
        assert_eq!(
            texts(&records),
            [
                vec!["a", "b,\"c\"", "d"],
                vec!["multi\nline", "x\"y", ""],
                vec!["", "last"]
            ]
        );
        assert_eq!(
            records.iter().map(|r| r.line).collect::<Vec<_>>(),
            [1, 2, 5]
        );
        assert_eq!(records[1].fields[1].line, 3);
    }

    #[test]
    fn an_unclosed_quote_names_the_line_it_opens_on() {
        let error = parse("a,b\nc,\"open\nmore", ',').unwrap_err();
        assert_eq!(error.0, 2);
    }

    #[test]
    fn text_after_a_closing_quote_is_an_error_on_its_line() {
        let error = parse("h\n\"a\nb\"c", ',').unwrap_err();
        assert_eq!(error, (3, "`c` after the closing quote of a field (a `\"` inside a quoted field is written `\"\"`)".to_string()));
    }

    #[test]
    fn written_records_read_back() {
        let fields: Vec<String> = [
            "plain",
            "with,comma",
            "with \"quotes\"",
            "two\nlines",
            " lead",
            "",
        ]
        .map(String::from)
        .to_vec();
        let mut out = String::new();
        write(&mut out, &fields, ',');
        let records = parse(&out, ',').expect("parses");
        assert_eq!(
            texts(&records),
            [fields.iter().map(String::as_str).collect::<Vec<_>>()]
        );
    }

    #[test]
    fn line_records_keep_quoted_delimiters_and_report_a_bad_line_alone() {
        let text = "\"a,b\",c,\"say \"\"hi\"\"\"\r\n\na,\"b\nlast,line";
        let lines = parse_lines(text, ',');
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[0],
            (1, Ok(vec!["a,b".into(), "c".into(), r#"say "hi""#.into()]))
        );
        assert_eq!(lines[1].0, 3);
        assert!(
            lines[1]
                .1
                .as_ref()
                .is_err_and(|m| m.contains("never closed"))
        );
        assert_eq!(lines[2], (4, Ok(vec!["last".into(), "line".into()])));
    }

    #[test]
    fn the_first_line_picks_the_delimiter() {
        assert_eq!(sniff("id\tstem,x\n"), '\t');
        assert_eq!(sniff("id,stem\n"), ',');
        assert_eq!(sniff("id;stem\na,b"), ';');
        assert_eq!(sniff("\"a,b\";stem\n"), ';');
    }
}
