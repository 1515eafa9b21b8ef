//! Exporting a bank to GIFT or CSV/TSV and importing it again gives back the same items: every
//! bundled bank, a synthetic bank that uses every field with the characters each format has
//! to escape, and random banks.
//!
//! GIFT holds the id (`::name::`), topic (`$CATEGORY:`), type, stem, options, per-option
//! feedback, key and explanation in GIFT itself, and the rest of an item in metadata comments;
//! CSV holds every field in its columns. Neither holds the bank's own metadata (title, levels,
//! topic titles), which `skillcat import` takes from its arguments.

#[allow(dead_code)]
#[path = "fixtures/banks/support.rs"]
mod support;

use proptest::prelude::*;
use skillcat::bank::{Calibration, Choice, Date, Difficulty, Item, Model, Reference, Topic};
use skillcat::convert::{self, BankInfo, Imported, csv, gift};
use skillcat::{Bank, ItemType, Status};

/// The bundled banks by file name.
fn bundled_banks() -> Vec<(String, Bank)> {
    let banks: Vec<(String, Bank)> = support::bundled_banks()
        .iter()
        .map(|path| {
            let name = support::file_name(path);
            let bank = Bank::from_json(&name, &support::read(path)).expect("valid bank");
            (name, bank)
        })
        .collect();
    assert!(banks.len() >= 7, "only {} bundled banks", banks.len());
    banks
}

/// The first field in which two items differ, for a readable failure.
fn first_difference(a: &Item, b: &Item) -> String {
    let a = serde_json::to_value(a).expect("json");
    let b = serde_json::to_value(b).expect("json");
    let (a, b) = (
        a.as_object().expect("object"),
        b.as_object().expect("object"),
    );
    for key in a.keys().chain(b.keys()) {
        if a.get(key) != b.get(key) {
            return format!("{key}: {:?} became {:?}", a.get(key), b.get(key));
        }
    }
    "no difference".to_string()
}

/// Asserts that an import gave back exactly the bank's items and topics.
fn assert_same_items(format: &str, bank: &Bank, imported: &Imported) {
    assert_eq!(
        imported.items.len(),
        bank.items.len(),
        "{format} {}",
        bank.id
    );
    for (original, back) in bank.items.iter().zip(&imported.items) {
        assert!(
            original == back,
            "{format} {} item {}: {}",
            bank.id,
            original.id,
            first_difference(original, back)
        );
    }
    let mut topics: Vec<&str> = Vec::new();
    for item in &bank.items {
        if !topics.contains(&item.topic.as_str()) {
            topics.push(&item.topic);
        }
    }
    assert_eq!(imported.topics, topics, "{format} {}", bank.id);
}

/// The bank rebuilt from an import with the original's metadata.
fn rebuilt(bank: &Bank, imported: Imported) -> Bank {
    let mut info = BankInfo::new(&bank.id);
    info.title.clone_from(&bank.title);
    info.description.clone_from(&bank.description);
    info.version.clone_from(&bank.version);
    info.language.clone_from(&bank.language);
    info.levels.clone_from(&bank.levels);
    info.topic_titles = bank
        .topics
        .iter()
        .map(|t| (t.id.clone(), t.title.clone()))
        .collect();
    let from_import = imported.warnings.len();
    let (mut rebuilt, warnings) = convert::assemble(&info, vec![("back".into(), imported)]);
    assert_eq!(warnings.len(), from_import, "{warnings:?}");
    // Neither format holds these; the author passes them to `skillcat import` again.
    rebuilt.schema.clone_from(&bank.schema);
    rebuilt.changelog.clone_from(&bank.changelog);
    for (topic, original) in rebuilt.topics.iter_mut().zip(&bank.topics) {
        topic.weight = original.weight;
    }
    rebuilt
}

