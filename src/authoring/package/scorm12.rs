//! The SCORM 1.2 manifest (`imsmanifest.xml`, IMS Content Packaging 1.1.2 with the ADL
//! extensions): one organization with one item, launching one SCO resource that lists every
//! file of the package. The pass mark is the item's `adlcp:masteryscore` (a CMIDecimal from 0
//! to 100), which the LMS hands to the SCO as `cmi.student_data.mastery_score`.
//!
//! The attribute is `adlcp:scormtype`, all lowercase: SCORM 2004 renamed it `scormType`, and
//! LMSs that check the casing reject a 1.2 package spelled the 2004 way.

use std::fmt::Write as _;

use super::{Course, sco_manifest_head, sco_resource};

const CP_NS: &str = "http://www.imsproject.org/xsd/imscp_rootv1p1p2";
const ADLCP_NS: &str = "http://www.adlnet.org/xsd/adlcp_rootv1p2";

/// The manifest for `course`; `files` are the package's paths except the manifest's own.
pub(super) fn manifest(course: &Course, files: &[&str]) -> String {
    let mut out = sco_manifest_head(
        course,
        &format!("xmlns=\"{CP_NS}\" xmlns:adlcp=\"{ADLCP_NS}\""),
        "1.2",
        " isvisible=\"true\"",
    );
    if let Some(score) = course.mastery {
        let _ = writeln!(
            out,
            "        <adlcp:masteryscore>{}</adlcp:masteryscore>",
            score.percent()
        );
    }
    out.push_str(&sco_resource("adlcp:scormtype", files));
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
            level_certainty: Default::default(),
            correlations: None,
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
