//! One declaration per JSON shape.
//!
//! [`json_enum!`] takes an enum's variants with their JSON names and makes everything else from
//! that list: the enum itself (with serde's derives, which the bank reader and Rust callers
//! use), its variants (`ALL`) and names (`JSON_NAMES`, `json_name`, `from_json_name`), the
//! reader ([`FromJson`]), the writer ([`ToJson`]), the TypeScript union (`TYPESCRIPT`, which
//! `src/wasm/typescript.rs` emits) and, natively, `clap::ValueEnum` for the command line.
//!
//! [`json_struct!`] does the same for a struct's fields: serde's derives, the reader (for
//! settings and saved states) and the writer.
//!
//! So adding a variant or a field is one line, and nothing can forget it: every table is made
//! from the same list, a variant or field without its JSON name does not compile, and every
//! `match` on an enum elsewhere stops compiling until it handles a new variant.
//!
//! [`FromJson`]: crate::json::FromJson
//! [`ToJson`]: crate::json::ToJson

/// Declares a unit enum whose variants are JSON strings:
///
/// ```text
/// json_enum! {
///     /// The estimator.
///     #[derive(Default)]
///     pub enum Method {
///         /// Expected a posteriori. (First paragraph: the variant's `--help` text.)
///         #[default]
///         Eap = "eap",
///         Map = "map",
///     }
/// }
/// ```
///
/// The first paragraph of a variant's doc comment is its help in the command line's
/// `--help`, as `#[derive(clap::ValueEnum)]` would take it; on the command line the variant is
/// spelled as in JSON.
macro_rules! json_enum {
    (
        $(#[$($attr:tt)*])*
        $vis:vis enum $Enum:ident {
            $(
                $(#[$($variant_attr:tt)*])*
                $Variant:ident = $name:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$($attr)*])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        $vis enum $Enum {
            $(
                $(#[$($variant_attr)*])*
                #[serde(rename = $name)]
                $Variant,
            )+
        }

        impl $Enum {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$Enum] = &[$($Enum::$Variant),+];

            /// The JSON names, in declaration order.
            pub const JSON_NAMES: &'static [&'static str] = &[$($name),+];

            /// The TypeScript type: the union of the JSON names.
            pub const TYPESCRIPT: &'static str =
                $crate::json::declare::typescript_union!($Enum: $($name),+);

            /// The variant's name in JSON and on the command line.
            pub const fn json_name(self) -> &'static str {
                match self {
                    $($Enum::$Variant => $name),+
                }
            }

            /// The variant with this JSON name, if any.
            pub fn from_json_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some($Enum::$Variant),)+
                    _ => None,
                }
            }
        }

        impl $crate::json::FromJson for $Enum {
            fn from_json(value: &serde_json::Value) -> $crate::json::read::Read<Self> {
                $crate::json::read::unit_variant(value, &[$(($name, $Enum::$Variant)),+])
            }
        }

        impl $crate::json::ToJson for $Enum {
            fn write_json(&self, out: &mut $crate::json::JsonWriter) {
                out.string(self.json_name());
            }
        }

        #[cfg(not(target_arch = "wasm32"))]
        impl clap::ValueEnum for $Enum {
            fn value_variants<'a>() -> &'a [Self] {
                Self::ALL
            }

            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                let docs: &[Option<&str>] = match self {
                    $($Enum::$Variant => &[$($crate::json::declare::doc_text!($($variant_attr)*)),*]),+
                };
                let value = clap::builder::PossibleValue::new(self.json_name());
                Some(match $crate::json::declare::clap_help(docs) {
                    Some(help) => value.help(help),
                    None => value,
                })
            }
        }
    };
}