#[test]
fn every_bundled_bank_survives_gift_export_and_import() {
    for (name, bank) in bundled_banks() {
        let text = gift::export(&bank);
        let imported = gift::import(&name, &text).unwrap_or_else(|e| panic!("{e}"));
        // The only warning is the note on GIFT's partial credit for multiple response.
        let multiple = bank.items.iter().any(|i| i.kind == ItemType::Multiple);
        let notes = &imported.warnings;
        assert_eq!(notes.len(), usize::from(multiple), "{name}: {notes:?}");
        assert_same_items("gift", &bank, &imported);
        // With the bank's metadata given again, the rebuilt bank is the same.
        assert_eq!(rebuilt(&bank, imported), bank, "{name}");
    }
}

#[test]
fn every_bundled_bank_survives_csv_and_tsv_export_and_import() {
    for (name, bank) in bundled_banks() {
        for delimiter in [',', '\t'] {
            let text = csv::export_delimited(&bank, delimiter);
            let imported = csv::import(&name, &text).unwrap_or_else(|e| panic!("{e}"));
            assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
            assert_same_items("csv", &bank, &imported);
            assert_eq!(rebuilt(&bank, imported), bank, "{name}");
        }
    }
}

fn choice(text: &str, feedback: Option<&str>) -> Choice {
    Choice {
        text: text.to_string(),
        feedback: feedback.map(str::to_string),
    }
}

fn item(
    id: &str,
    topic: &str,
    kind: ItemType,
    stem: &str,
    options: Vec<Choice>,
    key: &[usize],
) -> Item {
    Item {
        id: id.to_string(),
        topic: topic.to_string(),
        kind,
        stem: stem.to_string(),
        options,
        key: key.to_vec(),
        explanation: None,
        references: Vec::new(),
        reviewed: None,
        watch: None,
        status: Status::Active,
        enemies: Vec::new(),
        difficulty: Some(Difficulty::Medium),
        irt: None,
        exposure: None,
        tags: Vec::new(),
    }
}

