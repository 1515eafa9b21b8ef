//! The launch page, `index.html`: one `<skillcat-quiz>` with the course's settings. It holds no
//! inline script or style, so the package also runs where the LMS serves it under a strict
//! Content-Security-Policy (`script-src 'self' 'wasm-unsafe-eval'; style-src 'self'`).

use super::{Course, Lms, escape};
use crate::session::Mode;

/// The page for `course` launched by an LMS speaking `lms`.
pub(super) fn page(lms: Lms, course: &Course) -> String {
    let mode = match course.mode {
        Mode::Practice => "practice",
        Mode::Assessment => "assessment",
    };
    let mastery = course
        .mastery
        .map(|score| format!(" mastery-score=\"{}\"", score.percent()))
        .unwrap_or_default();
    format!(
        "<!doctype html>\n\
         <html lang=\"{lang}\">\n\
         <head>\n\
         <meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n\
         <link rel=\"icon\" href=\"favicon.svg\" type=\"image/svg+xml\">\n\
         <link rel=\"stylesheet\" href=\"package.css\">\n\
         <script type=\"module\" src=\"skillcat-quiz.js\"></script>\n\
         </head>\n\
         <body>\n\
         <main>\n\
         <skillcat-quiz lms=\"{lms}\" banks=\"{banks}\" mode=\"{mode}\" max-items=\"{max}\"{mastery}>\
         </skillcat-quiz>\n\
         </main>\n\
         </body>\n\
         </html>\n",
        lang = escape(&course.language),
        title = escape(&course.title),
        lms = lms.name(),
        banks = escape(&course.banks.join(",")),
        max = course.max_items,
    )
}

#[cfg(test)]
mod tests {
    use super::super::MasteryScore;
    use super::*;

    #[test]
    fn settings_become_attributes_and_text_is_escaped() {
        let course = Course {
            id: "x".into(),
            title: "Q&A <\"quoted\">".into(),
            description: String::new(),
            language: "en-GB".into(),
            banks: vec!["cloud".into(), "regulation".into()],
            mode: Mode::Assessment,
            max_items: 15,
            mastery: Some(MasteryScore::parse("72.5").unwrap()),
        };
        let page = page(Lms::Cmi5, &course);
        assert!(page.contains("<html lang=\"en-GB\">"));
        assert!(page.contains("<title>Q&amp;A &lt;&quot;quoted&quot;&gt;</title>"));
        assert!(page.contains(
            "<skillcat-quiz lms=\"cmi5\" banks=\"cloud,regulation\" mode=\"assessment\" \
             max-items=\"15\" mastery-score=\"72.5\"></skillcat-quiz>"
        ));
        let without = page_without_mastery();
        assert!(without.contains("max-items=\"20\"></skillcat-quiz>"));
    }

    fn page_without_mastery() -> String {
        let course = Course {
            id: "x".into(),
            title: "t".into(),
            description: String::new(),
            language: "en".into(),
            banks: vec!["cloud".into()],
            mode: Mode::Practice,
            max_items: 20,
            mastery: None,
        };
        page(Lms::Scorm12, &course)
    }
}
