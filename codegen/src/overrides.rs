//! Doc-derived overrides: where the reference document knows better than the WSDL.
//!
//! PortaBilling's WSDL (and so our snapshots) declares many members loosely: a list of
//! structures as `string`, a two-element array as `array`, a documented value set as `string`.
//! `wsdl-snapshots/overrides.toml` gives such members their real type, each entry citing the
//! document section it comes from. Overrides are applied to the model between loading and
//! emission. An entry whose target is gone, or no longer has the type the entry expects, stops
//! generation with a message naming the entry: an override must never silently stop applying.
//!
//! The file holds four kinds of tables:
//! - `[[structure]]`: a new structure (`positional = true` for one sent as an array whose items
//!   are its members, in order);
//! - `[[enum]]`: a documented value set;
//! - `[[member]]`: a member's new type (`type`, with `expect` = the type the snapshot declares),
//!   Rust name (`rust_name`), element name on the wire (`wire_name`) or documentation (`doc`);
//! - `[[loose]]`: a loose member deliberately left loose, with the reason. Loose members
//!   without an override decode into the dynamic [`Value`](https://docs.rs/telinta-api) type.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Location, Result};
use crate::model::{Api, Builtin, EnumDef, EnumValue, Member, TypeDef, TypeRef};

/// File name of the overrides, in the snapshot folder.
pub const FILE_NAME: &str = "overrides.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default, rename = "structure")]
    structures: Vec<StructureEntry>,
    #[serde(default, rename = "enum")]
    enums: Vec<EnumEntry>,
    #[serde(default, rename = "member")]
    members: Vec<MemberEntry>,
    #[serde(default, rename = "loose")]
    loose: Vec<LooseEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StructureEntry {
    module: toml::Spanned<String>,
    name: String,
    doc: Option<String>,
    source: String,
    #[serde(default)]
    positional: bool,
    members: Vec<NewMember>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewMember {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    doc: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EnumEntry {
    module: toml::Spanned<String>,
    name: String,
    doc: Option<String>,
    source: String,
    values: Vec<ValueEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ValueEntry {
    value: String,
    doc: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberEntry {
    target: toml::Spanned<String>,
    /// The type the snapshot declares now (required with `type`).
    expect: Option<String>,
    #[serde(rename = "type")]
    ty: Option<String>,
    rust_name: Option<String>,
    /// The element name the server really sends, where the document's differs.
    wire_name: Option<String>,
    doc: Option<String>,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LooseEntry {
    target: toml::Spanned<String>,
    reason: String,
}

/// A loose member: declared `string` (described as a list or structure), `array` without item
/// type, or `anyType`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LooseSpot {
    /// `module.Type.member`.
    pub target: String,
    /// What the snapshot declares.
    pub declared: String,
    /// The `[[loose]]` reason, when the spot is acknowledged.
    pub reason: Option<String>,
}

impl std::fmt::Display for LooseSpot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.target, self.declared)
    }
}

/// Applies `dir/overrides.toml` (when present) to the model; returns every loose member left
/// without an override, acknowledged or not.
pub fn apply(api: &mut Api, dir: &Path) -> Result<Vec<LooseSpot>> {
    let path = dir.join(FILE_NAME);
    let file = match std::fs::read_to_string(&path) {
        Ok(text) => Some((parse(&path, &text)?, text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => return Err(Error::Io { path, source }),
    };
    let Some((file, text)) = file else {
        return Ok(loose_spots(api, &[]));
    };
    let at = |span: std::ops::Range<usize>| location(&path, &text, span.start);
    for e in &file.enums {
        let module = module_index(api, &e.module, at(e.module.span()))?;
        check_new_name(api, module, &e.name, at(e.module.span()))?;
        let doc = Some(with_source(e.doc.as_deref(), &e.source));
        api.modules[module].enums.push(EnumDef {
            name: e.name.clone(),
            doc,
            values: e
                .values
                .iter()
                .map(|v| EnumValue {
                    value: v.value.clone(),
                    doc: v.doc.clone(),
                })
                .collect(),
        });
    }
    // Structures may refer to each other: declare them all, then resolve their members.
    let mut declared = Vec::new();
    for s in &file.structures {
        let module = module_index(api, &s.module, at(s.module.span()))?;
        check_new_name(api, module, &s.name, at(s.module.span()))?;
        // The structure lives in the namespace of the module's other types (PortaBilling's).
        let namespace = api.modules[module]
            .types
            .first()
            .map(|t| t.namespace.clone())
            .unwrap_or_default();
        api.modules[module].types.push(TypeDef {
            name: s.name.clone(),
            namespace,
            doc: Some(with_source(s.doc.as_deref(), &s.source)),
            members: Vec::new(),
            positional: s.positional,
        });
        declared.push(module);
    }
    for (s, &module) in file.structures.iter().zip(&declared) {
        let mut members = Vec::new();
        for m in &s.members {
            let ty = resolve(api, module, &m.ty).map_err(|msg| {
                Error::invalid(
                    at(s.module.span()),
                    format!("[[structure]] {}: member `{}`: {msg}", s.name, m.name),
                )
            })?;
            members.push(Member {
                name: m.name.clone(),
                ty,
                optional: true,
                nillable: false,
                marker: None,
                doc: m.doc.clone(),
                rust_name: None,
                override_source: None,
            });
        }
        let t = api.modules[module]
            .types
            .iter_mut()
            .find(|t| t.name == s.name)
            .expect("declared above");
        t.members = members;
    }
    for e in &file.members {
        let loc = at(e.target.span());
        let (module, ty, member) = find_member(api, e.target.get_ref()).map_err(|m| {
            Error::invalid(
                loc.clone(),
                format!("[[member]] {}: {m}", e.target.get_ref()),
            )
        })?;
        let label = e.target.get_ref();
        let new_ty = match (&e.ty, &e.expect) {
            (Some(t), Some(expect)) => {
                let current = api.modules[module].types[ty].members[member].ty.describe();
                if &current != expect {
                    return Err(Error::invalid(
                        loc,
                        format!("[[member]] {label}: the snapshot now declares `{current}`, not `{expect}`: the override no longer applies (update or remove it)"),
                    ));
                }
                Some(
                    resolve(api, module, t).map_err(|m| {
                        Error::invalid(loc.clone(), format!("[[member]] {label}: {m}"))
                    })?,
                )
            }
            (Some(_), None) => {
                return Err(Error::invalid(
                    loc,
                    format!(
                        "[[member]] {label}: `type` needs `expect`, the type the snapshot declares"
                    ),
                ))
            }
            (None, _) => None,
        };
        let m = &mut api.modules[module].types[ty].members[member];
        if let Some(t) = new_ty {
            m.ty = t;
        }
        if let Some(name) = &e.rust_name {
            m.rust_name = Some(name.clone());
        }
        if let Some(wire) = &e.wire_name {
            // The Rust name stays derived from the document's name unless given.
            if m.rust_name.is_none() {
                m.rust_name = Some(crate::names::snake(wire));
            }
            m.name = wire.clone();
        }
        if let Some(doc) = &e.doc {
            m.doc = Some(doc.clone());
        }
        m.override_source = Some(e.source.clone());
    }
    for e in &file.loose {
        let loc = at(e.target.span());
        let label = e.target.get_ref();
        let (module, ty, member) = find_member(api, label)
            .map_err(|m| Error::invalid(loc.clone(), format!("[[loose]] {label}: {m}")))?;
        let m = &api.modules[module].types[ty].members[member];
        if m.override_source.is_some() || !is_loose(m) {
            return Err(Error::invalid(
                loc,
                format!("[[loose]] {label}: the member is no longer loose (it is `{}`): remove the entry", m.ty.describe()),
            ));
        }
    }
    Ok(loose_spots(api, &file.loose))
}

fn parse(path: &Path, text: &str) -> Result<File> {
    toml::from_str(text).map_err(|e| {
        let start = e.span().map_or(0, |s| s.start);
        Error::invalid(
            location(path, text, start),
            format!("malformed overrides: {}", e.message()),
        )
    })
}

fn location(path: &Path, text: &str, offset: usize) -> Location {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.chars().rev().take_while(|c| *c != '\n').count() + 1;
    Location::new(path, line as u32, column as u32)
}

fn with_source(doc: Option<&str>, source: &str) -> String {
    match doc {
        Some(d) => format!("{d}\n\nFrom the reference document: {source}"),
        None => format!("From the reference document: {source}"),
    }
}

fn module_index(api: &Api, module: &toml::Spanned<String>, at: Location) -> Result<usize> {
    api.modules
        .iter()
        .position(|m| &m.name == module.get_ref())
        .ok_or_else(|| Error::invalid(at, format!("module `{}` does not exist", module.get_ref())))
}

fn check_new_name(api: &Api, module: usize, name: &str, at: Location) -> Result<()> {
    let m = &api.modules[module];
    if m.types.iter().any(|t| t.name == name) || m.enums.iter().any(|e| e.name == name) {
        return Err(Error::invalid(
            at,
            format!("`{name}` already exists in module `{}`", m.name),
        ));
    }
    Ok(())
}

/// `module.Type.member` to indexes.
fn find_member(api: &Api, target: &str) -> std::result::Result<(usize, usize, usize), String> {
    let mut parts = target.split('.');
    let (Some(module), Some(ty), Some(member), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("a target is `module.Type.member`".into());
    };
    let mi = api
        .modules
        .iter()
        .position(|m| m.name == module)
        .ok_or_else(|| format!("module `{module}` does not exist"))?;
    let ti = api.modules[mi]
        .types
        .iter()
        .position(|t| t.name == ty)
        .ok_or_else(|| format!("structure `{ty}` is gone from module `{module}`"))?;
    let xi = api.modules[mi].types[ti]
        .members
        .iter()
        .position(|m| m.name == member)
        .ok_or_else(|| format!("member `{member}` is gone from structure `{ty}`"))?;
    Ok((mi, ti, xi))
}

/// `xsd:int`, `soapenc:Array`, `RateInfo`, `RateInfo[]`, an enum name; names are looked up in
/// the module, then in the other modules.
fn resolve(api: &Api, module: usize, text: &str) -> std::result::Result<TypeRef, String> {
    if let Some(item) = text.strip_suffix("[]") {
        return resolve(api, module, item).map(|t| TypeRef::Array(Box::new(t)));
    }
    if text == "soapenc:Array" {
        return Ok(TypeRef::Array(Box::new(TypeRef::Builtin(Builtin::AnyType))));
    }
    if let Some(b) = text.strip_prefix("xsd:") {
        return Builtin::from_xsd_name(b)
            .map(TypeRef::Builtin)
            .ok_or_else(|| format!("unknown type `{text}`"));
    }
    let order = std::iter::once(module).chain((0..api.modules.len()).filter(|i| *i != module));
    for i in order {
        let m = &api.modules[i];
        if m.enums.iter().any(|e| e.name == text) {
            return Ok(TypeRef::Enum {
                module: m.name.clone(),
                name: text.to_string(),
            });
        }
        if m.types.iter().any(|t| t.name == text) {
            return Ok(TypeRef::Named {
                module: m.name.clone(),
                name: text.to_string(),
            });
        }
    }
    Err(format!("unknown type `{text}`"))
}

const LIST_WORDS: &[&str] = &["list", "array", "structure"];

/// Is this member declared more loosely than what it holds?
pub fn is_loose(m: &Member) -> bool {
    match &m.ty {
        TypeRef::Builtin(Builtin::AnyType) => true,
        TypeRef::Array(item) => **item == TypeRef::Builtin(Builtin::AnyType),
        TypeRef::Builtin(Builtin::String) => {
            let doc = m.doc.as_deref().unwrap_or_default().to_ascii_lowercase();
            LIST_WORDS.iter().any(|w| {
                doc.split(|c: char| !c.is_ascii_alphabetic())
                    .any(|word| word == *w || word == format!("{w}s"))
            })
        }
        _ => false,
    }
}

/// Loose members without an override. A `string` described as a list becomes `anyType`, so
/// that whatever the server sends there decodes (into the dynamic value type).
fn loose_spots(api: &mut Api, acknowledged: &[LooseEntry]) -> Vec<LooseSpot> {
    let mut spots = Vec::new();
    for module in &mut api.modules {
        for t in &mut module.types {
            for m in &mut t.members {
                if m.override_source.is_some() || !is_loose(m) {
                    continue;
                }
                let target = format!("{}.{}.{}", module.name, t.name, m.name);
                spots.push(LooseSpot {
                    declared: m.ty.describe(),
                    reason: acknowledged
                        .iter()
                        .find(|a| a.target.get_ref() == &target)
                        .map(|a| a.reason.clone()),
                    target,
                });
                if m.ty == TypeRef::Builtin(Builtin::String) {
                    m.ty = TypeRef::Builtin(Builtin::AnyType);
                }
            }
        }
    }
    spots.sort();
    spots
}
