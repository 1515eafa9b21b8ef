//! Where a QTI item's feedback goes in a bank item, so that a learner reads only what applies
//! to them. A bank item has feedback per option (shown next to that option after the answer)
//! and an explanation (shown to everyone); QTI feedback is shown when the response processing
//! sets its identifier, which the readers (2.x and 1.2) work out as a [`Shown`]:
//!
//! | shown | becomes |
//! |---|---|
//! | always (whatever the response) | the explanation |
//! | when one of some choices is chosen | those options' feedback |
//! | when the response is right | single choice, true/false: the key option's feedback (what a learner who chose it reads); multiple response: not held, with a warning |
//! | when the response is wrong | single choice, true/false: every other option's feedback; multiple response: not held, with a warning |
//! | under other conditions | the explanation, with a warning that every learner now reads it |

use crate::bank::{Choice, ItemType};
use crate::convert::Warning;

/// When the player shows a piece of feedback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shown {
    Always,
    /// When any of these options (indices) is chosen.
    Choices(Vec<usize>),
    Correct,
    Incorrect,
    /// Under conditions this import does not read.
    Unknown,
}

/// One piece of feedback, already in the Markdown subset.
#[derive(Debug, Clone)]
pub(crate) struct Feedback {
    pub identifier: String,
    pub text: String,
    pub line: usize,
    pub shown: Shown,
}

/// Puts each piece where it belongs (see the module documentation): into `options`' feedback,
/// or into the explanation, which is returned. Warnings and notes go to `warnings`.
pub(crate) fn place(
    source: &str,
    kind: ItemType,
    key: &[usize],
    options: &mut [Choice],
    pieces: Vec<Feedback>,
    warnings: &mut Vec<Warning>,
) -> Option<String> {
    let mut explanation: Vec<String> = Vec::new();
    let mut always = Vec::new();
    // An option's own feedback first, then what it shares with others (right, wrong).
    let mut pieces = pieces;
    pieces.sort_by_key(|piece| matches!(piece.shown, Shown::Correct | Shown::Incorrect));
    for piece in pieces {
        if piece.text.trim().is_empty() {
            continue;
        }
        let name = format!("feedback `{}`", piece.identifier);
        let line = Some(piece.line);
        let single = kind != ItemType::Multiple;
        let targets: Vec<usize> = match &piece.shown {
            Shown::Always => {
                always.push(name);
                push_once(&mut explanation, &piece.text);
                continue;
            }
            Shown::Unknown => {
                warnings.push(Warning::new(
                    source,
                    line,
                    format!(
                        "{name} is shown under conditions this import does not read: made part \
                         of the explanation, which every learner reads"
                    ),
                ));
                push_once(&mut explanation, &piece.text);
                continue;
            }
            Shown::Choices(choices) => choices.clone(),
            Shown::Correct | Shown::Incorrect if !single => {
                let when = if piece.shown == Shown::Correct {
                    "right"
                } else {
                    "wrong"
                };
                warnings.push(Warning::new(
                    source,
                    line,
                    format!(
                        "{name} is shown only when the whole response is {when}; a \
                         multiple-response bank item has feedback per option and an \
                         explanation for everyone: not held"
                    ),
                ));
                continue;
            }
            Shown::Correct => key.to_vec(),
            Shown::Incorrect => (0..options.len()).filter(|i| !key.contains(i)).collect(),
        };
        if matches!(piece.shown, Shown::Correct | Shown::Incorrect) {
            let (when, which) = if piece.shown == Shown::Correct {
                ("a right answer", "the key")
            } else {
                let which = if targets.len() == 1 {
                    "the wrong one"
                } else {
                    "the wrong ones"
                };
                ("a wrong answer", which)
            };
            let numbers: Vec<String> = targets.iter().map(|i| (i + 1).to_string()).collect();
            let numbers = match numbers.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("options {} and {last}", rest.join(", "))
                }
                _ => format!("option {}", numbers.concat()),
            };
            warnings.push(Warning::note(
                source,
                line,
                format!("{name} (shown to {when}) becomes the feedback of {numbers}, {which}"),
            ));
        }
        for index in targets {
            if let Some(option) = options.get_mut(index) {
                option.feedback = Some(match option.feedback.take() {
                    Some(before) if before.contains(piece.text.as_str()) => before,
                    Some(before) => format!("{before}\n\n{}", piece.text),
                    None => piece.text.clone(),
                });
            }
        }
    }
    if always.len() > 1 {
        warnings.push(Warning::note(
            source,
            None,
            format!(
                "{} pieces of feedback shown to everyone ({}) are joined as the explanation",
                always.len(),
                always.join(", ")
            ),
        ));
    }
    Some(explanation.join("\n\n")).filter(|text| !text.trim().is_empty())
}

fn push_once(parts: &mut Vec<String>, text: &str) {
    if !parts.iter().any(|part| part == text) {
        parts.push(text.to_string());
    }
}