/// Every field, every enum value, and text with every character GIFT and CSV give meaning to.
fn synthetic_bank() -> Bank {
    let nasty = "Escapes: a:b {c} ~d =e #f ####g \\h \\n (a literal backslash-n), \"quoted\", \
                 comma, semi; tab\there, -> arrow, 100% and %50%, // not a comment\n\n\
                 - a list item\n- [a link](https://example.org/a?b=c#d)\n\n1. `code {x}`";
    let mut single = item(
        "syn-single",
        "escapes",
        ItemType::Single,
        nasty,
        vec![
            choice("[bracketed] first", Some("[also] bracketed")),
            choice("%50% looks like a weight", Some("#hash first")),
            choice("=equals first", None),
            choice("~tilde first\nsecond line", Some("// slashes")),
            choice("Ünïcödé ✓ 中文", Some("T")),
        ],
        &[3],
    );
    single.explanation =
        Some("[markdown] is only a prefix at the start.\n\nTwo paragraphs.".into());
    single.references = vec![
        Reference {
            citation: "NIST SP 800-61r2, section 3.3: \"Containment\"; see <below>".into(),
            url: Some("https://csrc.nist.gov/pubs/sp/800/61/r2/final".into()),
        },
        Reference {
            citation: "A citation without a URL".into(),
            url: None,
        },
    ];
    single.tags = vec!["scenario".into(), "two words".into(), "x,y".into()];
    single.enemies = vec!["syn-multiple".into(), "syn-tf-false".into()];
    single.status = Status::Pretest;
    single.difficulty = Some(Difficulty::Hard);
    single.irt = Some(Calibration {
        model: Model::FourPl,
        a: Some(2.1),
        b: -0.3,
        c: Some(0.1),
        d: Some(0.95),
    });
    single.exposure = Some(0.8);
    single.reviewed = Date::new(2024, 2, 29);
    single.watch =
        Some("NIST SP 800-61 Rev. 3 (April 2025); HTI-5 \"proposed\", {not final} // yet".into());

    let ten: Vec<Choice> = (1..=10)
        .map(|n| choice(&format!("Option {n}"), None))
        .collect();
    let mut multiple = item(
        "syn-multiple",
        "escapes",
        ItemType::Multiple,
        "Pick three.",
        ten,
        &[0, 4, 9],
    );
    multiple.difficulty = None;
    multiple.irt = Some(Calibration {
        model: Model::TwoPl,
        a: Some(1.3),
        b: 0.4,
        c: None,
        d: None,
    });
    multiple.enemies = vec!["syn-single".into()];
    multiple.status = Status::Draft;

    let all = vec![choice("a", Some("right")), choice("b", Some("also right"))];
    // Ids that slugging would change (`--`, a trailing `-`, over 60 characters) are kept.
    let odd_id = "syn--all-keys-with-an-id-longer-than-sixty-characters-that-is-still-a-slug-";
    let mut all_keys = item(
        odd_id,
        "choices--2-",
        ItemType::Multiple,
        "Both.",
        all,
        &[0, 1],
    );
    all_keys.difficulty = Some(Difficulty::Easy);
    all_keys.irt = Some(Calibration {
        model: Model::OnePl,
        a: None,
        b: -1.25,
        c: None,
        d: None,
    });
    all_keys.status = Status::Retired;

    let tf = |id: &str, key: usize, true_fb: Option<&str>, false_fb: Option<&str>| {
        let options = vec![choice("True", true_fb), choice("False", false_fb)];
        item(
            id,
            "true-false",
            ItemType::TrueFalse,
            "A claim {to} judge: yes #1?",
            options,
            &[key],
        )
    };
    let mut tf_both = tf(
        "syn-tf-both",
        0,
        Some("Right: it is."),
        Some("Wrong: it is true."),
    );
    tf_both.explanation = Some("General feedback.".into());
    tf_both.irt = Some(Calibration {
        model: Model::ThreePl,
        a: Some(0.9),
        b: 1.1,
        c: Some(0.2),
        d: None,
    });
    let tf_false = tf("syn-tf-false", 1, None, Some("Right: it is false."));
    let tf_wrong_only = tf("syn-tf-wrong-only", 1, Some("[Wrong]: it is false."), None);
    let tf_none = tf("syn-tf-none", 0, None, None);

    let items = vec![
        single,
        multiple,
        all_keys,
        tf_both,
        tf_false,
        tf_wrong_only,
        tf_none,
    ];
    let topic = |id: &str| Topic {
        id: id.to_string(),
        title: id.to_string(),
        weight: None,
    };
    let bank = Bank {
        schema: None,
        format: skillcat::bank::FORMAT.to_string(),
        id: "synthetic".into(),
        title: "Synthetic".into(),
        description: "Every field.".into(),
        version: "1".into(),
        changelog: Vec::new(),
        language: "en".into(),
        topics: vec![topic("escapes"), topic("choices--2-"), topic("true-false")],
        levels: convert::default_levels(),
        items,
    };
    let value = serde_json::to_value(&bank).expect("json");
    Bank::from_value("synthetic", &value).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_synthetic_bank_survives_gift() {
    let bank = synthetic_bank();
    let text = gift::export(&bank);
    let imported = gift::import("synthetic.gift", &text).unwrap_or_else(|e| panic!("{e}"));
    assert_same_items("gift", &bank, &imported);
}

#[test]
fn the_synthetic_bank_survives_csv_and_tsv() {
    let bank = synthetic_bank();
    for delimiter in [',', '\t', ';'] {
        let text = csv::export_delimited(&bank, delimiter);
        let imported = csv::import("synthetic.csv", &text).unwrap_or_else(|e| panic!("{e}"));
        assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
        assert_same_items("csv", &bank, &imported);
    }
}

#[test]
fn gift_export_is_what_moodle_reads() {
    let bank = synthetic_bank();
    let text = gift::export(&bank);
    let expected = [
        "// topic: true-false",
        "$CATEGORY: true-false",
        "",
        "// difficulty: medium",
        "// irt: 3PL a=0.9 b=1.1 c=0.2",
        "::syn-tf-both::[markdown]A claim \\{to\\} judge\\: yes \\#1?{TRUE#Wrong\\: it is true.#Right\\: it is.####General feedback.}",
        "",
        "// difficulty: medium",
        "::syn-tf-false::[markdown]A claim \\{to\\} judge\\: yes \\#1?{FALSE##Right\\: it is false.}",
    ]
    .join("\n");
    assert!(text.contains(&expected), "{text}");
    let multiple =
        "::syn-multiple::[markdown]Pick three.{\n\t~%33.33333%Option 1\n\t~%-100%Option 2\n";
    assert!(text.contains(multiple), "{text}");
    assert!(
        text.contains("\t~%0%%50% looks like a weight#\\#hash first\n"),
        "{text}"
    );
    assert!(
        text.contains("\t~[markdown][bracketed] first#[markdown][also] bracketed\n"),
        "{text}"
    );
}

#[test]
fn a_true_false_item_gift_cannot_hold_is_written_as_single_choice_with_a_warning() {
    let mut bank = synthetic_bank();
    bank.items[3].options[0].text = "Yes".into();
    let losses = gift::losses(&bank);
    assert!(
        losses.contains(&"item `syn-tf-both`: a true/false item whose options are not `True`, `False` is written as single choice".to_string()),
        "{losses:?}"
    );
    let imported = gift::import("x.gift", &gift::export(&bank)).expect("imports");
    assert_eq!(imported.items[3].kind, ItemType::Single);
    assert_eq!(imported.items[3].options, bank.items[3].options);
}

// --- random banks ---------------------------------------------------------------------------

/// Non-blank text, trimmed, made of pieces the formats treat specially.
fn text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "a",
        "Zq",
        "0",
        " ",
        ":",
        "{",
        "}",
        "~",
        "=",
        "#",
        "\\",
        "\\n",
        "\n",
        "[",
        "]",
        "%",
        "->",
        "//",
        "\"",
        ",",
        ";",
        "\t",
        "é",
        "**",
        "`",
        "<",
        ">",
        "&",
        "$CATEGORY:",
        "::",
        "####",
        "T",
        "%50%",
        "[html]",
        "<b>",
        "x\n\ny",
    ]);
    prop::collection::vec(piece, 1..12)
        .prop_map(|pieces| pieces.concat().trim().to_string())
        .prop_filter("not blank", |t| !t.is_empty())
}

