//! Writing a bank as CSV: one row per item, every column of the format.

use super::{Column, type_name};
use crate::authoring::delimited;
use crate::bank::{Bank, Item};
use crate::convert::values;

/// The bank with the columns its items need (at least two options and one reference).
pub(super) fn export(bank: &Bank, delimiter: char) -> String {
    let options = bank
        .items
        .iter()
        .map(|item| item.options.len())
        .max()
        .unwrap_or(0)
        .max(2);
    let references = bank
        .items
        .iter()
        .map(|item| item.references.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut header = vec![
        Column::Id,
        Column::Topic,
        Column::Type,
        Column::Difficulty,
        Column::Stem,
    ];
    header.extend((0..options).map(Column::Option));
    header.extend((0..options).map(Column::Feedback));
    header.extend([Column::Key, Column::Explanation]);
    header.extend((0..references).flat_map(|n| [Column::Reference(n), Column::Url(n)]));
    header.extend([
        Column::Tags,
        Column::Status,
        Column::Enemies,
        Column::IrtModel,
        Column::IrtA,
        Column::IrtB,
        Column::IrtC,
        Column::IrtD,
        Column::Exposure,
        Column::Reviewed,
        Column::Watch,
    ]);
    let mut out = String::new();
    let names: Vec<String> = header.iter().map(|column| column.name()).collect();
    delimited::write(&mut out, &names, delimiter);
    for item in &bank.items {
        let cells: Vec<String> = header.iter().map(|&column| cell(item, column)).collect();
        delimited::write(&mut out, &cells, delimiter);
    }
    out
}

/// An item's cell in a column.
fn cell(item: &Item, column: Column) -> String {
    let number = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
    let irt = item.irt;
    match column {
        Column::Id => item.id.clone(),
        Column::Topic => item.topic.clone(),
        Column::Type => type_name(item.kind).to_string(),
        Column::Difficulty => item
            .difficulty
            .map(|d| values::difficulty_name(d).to_string())
            .unwrap_or_default(),
        Column::Stem => item.stem.clone(),
        Column::Option(n) => item
            .options
            .get(n)
            .map(|o| o.text.clone())
            .unwrap_or_default(),
        Column::Feedback(n) => item
            .options
            .get(n)
            .and_then(|o| o.feedback.clone())
            .unwrap_or_default(),
        Column::Key => item
            .key
            .iter()
            .map(|k| (k + 1).to_string())
            .collect::<Vec<_>>()
            .join(";"),
        Column::Explanation => item.explanation.clone().unwrap_or_default(),
        Column::Reference(n) => item
            .references
            .get(n)
            .map(|r| r.citation.clone())
            .unwrap_or_default(),
        Column::Url(n) => item
            .references
            .get(n)
            .and_then(|r| r.url.clone())
            .unwrap_or_default(),
        Column::Tags => item.tags.join("; "),
        Column::Status => values::status_name(item.status).to_string(),
        Column::Enemies => item.enemies.join("; "),
        Column::IrtModel => irt
            .map(|c| values::model_name(c.model).to_string())
            .unwrap_or_default(),
        Column::IrtA => number(irt.and_then(|c| c.a)),
        Column::IrtB => number(irt.map(|c| c.b)),
        Column::IrtC => number(irt.and_then(|c| c.c)),
        Column::IrtD => number(irt.and_then(|c| c.d)),
        Column::Exposure => number(item.exposure),
        Column::Reviewed => item.reviewed.map(|d| d.to_string()).unwrap_or_default(),
        Column::Watch => item.watch.clone().unwrap_or_default(),
    }
}
