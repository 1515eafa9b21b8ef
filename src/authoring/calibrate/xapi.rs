//! Responses from xAPI statements, the shape the embed shell emits and a learning record store
//! (LRS) returns.
//!
//! # Input
//!
//! A JSON array of statements; an LRS `StatementResult` object (`{"statements": [...]}`); or
//! JSON lines, one statement per line. A statement is used when its shape is:
//!
//! ```json
//! {
//!   "actor": { "objectType": "Agent", "mbox": "mailto:ana@example.org" },
//!   "verb": { "id": "http://adlnet.gov/expapi/verbs/answered" },
//!   "object": { "id": "https://skillcat.example/banks/cybersecurity/items/cyb-ransom-03" },
//!   "result": { "success": true }
//! }
//! ```
//!
//! - `verb.id` is [`ANSWERED`]; statements with another verb (`launched`, `completed`, …) are
//!   counted and otherwise ignored without a warning.
//! - The learner is the actor's inverse functional identifier, the first of: `mbox` (as
//!   written, `mailto:…`), `mbox_sha1sum` (as `sha1:<hex>`), `openid` (as written),
//!   `account` (as `<homePage>|<name>`); failing those, the actor's `name` (as `name:<name>`;
//!   names are not identifiers in xAPI, so two learners with one name become one learner).
//! - The item id is the last segment of `object.id`: the text after its last `/` or `#`, a
//!   trailing `/` removed. The emitter writes `<base>/banks/<bank id>/items/<item id>`.
//! - `result.success` is `true` (right) or `false` (wrong).
//!
//! Any other field (`timestamp`, `context`, `result.score`, …) is ignored. An `answered`
//! statement without a usable actor, object id or success is skipped with a warning naming it:
//! `[index]` in an array (zero-based, as a JSON path), the line number in JSON lines.
//!
//! Reference: ADL, *Experience API (xAPI) Specification* 1.0.3, part 2, §2.4 (statement
//! properties) and §2.4.2.1 (inverse functional identifiers).

use serde_json::Value;

use super::responses::{Location, ReadError, Responses};

/// The xAPI verb of a scored answer.
pub const ANSWERED: &str = "http://adlnet.gov/expapi/verbs/answered";

const NOT_STATEMENTS: &str =
    "expected a JSON array of xAPI statements, a `StatementResult` object or JSON lines";

impl Responses {
    /// Reads xAPI statements (see the module documentation for their shape).
    ///
    /// # Errors
    ///
    /// [`ReadError`] when the text is neither a JSON array, a `StatementResult`, nor JSON
    /// lines; statements that cannot be used are warnings, not errors.
    pub fn read_xapi(&mut self, source: &str, text: &str) -> Result<(), ReadError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let src = self.add_source(source);
        let error = |location: Option<Location>, message: String| ReadError {
            source: source.to_string(),
            location,
            message,
        };
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(statements)) => {
                for (index, statement) in statements.iter().enumerate() {
                    self.statement(src, Location::Index(index), statement);
                }
                Ok(())
            }
            Ok(Value::Object(object)) => match object.get("statements") {
                Some(Value::Array(statements)) => {
                    for (index, statement) in statements.iter().enumerate() {
                        self.statement(src, Location::Index(index), statement);
                    }
                    Ok(())
                }
                Some(_) => Err(error(None, "`statements` must be an array".into())),
                None if !object.contains_key("verb") && !object.contains_key("actor") => {
                    Err(error(None, NOT_STATEMENTS.into()))
                }
                None => {
                    // A JSON-lines file with a single statement.
                    let line = text.lines().take_while(|l| l.trim().is_empty()).count() + 1;
                    self.statement(src, Location::Line(line), &Value::Object(object));
                    Ok(())
                }
            },
            Ok(_) => Err(error(None, NOT_STATEMENTS.into())),
            Err(e) if text.trim_start().starts_with('[') => Err(error(
                Some(Location::Line(e.line())),
                format!("not valid JSON: {e}"),
            )),
            Err(_) => {
                for (i, line) in text.split('\n').enumerate() {
                    if line.trim().is_empty() {
                        continue;
                    }
                    let at = Location::Line(i + 1);
                    match serde_json::from_str::<Value>(line) {
                        Ok(statement) => self.statement(src, at, &statement),
                        Err(e) => {
                            let message = format!("not valid JSON: {e}; line skipped");
                            self.warn(src, Some(at), message);
                        }
                    }
                }
                Ok(())
            }
        }
    }

    /// Adds the response one statement carries, or reports why it carries none.
    fn statement(&mut self, src: u32, at: Location, statement: &Value) {
        let skip = |why: &str| format!("{why}; statement skipped");
        let Some(object) = statement.as_object() else {
            self.warn(src, Some(at), skip("not a JSON object"));
            return;
        };
        match object
            .get("verb")
            .and_then(|v| v.get("id"))
            .and_then(Value::as_str)
        {
            Some(ANSWERED) => {}
            Some(_) => return self.ignore(),
            None => return self.warn(src, Some(at), skip("no `verb.id`")),
        }
        let Some(learner) = object.get("actor").and_then(learner_key) else {
            let message = skip(
                "`actor` has no `mbox`, `mbox_sha1sum`, `openid`, `account` or `name` to identify \
                 the learner",
            );
            return self.warn(src, Some(at), message);
        };
        let item = match object.get("object").and_then(|o| o.get("id")) {
            Some(Value::String(iri)) => item_id(iri),
            _ => return self.warn(src, Some(at), skip("no `object.id`")),
        };
        if item.is_empty() {
            let message = skip("`object.id` does not end in an item id");
            return self.warn(src, Some(at), message);
        }
        let correct = match object.get("result").and_then(|r| r.get("success")) {
            Some(Value::Bool(success)) => *success,
            Some(other) => {
                let message = skip(&format!(
                    "`result.success` must be true or false, not {other}"
                ));
                return self.warn(src, Some(at), message);
            }
            None => return self.warn(src, Some(at), skip("no `result.success`")),
        };
        self.add(&learner, item, correct, Some((src, at)));
    }
}