/// A one-line label without the list separator.
fn label() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9 ]{0,8}[a-z0-9]".prop_map(|s| s.trim().to_string())
}

fn calibration() -> impl Strategy<Value = Option<Calibration>> {
    let model = prop::sample::select(vec![
        Model::OnePl,
        Model::TwoPl,
        Model::ThreePl,
        Model::FourPl,
    ]);
    prop::option::of((model, 0.1..9.9f64, -9.0..9.0f64, 0.0..0.4f64, 0.5..1.0f64)).prop_map(
        |calibration| {
            calibration.map(|(model, a, b, c, d)| {
                let (a, c, d) = match model {
                    Model::OnePl => (None, None, None),
                    Model::TwoPl => (Some(a), None, None),
                    Model::ThreePl => (Some(a), Some(c), None),
                    Model::FourPl => (Some(a), Some(c), Some(d)),
                };
                Calibration { model, a, b, c, d }
            })
        },
    )
}

fn random_item() -> impl Strategy<Value = Item> {
    let kind = prop::sample::select(vec![
        ItemType::Single,
        ItemType::Multiple,
        ItemType::TrueFalse,
    ]);
    let options = prop::collection::vec((text(), prop::option::of(text())), 2..=10);
    let references = prop::collection::vec(
        (
            label(),
            prop::option::of("https://[a-z]{1,8}\\.org/[a-z0-9/?=#]{0,12}"),
        ),
        0..3,
    );
    let status = prop::sample::select(vec![
        Status::Draft,
        Status::Pretest,
        Status::Active,
        Status::Retired,
    ]);
    let difficulty = prop::option::of(prop::sample::select(vec![
        Difficulty::Easy,
        Difficulty::Medium,
        Difficulty::Hard,
    ]));
    (
        (
            kind,
            text(),
            options,
            any::<prop::sample::Index>(),
            any::<u16>(),
        ),
        (
            prop::option::of(text()),
            references,
            status,
            difficulty,
            calibration(),
        ),
        (
            prop::option::of(0.01..1.0f64),
            prop::collection::vec(label(), 0..3),
            0..3usize,
            prop::option::of(-719_528..2_932_897i64),
            prop::option::of(text()),
        ),
    )
        .prop_map(
            |(
                (kind, stem, options, first, mask),
                (explanation, references, status, difficulty, irt),
                (exposure, tags, topic, reviewed, watch),
            )| {
                let mut options: Vec<Choice> = options
                    .into_iter()
                    .map(|(text, feedback)| Choice { text, feedback })
                    .collect();
                let key = match kind {
                    ItemType::Single => vec![first.index(options.len())],
                    ItemType::TrueFalse => {
                        options.truncate(2);
                        options[0].text = "True".into();
                        options[1].text = "False".into();
                        vec![first.index(2)]
                    }
                    ItemType::Multiple => {
                        let mut key: Vec<usize> = (0..options.len())
                            .filter(|i| mask & (1 << i) != 0)
                            .collect();
                        if key.is_empty() {
                            key.push(first.index(options.len()));
                        }
                        key
                    }
                };
                let difficulty = if irt.is_none() && difficulty.is_none() {
                    Some(Difficulty::Medium)
                } else {
                    difficulty
                };
                // The importers refuse options a learner cannot tell apart: keep them distinct.
                let probe = Item::new(
                    String::new(),
                    String::new(),
                    kind,
                    "q".into(),
                    options.clone(),
                    key.clone(),
                );
                if !convert::same_options(&probe).is_empty() {
                    for (index, option) in options.iter_mut().enumerate() {
                        option.text.push_str(&format!(" o{index}"));
                    }
                }
                Item {
                    id: String::new(),
                    topic: format!("topic-{topic}"),
                    kind,
                    stem,
                    options,
                    key,
                    explanation,
                    references: references
                        .into_iter()
                        .map(|(citation, url)| Reference { citation, url })
                        .collect(),
                    reviewed: reviewed.map(Date::from_days_since_epoch),
                    watch: watch.map(|w| w.replace(['\n', '\r'], " ").trim().to_string()),
                    status,
                    enemies: Vec::new(),
                    difficulty,
                    irt,
                    exposure,
                    tags,
                }
            },
        )
}

