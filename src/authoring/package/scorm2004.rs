//! The SCORM 2004 4th edition manifest (`imsmanifest.xml`, IMS Content Packaging 1.1.4 with
//! the ADL and IMS Simple Sequencing extensions): one organization with one item, launching one
//! SCO resource (`adlcp:scormType`, capital T) that lists every file of the package.
//!
//! A pass mark becomes the item's primary objective, satisfied by measure with
//! `imsss:minNormalizedMeasure` from 0 to 1; the LMS hands it to the SCO as
//! `cmi.scaled_passing_score`. The item's delivery controls say that the content sets
//! completion and success, so the LMS never completes the activity on its own when the learner
//! leaves (a Preview, or a test left at the intro).

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
    out.push_str("        <imsss:sequencing>\n");
    if let Some(score) = course.mastery {
        let _ = write!(
            out,
            "          <imsss:objectives>\n\
             \x20           <imsss:primaryObjective objectiveID=\"urn:skillcat:{id}:mastery\" \
             satisfiedByMeasure=\"true\">\n\
             \x20             <imsss:minNormalizedMeasure>{measure}</imsss:minNormalizedMeasure>\n\
             \x20           </imsss:primaryObjective>\n\
             \x20         </imsss:objectives>\n",
            id = escape(&course.id),
            measure = score.scaled(),
        );
    }
    // The SCO reports completion and success itself: without this an LMS may mark the activity
    // completed as soon as the learner leaves it (IMS SS delivery controls default to false;
    // SAP SuccessFactors Learning does so since its 2H 2023 release, KBA 3403728).
    out.push_str(
        "          <imsss:deliveryControls completionSetByContent=\"true\" \
         objectiveSetByContent=\"true\"/>\n\
         \x20       </imsss:sequencing>\n",
    );
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
            level_certainty: Default::default(),
            correlations: None,
        };
        let xml = manifest(&course, &["index.html"]);
        assert!(xml.contains("<schemaversion>2004 4th Edition</schemaversion>"));
        assert!(xml.contains("<imsss:minNormalizedMeasure>0.7</imsss:minNormalizedMeasure>"));
        assert!(xml.contains("satisfiedByMeasure=\"true\""));
        assert!(xml.contains("adlcp:scormType=\"sco\""));
        let controls = "<imsss:deliveryControls completionSetByContent=\"true\" \
                        objectiveSetByContent=\"true\"/>";
        assert!(xml.contains(controls));
        course.mastery = None;
        let xml = manifest(&course, &[]);
        assert!(!xml.contains("imsss:objectives"));
        assert!(xml.contains(controls));
    }
}
