//! The QTI 3.0 export's feedback as another player would show it. A QTI player shows a
//! `qti-feedback-inline` or `qti-modal-feedback` when the outcome it names (`FEEDBACK`) holds
//! its identifier after response processing (IMS QTI 3.0 ASI, "Feedback"), so the export's
//! response processing must set that outcome. These tests run the exported response processing
//! with a small interpreter of the QTI expressions it uses (`qti-response-condition`, `-if`,
//! `-else`, `qti-match`, `qti-variable`, `qti-correct`, `qti-base-value`, `qti-multiple`,
//! `qti-set-outcome-value`; anything else fails the test) and check, for every possible
//! response, the score and exactly which feedback a learner would see.

use std::collections::BTreeSet;
use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::reader::Reader;
use serde_json::json;
use skillcat::Bank;
use skillcat::convert::qti;

/// An element of the exported XML: name, attributes, children, text.
#[derive(Debug, Default, Clone)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every element with this name, in document order.
    fn all(&self, name: &str) -> Vec<&Node> {
        let mut out = Vec::new();
        if self.name == name {
            out.push(self);
        }
        for child in &self.children {
            out.extend(child.all(name));
        }
        out
    }

    /// The text of the node and its descendants.
    fn all_text(&self) -> String {
        let mut out = self.text.clone();
        for child in &self.children {
            out.push_str(&child.all_text());
        }
        out
    }
}

fn tree(xml: &str) -> Node {
    let mut reader = Reader::from_str(xml);
    let mut stack = vec![Node::default()];
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(tag) => stack.push(node_of(&tag)),
            Event::Empty(tag) => {
                let node = node_of(&tag);
                stack.last_mut().expect("a parent").children.push(node);
            }
            Event::End(_) => {
                let node = stack.pop().expect("an open element");
                stack.last_mut().expect("a parent").children.push(node);
            }
            Event::Text(text) => {
                let text = text.xml10_content().expect("text");
                stack.last_mut().expect("a parent").text.push_str(&text);
            }
            Event::GeneralRef(reference) => {
                let name = String::from_utf8_lossy(&reference).into_owned();
                let text = match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    _ => "?",
                };
                stack.last_mut().expect("a parent").text.push_str(text);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    stack.pop().expect("the document").children.remove(0)
}

fn node_of(tag: &quick_xml::events::BytesStart<'_>) -> Node {
    Node {
        name: String::from_utf8_lossy(tag.name().as_ref()).into_owned(),
        attrs: tag
            .attributes()
            .map(|a| {
                let a = a.expect("attribute");
                (
                    String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                    String::from_utf8_lossy(&a.value).into_owned(),
                )
            })
            .collect(),
        ..Node::default()
    }
}

/// Outcomes after response processing: `SCORE` and the `FEEDBACK` identifiers.
#[derive(Debug, Default)]
struct Outcomes {
    score: Option<f64>,
    feedback: BTreeSet<String>,
}

/// A value of the expressions the export uses.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Identifiers(BTreeSet<String>),
    Float(f64),
}

fn evaluate(expr: &Node, response: &BTreeSet<String>, correct: &BTreeSet<String>) -> Value {
    match expr.name.as_str() {
        "qti-variable" => {
            assert_eq!(expr.attr("identifier"), Some("RESPONSE"));
            Value::Identifiers(response.clone())
        }
        "qti-correct" => Value::Identifiers(correct.clone()),
        "qti-base-value" => match expr.attr("base-type") {
            Some("float") => Value::Float(expr.text.trim().parse().expect("a float")),
            Some("identifier") => Value::Identifiers(BTreeSet::from([expr.text.trim().into()])),
            other => panic!("base type {other:?}"),
        },
        "qti-multiple" => {
            let mut all = BTreeSet::new();
            for child in &expr.children {
                match evaluate(child, response, correct) {
                    Value::Identifiers(ids) => all.extend(ids),
                    Value::Float(_) => panic!("a float in qti-multiple"),
                }
            }
            Value::Identifiers(all)
        }
        "qti-match" => {
            let sides: Vec<Value> = expr
                .children
                .iter()
                .map(|c| evaluate(c, response, correct))
                .collect();
            Value::Float(if sides[0] == sides[1] { 1.0 } else { 0.0 })
        }
        other => panic!("the interpreter does not know <{other}>"),
    }
}