/// Declares a struct that is read from and written to JSON. The first line says how it is read:
///
/// - `read with defaults;`: every field may be left out and takes its value from the struct's
///   `Default` (serde's container `default`), as settings are;
/// - `read;`: a field may be left out only when it has `skip_if` (it then reads as its type's
///   default), and those fields come after the others (a compile-time check); the struct
///   derives `Default`;
/// - `write;`: only written by the engine (results); its serde `Deserialize`, for Rust callers,
///   takes the field attributes given (such as `#[serde(default)]`) and no reader is made.
///
/// Unknown fields are refused when read. Each field gives its JSON name and, optionally,
/// `skip_if "Option::is_none"` or `skip_if "Vec::is_empty"`: left out of the JSON when so.
///
/// ```text
/// json_struct! {
///     read;
///     #[derive(Debug, Clone, PartialEq)]
///     pub struct SavedBank {
///         pub id: String = "id",
///         pub note: Option<String> = "note" skip_if "Option::is_none",
///     }
/// }
/// ```
///
/// It makes the struct with serde's derives (for Rust callers), the reader ([`FromJson`],
/// with serde's values and messages) and the writer ([`ToJson`], serde's text).
///
/// [`FromJson`]: crate::json::FromJson
/// [`ToJson`]: crate::json::ToJson
macro_rules! json_struct {
    (
        read with defaults;
        $(#[$($attr:tt)*])*
        $vis:vis struct $Struct:ident {
            $(
                $(#[$($field_attr:tt)*])*
                $field_vis:vis $field:ident: $Type:ty = $name:literal $(skip_if $skip:tt)?
            ),+ $(,)?
        }
    ) => {
        $(#[$($attr)*])*
        #[derive(serde::Serialize, serde::Deserialize)]
        #[serde(default, deny_unknown_fields)]
        $vis struct $Struct {
            $(
                $(#[$($field_attr)*])*
                #[serde(rename = $name)]
                $(#[serde(skip_serializing_if = $skip)])?
                $field_vis $field: $Type,
            )+
        }

        $crate::json::declare::json_struct!(@read $Struct (0) { $($field = $name),+ });
        $crate::json::declare::json_struct!(@write $Struct { $($field = $name [$($skip)?]),+ });
        $crate::json::declare::json_struct!(@fields $Struct true; $($name [$($skip)?]),+);
    };
    (
        read;
        $(#[$($attr:tt)*])*
        $vis:vis struct $Struct:ident {
            $(
                $(#[$($field_attr:tt)*])*
                $field_vis:vis $field:ident: $Type:ty = $name:literal $(skip_if $skip:tt)?
            ),+ $(,)?
        }
    ) => {
        $(#[$($attr)*])*
        #[derive(Default, serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        $vis struct $Struct {
            $(
                $(#[$($field_attr)*])*
                #[serde(rename = $name)]
                $(#[serde(default, skip_serializing_if = $skip)])?
                $field_vis $field: $Type,
            )+
        }

        $crate::json::declare::json_struct!(@read $Struct (
            $crate::json::declare::required_prefix(&[
                $($crate::json::declare::json_struct!(@required $($skip)?)),+
            ])
        ) { $($field = $name),+ });
        $crate::json::declare::json_struct!(@write $Struct { $($field = $name [$($skip)?]),+ });
        $crate::json::declare::json_struct!(@fields $Struct false; $($name [$($skip)?]),+);
    };
    (
        write;
        $(#[$($attr:tt)*])*
        $vis:vis struct $Struct:ident {
            $(
                $(#[$($field_attr:tt)*])*
                $field_vis:vis $field:ident: $Type:ty = $name:literal $(skip_if $skip:tt)?
            ),+ $(,)?
        }
    ) => {
        $(#[$($attr)*])*
        #[derive(serde::Serialize, serde::Deserialize)]
        $vis struct $Struct {
            $(
                $(#[$($field_attr)*])*
                #[serde(rename = $name)]
                $(#[serde(skip_serializing_if = $skip)])?
                $field_vis $field: $Type,
            )+
        }

        $crate::json::declare::json_struct!(@write $Struct { $($field = $name [$($skip)?]),+ });
        $crate::json::declare::json_struct!(@fields $Struct false; $($name [$($skip)?]),+);
    };
    (@read $Struct:ident ($required:expr) { $($field:ident = $name:literal),+ }) => {
        impl $crate::json::FromJson for $Struct {
            fn from_json(value: &serde_json::Value) -> $crate::json::read::Read<Self> {
                #[allow(non_camel_case_types)]
                enum Field {
                    $($field),+
                }
                const SHAPE: $crate::json::read::Shape = $crate::json::read::Shape {
                    name: concat!("struct ", stringify!($Struct)),
                    fields: &[$($name),+],
                    required: $required,
                };
                // A field left out keeps its value in `Default` (the struct's, which is serde's
                // container `default`, or the field type's, which is serde's field `default`);
                // every required field is present once `then` is `Ok`.
                let mut out = <$Struct as Default>::default();
                let fields = $crate::json::read::fields(value, &SHAPE)?;
                for &(position, value) in &fields.present {
                    $(
                        if position == Field::$field as usize {
                            out.$field = $crate::json::FromJson::from_json(value)?;
                        } else
                    )+
                    {}
                }
                fields.then?;
                Ok(out)
            }
        }
    };
    (@fields $Struct:ident $all_optional:literal; $($name:literal [$($skip:tt)?]),+) => {
        #[cfg(test)]
        impl $Struct {
            /// The JSON field names in order, each with whether it may be left out, for the
            /// test that holds the TypeScript interfaces to the declarations (shapes that
            /// TypeScript does not declare, such as the saved state, leave it unused).
            #[allow(dead_code)]
            pub(crate) const JSON_FIELDS: &'static [(&'static str, bool)] = &[$((
                $name,
                $all_optional || !$crate::json::declare::json_struct!(@required $($skip)?),
            )),+];
        }
    };
    (@required) => { true };
    (@required $skip:tt) => { false };
    (@write $Struct:ident { $($field:ident = $name:literal [$($skip:tt)?]),+ }) => {
        impl $crate::json::ToJson for $Struct {
            fn write_json(&self, out: &mut $crate::json::JsonWriter) {
                out.begin_object();
                $($crate::json::declare::json_struct!(@field out, $name, &self.$field $(, $skip)?);)+
                out.end_object();
            }
        }
    };
    (@field $out:ident, $name:literal, $value:expr) => {
        $out.field($name, $value)
    };
    (@field $out:ident, $name:literal, $value:expr, "Option::is_none") => {
        $out.optional_field($name, $value)
    };
    (@field $out:ident, $name:literal, $value:expr, "Vec::is_empty") => {
        $out.list_field($name, $value)
    };
}

/// How many fields, from the first, are required; fails to compile (in a `const`) when a
/// required field follows one that may be left out, which [`read::fields`] cannot express.
///
/// [`read::fields`]: crate::json::read::fields
pub(crate) const fn required_prefix(required: &[bool]) -> usize {
    let mut count = 0;
    while count < required.len() && required[count] {
        count += 1;
    }
    let mut rest = count;
    while rest < required.len() {
        assert!(
            !required[rest],
            "required fields must come before those that may be left out"
        );
        rest += 1;
    }
    count
}

/// `export type Name = "a" | "b";`
macro_rules! typescript_union {
    ($Enum:ident: $first:literal $(, $name:literal)*) => {
        concat!(
            "export type ", stringify!($Enum), " = \"", $first, "\"" $(, " | \"", $name, "\"")*, ";\n"
        )
    };
}

/// The text of a `doc` attribute (`Some`), `None` for any other attribute.
#[cfg(not(target_arch = "wasm32"))]
macro_rules! doc_text {
    (doc = $text:literal) => {
        Some($text)
    };
    ($($other:tt)*) => {
        None
    };
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) use doc_text;
pub(crate) use {json_enum, json_struct, typescript_union};

/// A variant's help as `#[derive(clap::ValueEnum)]` makes it from the doc comment's lines
/// (given as `doc_text!` gives them): the first paragraph, its lines trimmed and joined by
/// spaces, without a final period.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn clap_help(docs: &[Option<&str>]) -> Option<String> {
    let lines: Vec<&str> = docs
        .iter()
        .flatten()
        .flat_map(|doc| doc.split('\n'))
        .map(str::trim)
        .skip_while(|line| line.is_empty())
        .take_while(|line| !line.is_empty())
        .collect();
    if lines.is_empty() {
        return None;
    }
    let mut help = lines.join(" ");
    if help.ends_with('.') && !help.ends_with("..") {
        help.pop();
    }
    Some(help)
}

#[cfg(test)]
mod tests {
    use super::clap_help;
    use crate::select::Criterion;

    #[test]
    fn the_typescript_union_lists_the_json_names() {
        assert_eq!(
            Criterion::TYPESCRIPT,
            "export type Criterion = \"maxInfo\" | \"kullbackLeibler\" | \"random\";\n"
        );
    }

    /// The keys of `export interface {name} { … }` in the TypeScript declarations, each with
    /// whether it is optional (`key?:`); keys of nested object types are not its own.
    fn interface_keys(name: &str) -> Vec<(String, bool)> {
        let text = include_str!("../../wasm/typescript.rs");
        let start = text
            .find(&format!("export interface {name} {{"))
            .unwrap_or_else(|| panic!("no interface {name}"));
        let mut keys = Vec::new();
        let mut depth = 0;
        let mut key = String::new();
        // Between a key's `:` and the `;` or line end that closes its type.
        let mut in_type = false;
        let mut chars = text[start..].chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '/' if chars.peek() == Some(&'*') => {
                    let mut previous = ' ';
                    for c in chars.by_ref() {
                        if previous == '*' && c == '/' {
                            break;
                        }
                        previous = c;
                    }
                }
                '{' | '[' | '(' => depth += 1,
                '}' | ']' | ')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                ';' | '\n' if depth == 1 => in_type = false,
                _ if in_type => {}
                '?' | ':' if depth == 1 && !key.is_empty() => {
                    keys.push((std::mem::take(&mut key), c == '?'));
                    in_type = true;
                }
                c if depth == 1 && (c.is_alphanumeric() || c == '_' || c == '$') => key.push(c),
                _ => key.clear(),
            }
        }
        keys
    }

    /// Every interface in `src/wasm/typescript.rs` that has a declaration here names the same
    /// fields, in the same order, optional exactly when the JSON may leave them out.
    #[test]
    fn typescript_interfaces_match_the_declarations() {
        use crate::bank::{Level, Reference, Topic};
        use crate::estimate::{EstimatorConfig, LevelProbability};
        use crate::report::{DomainEstimate, DomainReport, Report, ReviewEntry, TopicReport};
        use crate::session::{Feedback, ItemView, SessionConfig, Step};
        use crate::stop::StopRule;

        let declared: [(&str, &[(&str, bool)]); 16] = [
            ("SessionConfig", SessionConfig::JSON_FIELDS),
            ("StopRule", StopRule::JSON_FIELDS),
            (
                "SelectionConfig",
                crate::select::SelectionConfig::JSON_FIELDS,
            ),
            ("EstimatorConfig", EstimatorConfig::JSON_FIELDS),
            ("Topic", Topic::JSON_FIELDS),
            ("Level", Level::JSON_FIELDS),
            ("Reference", Reference::JSON_FIELDS),
            ("ItemView", ItemView::JSON_FIELDS),
            ("Feedback", Feedback::JSON_FIELDS),
            ("DomainEstimate", DomainEstimate::JSON_FIELDS),
            ("LevelProbability", LevelProbability::JSON_FIELDS),
            ("Report", Report::JSON_FIELDS),
            ("DomainReport", DomainReport::JSON_FIELDS),
            ("TopicReport", TopicReport::JSON_FIELDS),
            ("ReviewEntry", ReviewEntry::JSON_FIELDS),
            ("Step", Step::JSON_FIELDS),
        ];
        for (name, fields) in declared {
            let mut keys = interface_keys(name);
            if name == "SessionConfig" {
                // Read by the boundary itself (`src/wasm/session.rs`), not by the engine.
                assert_eq!(keys.pop(), Some(("profile".to_string(), true)));
            }
            let fields: Vec<(String, bool)> = fields
                .iter()
                .map(|&(field, optional)| (field.to_string(), optional))
                .collect();
            assert_eq!(keys, fields, "interface {name}");
        }
    }

    #[test]
    fn help_is_the_first_paragraph_without_its_period() {
        assert_eq!(clap_help(&[]), None);
        assert_eq!(clap_help(&[None]), None);
        assert_eq!(
            clap_help(&[Some(" One line."), None]).as_deref(),
            Some("One line")
        );
        assert_eq!(
            clap_help(&[
                Some(" Two"),
                Some(" lines..."),
                Some(""),
                Some(" Not this.")
            ])
            .as_deref(),
            Some("Two lines...")
        );
    }
}
