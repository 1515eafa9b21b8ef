//! The SCORM 1.2 manifest (`imsmanifest.xml`, IMS Content Packaging 1.1.2 with the ADL
//! extensions): one organization with one item, launching one SCO resource that lists every
//! file of the package. The pass mark is the item's `adlcp:masteryscore` (a CMIDecimal from 0
//! to 100), which the LMS hands to the SCO as `cmi.student_data.mastery_score`.
//!
//! The attribute is `adlcp:scormtype`, all lowercase: SCORM 2004 renamed it `scormType`, and
//! LMSs that check the casing reject a 1.2 package spelled the 2004 way.

use std::fmt::Write as _;

use super::{Course, LAUNCH_PAGE, escape, file_list, xml_identifier};

const CP_NS: &str = "http://www.imsproject.org/xsd/imscp_rootv1p1p2";
const ADLCP_NS: &str = "http://www.adlnet.org/xsd/adlcp_rootv1p2";

/// The manifest for `course`; `files` are the package's paths except the manifest's own.
pub(super) fn manifest(course: &Course, files: &[&str]) -> String {
    let title = escape(&course.title);
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <manifest identifier=\"{id}\" version=\"1\" xmlns=\"{CP_NS}\" xmlns:adlcp=\"{ADLCP_NS}\">\n\
         \x20 <metadata>\n\
         \x20   <schema>ADL SCORM</schema>\n\
         \x20   <schemaversion>1.2</schemaversion>\n\
         \x20 </metadata>\n\
         \x20 <organizations default=\"organization\">\n\
         \x20   <organization identifier=\"organization\">\n\
         \x20     <title>{title}</title>\n\
         \x20     <item identifier=\"item\" identifierref=\"sco\" isvisible=\"true\">\n\
         \x20       <title>{title}</title>\n",
        id = xml_identifier(&course.id),
    );
    if let Some(score) = course.mastery {
        let _ = writeln!(
            out,
            "        <adlcp:masteryscore>{}</adlcp:masteryscore>",
            score.percent()
        );
    }
    let _ = write!(
        out,
        "      </item>\n\
         \x20   </organization>\n\
         \x20 </organizations>\n\
         \x20 <resources>\n\
         \x20   <resource identifier=\"sco\" type=\"webcontent\" adlcp:scormtype=\"sco\" \
         href=\"{LAUNCH_PAGE}\">\n\
         {files}\
         \x20   </resource>\n\
         \x20 </resources>\n\
         </manifest>\n",
        files = file_list(files, "      "),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::super::MasteryScore;
    use super::*;
    use crate::session::Mode;

    #[test]
    fn the_mastery_score_is_a_percentage_and_scormtype_is_lowercase() {
        let mut course = Course {
            id: "3d".into(),
            title: "A & B".into(),
            description: String::new(),
            language: "en".into(),
            banks: vec!["cloud".into()],
            mode: Mode::Practice,
            max_items: 20,
            mastery: Some(MasteryScore::parse("72.5").unwrap()),
        };
        let xml = manifest(&course, &["index.html", "pkg/skillcat_bg.wasm"]);
        assert!(xml.contains("<manifest identifier=\"_3d\""));
        assert!(xml.contains("<title>A &amp; B</title>"));
        assert!(xml.contains("<adlcp:masteryscore>72.5</adlcp:masteryscore>"));
        assert!(xml.contains("adlcp:scormtype=\"sco\""));
        assert!(xml.contains("      <file href=\"pkg/skillcat_bg.wasm\"/>\n"));
        course.mastery = None;
        assert!(!manifest(&course, &[]).contains("masteryscore"));
    }
}