fn run(
    rules: &[Node],
    response: &BTreeSet<String>,
    correct: &BTreeSet<String>,
    out: &mut Outcomes,
) {
    for rule in rules {
        match rule.name.as_str() {
            "qti-set-outcome-value" => {
                let value = evaluate(&rule.children[0], response, correct);
                match (rule.attr("identifier"), value) {
                    (Some("SCORE"), Value::Float(score)) => out.score = Some(score),
                    (Some("FEEDBACK"), Value::Identifiers(ids)) => out.feedback = ids,
                    other => panic!("unexpected outcome {other:?}"),
                }
            }
            "qti-response-condition" => {
                for branch in &rule.children {
                    let holds = match branch.name.as_str() {
                        "qti-response-else" => true,
                        _ => evaluate(&branch.children[0], response, correct) == Value::Float(1.0),
                    };
                    if holds {
                        let start = usize::from(branch.name != "qti-response-else");
                        run(&branch.children[start..], response, correct, out);
                        break;
                    }
                }
            }
            other => panic!("the interpreter does not know <{other}>"),
        }
    }
}

/// What a learner sees after a response: the score, and the text of every feedback element
/// the `FEEDBACK` outcome shows, in document order.
fn play(item: &Node, response: &[&str]) -> (Option<f64>, Vec<String>) {
    let correct: BTreeSet<String> = item
        .all("qti-correct-response")
        .iter()
        .flat_map(|c| c.all("qti-value"))
        .map(|v| v.text.trim().to_string())
        .collect();
    let response: BTreeSet<String> = response.iter().map(|r| (*r).to_string()).collect();
    let processing = item.all("qti-response-processing");
    assert_eq!(processing.len(), 1);
    let mut outcomes = Outcomes::default();
    match processing[0].attr("template") {
        // The match_correct template sets SCORE and nothing else.
        Some(template) if template.ends_with("match_correct.xml") => {
            outcomes.score = Some(if response == correct { 1.0 } else { 0.0 });
        }
        Some(other) => panic!("unknown template {other}"),
        None => run(&processing[0].children, &response, &correct, &mut outcomes),
    }
    let mut shown = Vec::new();
    for feedback in item
        .all("qti-feedback-inline")
        .into_iter()
        .chain(item.all("qti-modal-feedback"))
    {
        assert_eq!(feedback.attr("outcome-identifier"), Some("FEEDBACK"));
        assert_eq!(feedback.attr("show-hide"), Some("show"));
        if outcomes
            .feedback
            .contains(feedback.attr("identifier").expect("an identifier"))
        {
            shown.push(feedback.all_text().trim().to_string());
        }
    }
    (outcomes.score, shown)
}

/// A bank with option feedback and an explanation, its QTI export, and its two item files.
fn exported() -> (Bank, Vec<u8>, Vec<Node>) {
    let option = |text: &str, feedback: &str| json!({ "text": text, "feedback": feedback });
    let bank = json!({
        "format": "skillcat-bank/1", "id": "fb", "title": "Feedback", "description": "d",
        "version": "1", "language": "en",
        "topics": [{ "id": "t", "title": "T" }],
        "levels": [{ "name": "Only" }],
        "items": [
            {
                "id": "single", "topic": "t", "type": "single", "difficulty": "easy",
                "stem": "Pick one.",
                "options": [option("A1", "Why A1."), option("B1", "Why B1."), option("C1", "Why C1.\n\nIn two paragraphs.")],
                "key": [1],
                "explanation": "The principle."
            },
            {
                "id": "multi", "topic": "t", "type": "multiple", "difficulty": "easy",
                "stem": "Pick two.",
                "options": [option("A2", "Why A2."), option("B2", "Why B2."), option("C2", "Why C2.")],
                "key": [0, 2]
            }
        ]
    });
    let bank = Bank::from_value("fb.json", &bank).unwrap_or_else(|e| panic!("{e}"));
    let zip = qti::export(&bank).expect("exports");
    let mut archive = zip::ZipArchive::new(Cursor::new(zip.clone())).expect("a zip");
    let items = ["items/single.xml", "items/multi.xml"]
        .iter()
        .map(|name| {
            let mut xml = String::new();
            archive
                .by_name(name)
                .expect("the item")
                .read_to_string(&mut xml)
                .expect("UTF-8");
            tree(&xml)
        })
        .collect();
    (bank, zip, items)
}