fn random_bank() -> impl Strategy<Value = Bank> {
    (prop::collection::vec(random_item(), 1..6), any::<u64>()).prop_map(|(mut items, seed)| {
        let count = items.len();
        for (index, item) in items.iter_mut().enumerate() {
            item.id = format!("item-{index}");
            if seed >> index & 1 == 1 && count > 1 {
                item.enemies = vec![format!("item-{}", (index + 1) % count)];
            }
        }
        items[0].status = Status::Active;
        let topics = (0..3)
            .map(|n| Topic {
                id: format!("topic-{n}"),
                title: format!("Topic {n}"),
                weight: None,
            })
            .collect();
        let bank = Bank {
            schema: None,
            format: skillcat::bank::FORMAT.to_string(),
            id: "random".into(),
            title: "Random".into(),
            description: "Random.".into(),
            version: "1".into(),
            changelog: Vec::new(),
            language: "en".into(),
            topics,
            levels: convert::default_levels(),
            items,
        };
        let value = serde_json::to_value(&bank).expect("json");
        Bank::from_value("random", &value)
            .unwrap_or_else(|e| panic!("the strategy made an invalid bank: {e}"))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_banks_survive_gift(bank in random_bank()) {
        let imported = gift::import("random.gift", &gift::export(&bank)).expect("imports");
        let warnings: Vec<String> = imported
            .warnings
            .iter()
            .filter(|w| !w.is_note())
            .map(ToString::to_string)
            .collect();
        prop_assert!(warnings.is_empty(), "{:?}", warnings);
        prop_assert_eq!(&imported.items, &bank.items);
    }

    #[test]
    fn random_banks_survive_csv(bank in random_bank()) {
        let imported = csv::import("random.csv", &csv::export(&bank)).expect("imports");
        prop_assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
        prop_assert_eq!(&imported.items, &bank.items);
    }
}
