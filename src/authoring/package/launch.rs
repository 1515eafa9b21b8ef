//! The launch page, `index.html`: one `<skillcat-quiz>` with the course's settings. It holds no
//! inline script or style, so the package also runs where the LMS serves it under a strict
//! Content-Security-Policy (`script-src 'self' 'wasm-unsafe-eval'; style-src 'self'`).

use super::{Course, Lms, escape};

/// The page for `course` launched by an LMS speaking `lms`.
pub(super) fn page(lms: Lms, course: &Course) -> String {
    let mode = course.mode.json_name();
    // Several banks without a profile: say so, or the element would look for one in vain.
    let profile = if course.correlations.is_none() && course.banks.len() > 1 {
        " profile=\"none\""
    } else {
        ""
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
         <skillcat-quiz lms=\"{lms}\" banks=\"{banks}\" mode=\"{mode}\" max-items=\"{max}\"{mastery}{certainty}{profile}>\
         </skillcat-quiz>\n\
         </main>\n\
         </body>\n\
         </html>\n",
        lang = escape(&course.language),
        title = escape(&course.title),
        lms = lms.name(),
        banks = escape(&course.banks.join(",")),
        max = course.max_items,
        certainty = course.level_certainty.attribute(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::MasteryScore;
    use super::*;
    use crate::session::Mode;

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
            level_certainty: Default::default(),
            correlations: Some(vec![vec![1.0, 0.5], vec![0.5, 1.0]]),
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

    #[test]
    fn the_level_certainty_is_named_only_when_the_package_sets_it() {
        use crate::package::LevelCertainty;
        assert!(!page_without_mastery().contains("level-certainty"));
        let with = |certainty| {
            let mut course = course_without_mastery();
            course.level_certainty = certainty;
            page(Lms::Scorm12, &course)
        };
        assert!(with(LevelCertainty::Off).contains(" level-certainty=\"off\">"));
        assert!(with(LevelCertainty::At(0.9)).contains(" level-certainty=\"0.9\">"));
        assert_eq!(LevelCertainty::parse("off"), Ok(LevelCertainty::Off));
        assert!(LevelCertainty::parse("0.5").is_err());
        assert!(LevelCertainty::parse("1").is_err());
    }

    fn page_without_mastery() -> String {
        page(Lms::Scorm12, &course_without_mastery())
    }

    fn course_without_mastery() -> Course {
        Course {
            id: "x".into(),
            title: "t".into(),
            description: String::new(),
            language: "en".into(),
            banks: vec!["cloud".into()],
            mode: Mode::Practice,
            max_items: 20,
            mastery: None,
            level_certainty: Default::default(),
            correlations: None,
        }
    }
}
