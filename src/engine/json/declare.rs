//! One declaration per JSON enum. [`json_enum!`] takes the variants with their JSON names and
//! makes everything else from that list: the enum itself (with serde's derives, which the bank
//! reader and Rust callers use), its variants (`ALL`) and names (`JSON_NAMES`, `json_name`,
//! `from_json_name`), the reader ([`FromJson`]), the writer ([`ToJson`]), the TypeScript union
//! (`TYPESCRIPT`, which `src/wasm/typescript.rs` emits) and, natively, `clap::ValueEnum` for the
//! command line.
//!
//! So adding a variant is one line, and nothing can forget it: every table is made from the
//! same list, and every `match` on the enum elsewhere stops compiling until it handles it.
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
        }

        impl $Enum {
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
pub(crate) use {json_enum, typescript_union};

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
