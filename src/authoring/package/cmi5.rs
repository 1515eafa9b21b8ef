//! The cmi5 course structure (`cmi5.xml`): a course with one assignable unit (AU) launched from
//! `index.html` in any window. cmi5 has no file list: the LMS imports the whole zip.
//!
//! With a pass mark the AU's `masteryScore` (0 to 1, three decimal places) is set and it moves
//! on when completed and passed; without one, when completed. The LMS passes both to the AU in
//! `LMS.LaunchData`.

use super::{Course, LAUNCH_PAGE, escape};

const NS: &str = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd";

/// The course structure for `course`.
pub(super) fn course_structure(course: &Course) -> String {
    let id = escape(&course.id);
    let lang = escape(&course.language);
    let text = |element: &str, value: &str, indent: &str| {
        format!(
            "{indent}<{element}>\n{indent}  <langstring lang=\"{lang}\">{}</langstring>\n\
             {indent}</{element}>\n",
            escape(value)
        )
    };
    let title = |indent| text("title", &course.title, indent);
    let description = |indent| text("description", &course.description, indent);
    let (move_on, mastery) = match course.mastery {
        Some(score) => (
            "CompletedAndPassed",
            format!(" masteryScore=\"{}\"", score.scaled()),
        ),
        None => ("Completed", String::new()),
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <courseStructure xmlns=\"{NS}\">\n\
         \x20 <course id=\"urn:skillcat:{id}\">\n\
         {course_title}{course_description}\
         \x20 </course>\n\
         \x20 <au id=\"urn:skillcat:{id}:au\" moveOn=\"{move_on}\"{mastery} \
         launchMethod=\"AnyWindow\">\n\
         {au_title}{au_description}\
         \x20   <url>{LAUNCH_PAGE}</url>\n\
         \x20 </au>\n\
         </courseStructure>\n",
        course_title = title("    "),
        course_description = description("    "),
        au_title = title("    "),
        au_description = description("    "),
    )
}

#[cfg(test)]
mod tests {
    use super::super::MasteryScore;
    use super::*;
    use crate::session::Mode;

    #[test]
    fn the_mastery_score_decides_move_on() {
        let mut course = Course {
            id: "skillcat-cloud".into(),
            title: "Cloud <1>".into(),
            description: "All about clouds".into(),
            language: "de".into(),
            banks: vec!["cloud".into()],
            mode: Mode::Practice,
            max_items: 20,
            mastery: Some(MasteryScore::parse("80").unwrap()),
            level_certainty: Default::default(),
            correlations: None,
        };
        let xml = course_structure(&course);
        assert!(xml.contains("<course id=\"urn:skillcat:skillcat-cloud\">"));
        assert!(xml.contains(
            "<au id=\"urn:skillcat:skillcat-cloud:au\" moveOn=\"CompletedAndPassed\" \
             masteryScore=\"0.8\" launchMethod=\"AnyWindow\">"
        ));
        assert!(xml.contains("<langstring lang=\"de\">Cloud &lt;1&gt;</langstring>"));
        assert!(xml.contains("<url>index.html</url>"));
        course.mastery = None;
        let xml = course_structure(&course);
        assert!(xml.contains("moveOn=\"Completed\" launchMethod=\"AnyWindow\">"));
        assert!(!xml.contains("masteryScore"));
    }
}
