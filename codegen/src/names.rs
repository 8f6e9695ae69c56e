//! Rust names for XML names: heck for the case conversion, plus what heck does not do (Rust
//! keywords, names starting with a digit, characters Rust identifiers cannot hold).

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

fn clean(name: &str) -> String {
    // Anything that is not an ASCII letter or digit separates words (`i_acc_routing-tariff`,
    // `rating mode`); non-ASCII letters are not all valid in identifiers (`½`, `٣`).
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn fix(ident: String, digit_prefix: &str) -> String {
    let ident = if ident.is_empty() {
        "unnamed".to_string()
    } else if ident.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{digit_prefix}{ident}")
    } else {
        ident
    };
    if NOT_RAW.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// A field, method or module name: `snake_case`, keywords as raw identifiers (`r#type`).
pub fn snake(name: &str) -> String {
    fix(clean(name).to_snake_case(), "n")
}

/// `UpperCamelCase` (`DIDAPINumber` becomes `DidapiNumber`), for enum variants.
pub fn camel(name: &str) -> String {
    fix(clean(name).to_upper_camel_case(), "N")
}

/// Names generated code uses unqualified: a type of the same name would shadow them.
const PRELUDE_TYPES: &[&str] = &[
    "String", "Option", "Result", "Vec", "Box", "Some", "None", "Ok", "Err", "Default",
];

/// A type name: [`camel`], with a `Type` suffix where it would shadow a prelude name
/// (`String` becomes `StringType`).
pub fn type_name(name: &str) -> String {
    let camel = camel(name);
    if PRELUDE_TYPES.contains(&camel.as_str()) || camel == "Self_" {
        format!("{}Type", camel.trim_end_matches('_'))
    } else {
        camel
    }
}

/// A module (and file) name: [`snake`], with keywords suffixed by `_` rather than raw
/// (`r#match.rs` is not a file a `mod` declaration finds).
pub fn module(name: &str) -> String {
    let snake = snake(name);
    match snake.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None if snake == "mod" => "mod_".to_string(),
        None => snake,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        assert_eq!(snake("get_numbers"), "get_numbers");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("3way_calling"), "n3way_calling");
        assert_eq!(snake("LS_Conference"), "ls_conference");
        assert_eq!(snake("DIDAPI"), "didapi");
        assert_eq!(snake("rating mode"), "rating_mode");
        assert_eq!(snake("TransactionDateTime"), "transaction_date_time");
    }

    #[test]
    fn camel_names() {
        assert_eq!(camel("DIDAPINumber"), "DidapiNumber");
        assert_eq!(
            camel("GetDIDAPINumbersListRequest"),
            "GetDidapiNumbersListRequest"
        );
        assert_eq!(camel("AuthInfoStructure"), "AuthInfoStructure");
        assert_eq!(camel("Self"), "Self_");
        assert_eq!(camel("2fa"), "N2fa");
        assert_eq!(camel("T²"), "T");
        assert_eq!(snake("a½"), "a");
        assert_eq!(type_name("String"), "StringType");
        assert_eq!(type_name("Self"), "SelfType");
        assert_eq!(type_name("DIDAPINumber"), "DidapiNumber");
        assert_eq!(module("Match"), "match_");
        assert_eq!(module("mod"), "mod_");
        assert_eq!(module("self"), "self_");
        assert_eq!(module("LS_Conference"), "ls_conference");
    }
}