#[test]
fn a_qti_player_shows_the_chosen_options_feedback_and_the_explanation() {
    let (_, _, items) = exported();
    let single = &items[0];
    assert_eq!(
        play(single, &["A"]),
        (
            Some(0.0),
            vec!["Why A1.".to_string(), "The principle.".into()]
        )
    );
    assert_eq!(
        play(single, &["B"]),
        (
            Some(1.0),
            vec!["Why B1.".to_string(), "The principle.".into()]
        )
    );
    // Feedback of more than one paragraph is modal feedback tied to the choice.
    assert_eq!(
        play(single, &["C"]),
        (
            Some(0.0),
            vec![
                "Why C1.In two paragraphs.".to_string(),
                "The principle.".into()
            ]
        )
    );
    let multi = &items[1];
    assert_eq!(
        play(multi, &["A", "C"]),
        (Some(1.0), vec!["Why A2.".to_string(), "Why C2.".into()])
    );
    assert_eq!(
        play(multi, &["A", "B"]),
        (Some(0.0), vec!["Why A2.".to_string(), "Why B2.".into()])
    );
    assert_eq!(play(multi, &[]), (Some(0.0), Vec::<String>::new()));
}

#[test]
fn the_export_writes_feedback_processing_and_reads_it_back_without_warnings() {
    let (bank, zip, items) = exported();
    let single = &items[0];
    let set: Vec<&Node> = single
        .all("qti-set-outcome-value")
        .into_iter()
        .filter(|s| s.attr("identifier") == Some("FEEDBACK"))
        .collect();
    assert_eq!(set.len(), 1, "one FEEDBACK rule");
    let values: Vec<String> = set[0].children[0]
        .children
        .iter()
        .map(|c| {
            format!(
                "{}={}",
                c.name,
                c.attr("identifier").unwrap_or(c.text.trim())
            )
        })
        .collect();
    assert_eq!(
        values,
        ["qti-variable=RESPONSE", "qti-base-value=EXPLANATION"]
    );
    let declared: Vec<&str> = single
        .all("qti-outcome-declaration")
        .iter()
        .filter_map(|d| d.attr("identifier"))
        .collect();
    assert_eq!(declared, ["SCORE", "FEEDBACK"]);
    // No explanation: the rule sets the chosen choices only.
    let multi = &items[1];
    let set = multi
        .all("qti-set-outcome-value")
        .into_iter()
        .find(|s| s.attr("identifier") == Some("FEEDBACK"))
        .expect("a FEEDBACK rule");
    assert_eq!(set.children[0].children.len(), 1);
    // Read back: the processing is recognized (no "custom response processing" warning) and
    // every option keeps its feedback, the explanation stays the explanation.
    let imported = qti::import("fb.zip", &zip).expect("imports");
    let warnings: Vec<String> = imported.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["fb.zip: note: difficulty labels defaulted to medium (2 items); edit them or calibrate"]
    );
    for (before, after) in bank.items.iter().zip(&imported.items) {
        assert_eq!(after.options, before.options);
        assert_eq!(after.explanation, before.explanation);
        assert_eq!(after.key, before.key);
    }
}
