//! Reading CSV rows into items: the header's columns, then each row's cells, checked one by
//! one so that a problem names the line and the column.

use std::collections::HashMap;

use super::{Column, MAX_OPTIONS, type_name};
use crate::authoring::delimited::{self, Field, Record};
use crate::bank::{Calibration, Choice, Date, Item, ItemType, Reference, Status};
use crate::convert::{
    ConvertError, Ids, Imported, Sourced, Warning, finish, id_prefix, is_slug, item_problems, slug,
    tex, values,
};

/// Reads every row of a CSV text with a known delimiter.
pub(super) fn import(source: &str, text: &str, delimiter: char) -> Result<Imported, ConvertError> {
    let text = crate::convert::strip_bom(text);
    let records = delimited::parse(text, delimiter)
        .map_err(|(line, message)| ConvertError::new(source, Some(line), message))?;
    let mut records = records.into_iter();
    let Some(header) = records.next() else {
        return Err(ConvertError::new(source, None, "the file is empty"));
    };
    let mut warnings = Vec::new();
    let columns = columns(source, &header, &mut warnings)?;
    let mut reader = Rows {
        source,
        prefix: id_prefix(source),
        columns,
        width: header.fields.len(),
        ids: Ids::new(),
        warnings,
    };
    let mut items: Vec<Sourced> = Vec::new();
    let mut topics: Vec<String> = Vec::new();
    for (ordinal, record) in records.enumerate() {
        if record.fields.iter().all(|f| f.text.trim().is_empty()) {
            continue;
        }
        match reader.row(&record, ordinal + 1) {
            Ok(item) => {
                if !item.topic.is_empty() && !topics.contains(&item.topic) {
                    topics.push(item.topic.clone());
                }
                for field in &record.fields {
                    for (at, message) in tex::markdown_warnings(&field.text) {
                        reader.warn(tex::line_in(&field.text, field.line, at), message);
                    }
                }
                items.push((record.line, item));
            }
            Err((line, message)) => reader.warn(line, format!("row skipped: {message}")),
        }
    }
    finish(source, items, topics, reader.warnings)
}

/// The header's columns by field index.
fn columns(
    source: &str,
    header: &Record,
    warnings: &mut Vec<Warning>,
) -> Result<HashMap<Column, usize>, ConvertError> {
    let mut columns = HashMap::new();
    for (index, field) in header.fields.iter().enumerate() {
        let name = field.text.trim();
        match Column::parse(name) {
            Some(column) => {
                if columns.insert(column, index).is_some() {
                    let message = format!("column `{}` appears twice in the header", column.name());
                    return Err(ConvertError::new(source, Some(field.line), message));
                }
            }
            None if name.is_empty() => {}
            None => warnings.push(Warning::new(
                source,
                Some(field.line),
                format!("column `{name}` is not a bank column; ignored"),
            )),
        }
    }
    for required in [
        Column::Stem,
        Column::Option(0),
        Column::Option(1),
        Column::Key,
    ] {
        if !columns.contains_key(&required) {
            let message = format!(
                "the header has no `{}` column; the first row names the columns (`id`, \
                 `topic`, `stem`, `option_1`, `option_2`, …, `key`; see `skillcat import \
                 --help`)",
                required.name()
            );
            return Err(ConvertError::new(source, Some(header.line), message));
        }
    }
    Ok(columns)
}

/// The state of reading rows.
struct Rows<'s> {
    source: &'s str,
    prefix: String,
    columns: HashMap<Column, usize>,
    width: usize,
    ids: Ids,
    warnings: Vec<Warning>,
}

/// A problem with a row: the line of the cell, and what is wrong.
type RowError = (usize, String);

