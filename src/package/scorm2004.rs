//! The SCORM 2004 4th edition manifest (`imsmanifest.xml`, IMS Content Packaging 1.1.4 with
//! the ADL and IMS Simple Sequencing extensions): one organization with one item, launching one
//! SCO resource (`adlcp:scormType`, capital T) that lists every file of the package.
//!
//! A pass mark becomes the item's primary objective, satisfied by measure with
//! `imsss:minNormalizedMeasure` from 0 to 1; the LMS hands it to the SCO as
//! `cmi.scaled_passing_score`. Without one the item carries no sequencing and the LMS uses its
//! defaults.

use std::fmt::Write as _;

use super::{Course, escape, sco_manifest_head, sco_resource};

const CP_NS: &str = "http://www.imsglobal.org/xsd/imscp_v1p1";
const ADLCP_NS: &str = "http://www.adlnet.org/xsd/adlcp_v1p3";
const ADLSEQ_NS: &str = "http://www.adlnet.org/xsd/adlseq_v1p3";
const ADLNAV_NS: &str = "http://www.adlnet.org/xsd/adlnav_v1p3";
const IMSSS_NS: &str = "http://www.imsglobal.org/xsd/imsss";

/// The manifest for `course`; `files` are the package's paths except the manifest's own.
pub(super) fn manifest(course: &Course, files: &[&str]) -> String {
    let mut out = sco_manifest_head(
        course,
        &format!(
            "xmlns=\"{CP_NS}\" xmlns:adlcp=\"{ADLCP_NS}\" xmlns:adlseq=\"{ADLSEQ_NS}\" \
             xmlns:adlnav=\"{ADLNAV_NS}\" xmlns:imsss=\"{IMSSS_NS}\""
        ),
        "2004 4th Edition",
        "",
    );
    if let Some(score) = course.mastery {
        let _ = write!(
            out,
            "        <imsss:sequencing>\n\
             \x20         <imsss:objectives>\n\
             \x20           <imsss:primaryObjective objectiveID=\"urn:skillcat:{id}:mastery\" \
             satisfiedByMeasure=\"true\">\n\
             \x20             <imsss:minNormalizedMeasure>{measure}</imsss:minNormalizedMeasure>\n\
             \x20           </imsss:primaryObjective>\n\
             \x20         </imsss:objectives>\n\
             \x20       </imsss:sequencing>\n",
            id = escape(&course.id),
            measure = score.scaled(),
        );
    }
    out.push_str(&sco_resource("adlcp:scormType", files));
    out
}

#[cfg(test)]
mod tests {
    use super::super::MasteryScore;
    use super::*;
    use crate::session::Mode;

    #[test]
    fn the_mastery_score_is_a_normalized_measure_and_scormtype_has_a_capital_t() {
        let mut course = Course {
            id: "cloud".into(),
            title: "Cloud".into(),
            description: String::new(),
            language: "en".into(),
            banks: vec!["cloud".into()],
            mode: Mode::Practice,
            max_items: 20,
            mastery: Some(MasteryScore::parse("70").unwrap()),
        };
        let xml = manifest(&course, &["index.html"]);
        assert!(xml.contains("<schemaversion>2004 4th Edition</schemaversion>"));
        assert!(xml.contains("<imsss:minNormalizedMeasure>0.7</imsss:minNormalizedMeasure>"));
        assert!(xml.contains("satisfiedByMeasure=\"true\""));
        assert!(xml.contains("adlcp:scormType=\"sco\""));
        course.mastery = None;
        assert!(!manifest(&course, &[]).contains("imsss:sequencing"));
    }
}