/// The learner key of an xAPI actor (see the module documentation), if it has one.
fn learner_key(actor: &Value) -> Option<String> {
    let text = |key: &str| {
        actor
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    if let Some(mbox) = text("mbox") {
        return Some(mbox.to_string());
    }
    if let Some(sum) = text("mbox_sha1sum") {
        return Some(format!("sha1:{sum}"));
    }
    if let Some(openid) = text("openid") {
        return Some(openid.to_string());
    }
    if let Some(account) = actor.get("account") {
        let home = account.get("homePage").and_then(Value::as_str);
        let name = account.get("name").and_then(Value::as_str);
        if let (Some(home), Some(name)) = (home, name) {
            if !name.trim().is_empty() {
                return Some(format!("{}|{}", home.trim(), name.trim()));
            }
        }
    }
    text("name").map(|name| format!("name:{name}"))
}

/// The item id at the end of an activity IRI: after the last `/` or `#`, a trailing `/` removed.
pub fn item_id(iri: &str) -> &str {
    let iri = iri.trim();
    let iri = iri.strip_suffix('/').unwrap_or(iri);
    match iri.rfind(['/', '#']) {
        Some(at) => &iri[at + 1..],
        None => iri,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn item_id_is_the_last_segment_of_the_object_iri() {
        assert_eq!(
            item_id("https://x.example/banks/cloud/items/cl-01"),
            "cl-01"
        );
        assert_eq!(
            item_id("https://x.example/banks/cloud/items/cl-01/"),
            "cl-01"
        );
        assert_eq!(item_id("urn:skillcat:cloud#cl-02"), "cl-02");
        assert_eq!(item_id("cl-03"), "cl-03");
        assert_eq!(item_id("https://x.example/"), "x.example");
    }

    #[test]
    fn learner_key_prefers_identifiers_over_names() {
        let actor = json!({"name": "Ana", "mbox": "mailto:ana@example.org"});
        assert_eq!(
            learner_key(&actor).as_deref(),
            Some("mailto:ana@example.org")
        );
        let actor = json!({"account": {"homePage": "https://lms.example", "name": "u7"}});
        assert_eq!(
            learner_key(&actor).as_deref(),
            Some("https://lms.example|u7")
        );
        assert_eq!(
            learner_key(&json!({"name": "Ana"})).as_deref(),
            Some("name:Ana")
        );
        assert_eq!(learner_key(&json!({"objectType": "Agent"})), None);
    }
}