impl Rows<'_> {
    fn warn(&mut self, line: usize, message: String) {
        self.warnings
            .push(Warning::new(self.source, Some(line), message));
    }

    /// A non-empty cell, trimmed.
    fn cell<'r>(&self, record: &'r Record, column: Column) -> Option<(&'r str, usize)> {
        let field: &Field = record.fields.get(*self.columns.get(&column)?)?;
        let text = field.text.trim();
        (!text.is_empty()).then_some((text, field.line))
    }

    fn row(&mut self, record: &Record, ordinal: usize) -> Result<Item, RowError> {
        let line = record.line;
        if record.fields[self.width.min(record.fields.len())..]
            .iter()
            .any(|f| !f.text.trim().is_empty())
        {
            let message = format!(
                "the row has {} cells but the header names {}; the extra cells are ignored",
                record.fields.len(),
                self.width
            );
            self.warn(line, message);
        }
        let (stem, _) = self
            .cell(record, Column::Stem)
            .ok_or((line, "`stem` is empty".to_string()))?;
        let mut options = Vec::new();
        for n in 0..MAX_OPTIONS {
            match self.cell(record, Column::Option(n)) {
                Some((text, cell_line)) => {
                    if options.len() < n {
                        let message = format!(
                            "`option_{}` is empty but `option_{}` is set; options have no gaps",
                            options.len() + 1,
                            n + 1
                        );
                        return Err((cell_line, message));
                    }
                    let feedback = self
                        .cell(record, Column::Feedback(n))
                        .map(|(text, _)| text.to_string());
                    options.push(Choice {
                        text: text.to_string(),
                        feedback,
                    });
                }
                None => {
                    if let Some((_, cell_line)) = self.cell(record, Column::Feedback(n)) {
                        let message =
                            format!("`feedback_{}` has no `option_{}`; ignored", n + 1, n + 1);
                        self.warn(cell_line, message);
                    }
                }
            }
        }
        if options.len() < 2 {
            let message = format!(
                "a question needs at least 2 options; this row has {}",
                options.len()
            );
            return Err((line, message));
        }
        let key = self.key(record, options.len())?;
        let kind = match self.cell(record, Column::Type) {
            None if key.len() > 1 => ItemType::Multiple,
            None => ItemType::Single,
            Some((text, cell_line)) => item_type(text).map_err(|m| (cell_line, m))?,
        };
        if kind != ItemType::Multiple && key.len() > 1 {
            let message = format!(
                "`key` names {} options but a {} item has one right answer (use `multiple`)",
                key.len(),
                type_name(kind)
            );
            return Err((line, message));
        }
        let mut item = Item {
            id: String::new(),
            topic: String::new(),
            kind,
            stem: stem.to_string(),
            options,
            key,
            explanation: self
                .cell(record, Column::Explanation)
                .map(|(text, _)| text.to_string()),
            references: self.references(record)?,
            reviewed: None,
            watch: None,
            status: Status::Active,
            enemies: Vec::new(),
            difficulty: None,
            irt: self.irt(record)?,
            exposure: None,
            tags: Vec::new(),
        };
        if let Some((text, cell_line)) = self.cell(record, Column::Difficulty) {
            item.difficulty = Some(values::difficulty(text).map_err(|m| (cell_line, m))?);
        }
        if let Some((text, cell_line)) = self.cell(record, Column::Status) {
            item.status = values::status(text).map_err(|m| (cell_line, m))?;
        }
        if let Some((text, cell_line)) = self.cell(record, Column::Exposure) {
            item.exposure = Some(number(text, "exposure").map_err(|m| (cell_line, m))?);
        }
        if let Some((text, cell_line)) = self.cell(record, Column::Reviewed) {
            let date = Date::parse(text)
                .map_err(|reason| (cell_line, format!("reviewed `{text}` {reason}")))?;
            item.reviewed = Some(date);
        }
        if let Some((text, _)) = self.cell(record, Column::Watch) {
            item.watch = Some(text.to_string());
        }
        if let Some((text, _)) = self.cell(record, Column::Tags) {
            item.tags = list(text, &[';']);
        }
        if let Some((text, cell_line)) = self.cell(record, Column::Enemies) {
            for enemy in list(text, &[';', ',']) {
                if !is_slug(&enemy) {
                    return Err((cell_line, format!("enemy `{enemy}` is not an item id")));
                }
                item.enemies.push(enemy);
            }
        }
        if let Some((text, cell_line)) = self.cell(record, Column::Topic) {
            item.topic = slug(text);
            if item.topic.is_empty() {
                let message = format!(
                    "topic `{text}` has no letters or digits for a topic id; the row gets the \
                     default topic"
                );
                self.warn(cell_line, message);
            }
        }
        let problems = item_problems(&item);
        if !problems.is_empty() {
            return Err((line, problems.join("; ")));
        }
        item.id = self.id(record, ordinal);
        Ok(item)
    }

    /// The row's id: its `id` cell as a slug, or numbered; made unique.
    fn id(&mut self, record: &Record, ordinal: usize) -> String {
        let numbered = format!("{}-{ordinal}", self.prefix);
        let wanted = match self.cell(record, Column::Id) {
            None => numbered,
            Some((text, line)) => {
                let wanted = slug(text);
                if wanted.is_empty() {
                    let message =
                        format!("id `{text}` has no letters or digits; using `{numbered}`");
                    self.warn(line, message);
                    numbered
                } else {
                    if wanted != text {
                        let message = format!(
                            "id `{text}` is not a slug (lowercase letters, digits, `-`); using \
                             `{wanted}`"
                        );
                        self.warn(line, message);
                    }
                    wanted
                }
            }
        };
        let id = self.ids.claim(&wanted);
        if id != wanted {
            let message = format!("id `{wanted}` is already used; this row gets `{id}`");
            self.warn(record.line, message);
        }
        id
    }

    /// The `key` cell as zero-based indices.
    fn key(&self, record: &Record, options: usize) -> Result<Vec<usize>, RowError> {
        let (text, line) = self
            .cell(record, Column::Key)
            .ok_or((record.line, "`key` is empty".to_string()))?;
        let mut key = Vec::new();
        for token in list(text, &[';', ',', ' ', '\t']) {
            let index = if token.chars().all(|c| c.is_ascii_digit()) {
                token
                    .parse::<usize>()
                    .ok()
                    .filter(|&n| n >= 1)
                    .map(|n| n - 1)
            } else {
                let mut chars = token.chars();
                match (chars.next(), chars.next()) {
                    (Some(c @ ('A'..='J' | 'a'..='j')), None) => {
                        Some(usize::from(c.to_ascii_uppercase() as u8 - b'A'))
                    }
                    _ => None,
                }
            };
            let index = index.ok_or_else(|| {
                let message = format!(
                    "`key` `{token}` is not an option number (1, 2, …) or letter (A, B, …)"
                );
                (line, message)
            })?;
            if index >= options {
                let message = format!(
                    "`key` `{token}` names option {} but the row has {options} options",
                    index + 1
                );
                return Err((line, message));
            }
            if key.contains(&index) {
                return Err((line, format!("`key` names option {} twice", index + 1)));
            }
            key.push(index);
        }
        if key.is_empty() {
            return Err((line, "`key` names no option".to_string()));
        }
        Ok(key)
    }

    fn references(&self, record: &Record) -> Result<Vec<Reference>, RowError> {
        let mut numbers: Vec<usize> = self
            .columns
            .keys()
            .filter_map(|column| match column {
                Column::Reference(n) | Column::Url(n) => Some(*n),
                _ => None,
            })
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        let mut references = Vec::new();
        for n in numbers {
            let citation = self.cell(record, Column::Reference(n));
            let url = self.cell(record, Column::Url(n));
            match (citation, url) {
                (Some((citation, _)), url) => references.push(Reference {
                    citation: citation.to_string(),
                    url: url.map(|(url, _)| url.to_string()),
                }),
                (None, Some((_, line))) => {
                    let message = format!(
                        "`url_{}` is set but `reference_{}` is empty; a URL needs a citation",
                        n + 1,
                        n + 1
                    );
                    return Err((line, message));
                }
                (None, None) => {}
            }
        }
        Ok(references)
    }

    fn irt(&self, record: &Record) -> Result<Option<Calibration>, RowError> {
        let params = [Column::IrtA, Column::IrtB, Column::IrtC, Column::IrtD];
        let mut values = [None; 4];
        for (value, column) in values.iter_mut().zip(params) {
            if let Some((text, line)) = self.cell(record, column) {
                *value = Some(number(text, &column.name()).map_err(|m| (line, m))?);
            }
        }
        let Some((model, line)) = self.cell(record, Column::IrtModel) else {
            if let Some(index) = values.iter().position(Option::is_some) {
                let message = format!("`{}` is set but `irt_model` is empty", params[index].name());
                return Err((record.line, message));
            }
            return Ok(None);
        };
        let model = values::model(model).map_err(|m| (line, m))?;
        let [a, b, c, d] = values;
        let b = b.ok_or((line, "`irt_b` is empty; every IRT model has b".to_string()))?;
        Ok(Some(Calibration { model, a, b, c, d }))
    }
}

/// Cells of a list, trimmed, empty parts dropped.
fn list(text: &str, separators: &[char]) -> Vec<String> {
    text.split(separators)
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(str::to_string)
        .collect()
}

fn number(text: &str, column: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("`{column}` `{text}` is not a number"))
}

fn item_type(text: &str) -> Result<ItemType, String> {
    let name: String = text
        .to_ascii_lowercase()
        .chars()
        .map(|c| if matches!(c, '-' | ' ' | '/') { '_' } else { c })
        .collect();
    match name.as_str() {
        "single" => Ok(ItemType::Single),
        "multiple" => Ok(ItemType::Multiple),
        "true_false" => Ok(ItemType::TrueFalse),
        _ => Err(format!(
            "`type` `{text}` is not one of `single`, `multiple`, `true_false`"
        )),
    }
}
