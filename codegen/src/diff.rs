//! What changed in the API between two snapshot sets, for users of the generated crate
//! (`cargo xtask diff`).
//!
//! The comparison is made on the [`model`](crate::model) after overrides, the very thing
//! [`emit`](crate::emit) turns into Rust, not on WSDL text: reformatting, reordering and file
//! layout are not API changes, and an override that retypes a member is. Model differences that
//! do not change the generated code (`minOccurs="0"` versus `nillable="true"`, both `Option`;
//! the order of named members) are not reported.
//!
//! Each change is classified the way semver would see it from Rust code calling `telinta-api`:
//!
//! | change | breaking |
//! | --- | --- |
//! | service, operation, structure, member, enum or enum value removed | yes |
//! | service endpoint (realm) removed: the service no longer answers there | yes |
//! | service renamed (its client type and accessor are named after it) | yes |
//! | service, operation, structure, enum or endpoint added | no |
//! | optional or array member added | no |
//! | required member added (struct literals without `..Default::default()` stop compiling, and requests without it are incomplete) | yes |
//! | member type changed to a different Rust type | yes |
//! | member type changed to one with the same Rust type (`xsd:int` -> `xsd:long`, both `i64`) | no |
//! | optional <-> required (`Option<T>` <-> `T`), array <-> scalar (`Vec<T>` <-> `T`) | yes |
//! | member becomes `Box<T>` or stops being one (structures start or stop containing each other) | yes |
//! | Rust field renamed by an override | yes |
//! | enum value added (a new variant; the value used to decode as `Other`) | no |
//! | enum's first value, its `Default`, changed | no |
//! | operation input or output parts of different Rust types (the method's signature) | yes |
//! | operation deprecated (a `#[deprecated]` warning, kind `deprecated`), or no longer deprecated | no |
//! | wire-only: namespaces, SOAPAction, header, part names, endpoint URL, positional layout | no |
//! | documentation only | not listed, counted |
//!
//! "Additive" in the summary counts every change that is not breaking. A renamed structure is a
//! removed one plus an added one: the model has no way to tell a rename from a replacement.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde::{Deserialize, Serialize};

use crate::emit::{builtin_rust_path, field_name, recursive_members, Boxed};
use crate::model::{Api, EnumDef, Member, Message, Module, Operation, Service, TypeDef};
use crate::model::{Header, TypeRef};
use crate::names;

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Added,
    Removed,
    Changed,
    /// An operation newly deprecated (it gets `#[deprecated]`).
    Deprecated,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Changed => "changed",
            Kind::Deprecated => "deprecated",
        }
    }
}

/// One reported change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Rust module of the generated crate the item lives in (`didapi`, `common`).
    pub module: String,
    pub kind: Kind,
    /// What changed: `service DIDAPI`, `endpoint Reseller`, `operation get_numbers`,
    /// `structure DIDAPINumber`, `member DIDAPINumber.city_id`, `enum SortOrder`,
    /// `enum value SortOrder.ASC` (XML names).
    pub item: String,
    /// How it changed (`xsd:int -> xsd:string`, `optional -> required`); may be empty.
    pub detail: String,
    /// Whether code using the generated crate may stop compiling or behave wrongly.
    pub breaking: bool,
}

/// Counts of a report; the first line of the Markdown says the same.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub breaking: usize,
    /// Every listed change that is not breaking.
    pub additive: usize,
    /// Operations newly deprecated (also counted in `additive`).
    pub deprecated: usize,
    /// Items whose documentation changed and nothing else: counted, not listed.
    pub docs: usize,
    /// Modules with at least one listed change.
    pub modules: usize,
}

/// The API changes between two models, sorted by module, then by item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub summary: Summary,
    pub changes: Vec<Change>,
}

/// Loads both snapshot folders (with their overrides) and compares them.
pub fn diff_dirs(old: &Path, new: &Path) -> crate::Result<Report> {
    let (old, _) = crate::load_model(old)?;
    let (new, _) = crate::load_model(new)?;
    Ok(diff(&old, &new))
}

/// The changes from `old` to `new`.
pub fn diff(old: &Api, new: &Api) -> Report {
    let mut c = Collector {
        changes: Vec::new(),
        docs: 0,
        boxed: (recursive_members(old), recursive_members(new)),
    };
    let names: BTreeSet<&str> = old
        .modules
        .iter()
        .chain(&new.modules)
        .map(|m| m.name.as_str())
        .collect();
    for name in names {
        match (old.module(name), new.module(name)) {
            (Some(o), Some(n)) => c.module(o, n),
            // A whole new or gone module is one line, not one per operation and structure.
            (None, Some(n)) => c.push(name, Kind::Added, module_item(n), module_contents(n), false),
            (Some(o), None) => c.push(
                name,
                Kind::Removed,
                module_item(o),
                module_contents(o),
                true,
            ),
            (None, None) => unreachable!("the name comes from one of the two"),
        }
    }
    Report::new(c.changes, c.docs)
}

impl Report {
    fn new(mut changes: Vec<Change>, docs: usize) -> Report {
        changes.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
        let breaking = changes.iter().filter(|c| c.breaking).count();
        let modules: BTreeSet<&str> = changes.iter().map(|c| c.module.as_str()).collect();
        Report {
            summary: Summary {
                breaking,
                additive: changes.len() - breaking,
                deprecated: changes
                    .iter()
                    .filter(|c| c.kind == Kind::Deprecated)
                    .count(),
                docs,
                modules: modules.len(),
            },
            changes,
        }
    }

    pub fn has_breaking(&self) -> bool {
        self.summary.breaking > 0
    }

    /// The first line of the Markdown report.
    pub fn summary_line(&self) -> String {
        let s = &self.summary;
        if self.changes.is_empty() {
            return match s.docs {
                0 => "No API changes.".to_string(),
                n => format!(
                    "No API changes ({}).",
                    plural(n, "documentation-only change")
                ),
            };
        }
        let mut line = format!(
            "**API diff**: {} breaking, {} additive {} ({} changed)",
            s.breaking,
            s.additive,
            if s.breaking + s.additive == 1 {
                "change"
            } else {
                "changes"
            },
            plural(s.modules, "module"),
        );
        if s.deprecated > 0 {
            line.push_str(&format!(
                "; {} newly deprecated",
                plural(s.deprecated, "operation")
            ));
        }
        if s.docs > 0 {
            line.push_str(&format!(
                "; {} not listed",
                plural(s.docs, "documentation-only change")
            ));
        }
        line.push('.');
        line
    }

    /// For a pull-request comment: the summary line, then a table per module.
    pub fn to_markdown(&self) -> String {
        let mut out = self.summary_line();
        out.push('\n');
        let mut module = None;
        for c in &self.changes {
            if module != Some(&c.module) {
                module = Some(&c.module);
                out.push_str(&format!(
                    "\n### {}\n\n| change | item | detail | breaking |\n| --- | --- | --- | --- |\n",
                    c.module
                ));
            }
            // `operation get_items` -> operation `get_items`: the name in code font.
            let item = match c.item.rsplit_once(' ') {
                Some((what, name)) => format!("{what} `{name}`"),
                None => c.item.clone(),
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                c.kind.as_str(),
                cell(&item),
                cell(&c.detail),
                if c.breaking { "**yes**" } else { "no" }
            ));
        }
        out
    }

    /// `{"summary": {...}, "changes": [...]}`, pretty-printed.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("a report always serializes");
        json.push('\n');
        json
    }
}

/// A Markdown table cell: `|` would end the cell, and `<` could open an HTML tag, so a word
/// with `<` (a Rust type, `Box<Sub>`) is shown as code.
fn cell(text: &str) -> String {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            let w = w.replace('|', "\\|");
            if w.contains('<') {
                format!("`{w}`")
            } else {
                w
            }
        })
        .collect();
    words.join(" ")
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Module, then the service and its endpoints, operations, structures each followed by its
/// members, enums each followed by its values; then kind and detail, so the order is total.
fn sort_key(c: &Change) -> (&str, u8, &str, Kind, &str) {
    const GROUPS: &[(&str, u8)] = &[
        ("service ", 0),
        ("module ", 0),
        ("endpoint ", 1),
        ("operation ", 2),
        ("structure ", 3),
        ("member ", 3),
        ("enum value ", 4),
        ("enum ", 4),
    ];
    let (group, name) = GROUPS
        .iter()
        .find_map(|(prefix, g)| c.item.strip_prefix(prefix).map(|rest| (*g, rest)))
        .unwrap_or((5, c.item.as_str()));
    (&c.module, group, name, c.kind, &c.detail)
}

struct Collector {
    changes: Vec<Change>,
    docs: usize,
    /// Members generated as `Box<T>` in the old and the new API.
    boxed: (Boxed, Boxed),
}

impl Collector {
    fn push(&mut self, module: &str, kind: Kind, item: String, detail: String, breaking: bool) {
        self.changes.push(Change {
            module: module.to_string(),
            kind,
            item,
            detail,
            breaking,
        });
    }

    fn module(&mut self, o: &Module, n: &Module) {
        let module = n.name.as_str();
        if o.doc != n.doc {
            self.docs += 1;
        }
        match (&o.service, &n.service) {
            (Some(os), Some(ns)) => self.service(module, os, ns),
            (None, Some(s)) => self.push(
                module,
                Kind::Added,
                format!("service {}", s.name),
                plural(s.operations.len(), "operation"),
                false,
            ),
            (Some(s), None) => self.push(
                module,
                Kind::Removed,
                format!("service {}", s.name),
                plural(s.operations.len(), "operation"),
                true,
            ),
            (None, None) => {}
        }
        for (name, pair) in pair_up(&o.types, &n.types, |t| &t.name) {
            let item = format!("structure {name}");
            match pair {
                (Some(o), Some(n)) => self.structure(module, o, n),
                (None, Some(t)) => self.push(module, Kind::Added, item, struct_contents(t), false),
                (Some(t), None) => self.push(module, Kind::Removed, item, struct_contents(t), true),
                (None, None) => {}
            }
        }
        for (name, pair) in pair_up(&o.enums, &n.enums, |e| &e.name) {
            let item = format!("enum {name}");
            match pair {
                (Some(o), Some(n)) => self.enumeration(module, o, n),
                (None, Some(e)) => self.push(module, Kind::Added, item, enum_values(e), false),
                (Some(e), None) => self.push(module, Kind::Removed, item, enum_values(e), true),
                (None, None) => {}
            }
        }
    }

    fn service(&mut self, module: &str, o: &Service, n: &Service) {
        let item = format!("service {}", n.name);
        if o.name != n.name {
            // The client type and its accessor are named after the service.
            self.push(
                module,
                Kind::Changed,
                item.clone(),
                format!("renamed from {}", o.name),
                true,
            );
        }
        if o.namespace != n.namespace {
            self.push(
                module,
                Kind::Changed,
                item,
                format!("namespace {} -> {}", o.namespace, n.namespace),
                false,
            );
        }
        for (realm, pair) in pair_up(&o.endpoints, &n.endpoints, |e| &e.realm) {
            let item = format!("endpoint {realm}");
            match pair {
                (Some(oe), Some(ne)) if oe.location != ne.location => self.push(
                    module,
                    Kind::Changed,
                    item,
                    format!("{} -> {}", oe.location, ne.location),
                    false,
                ),
                (None, Some(e)) => self.push(module, Kind::Added, item, e.location.clone(), false),
                // Code calling this service in that realm now reaches nothing.
                (Some(e), None) => self.push(module, Kind::Removed, item, e.location.clone(), true),
                _ => {}
            }
        }
        for (name, pair) in pair_up(&o.operations, &n.operations, |op| &op.name) {
            let item = format!("operation {name}");
            match pair {
                (Some(o), Some(n)) => self.operation(module, o, n),
                (None, Some(op)) => {
                    let mut detail = signature(op);
                    if let Some(r) = &op.deprecated {
                        detail.push_str(&format!("; deprecated, use {r}"));
                    }
                    self.push(module, Kind::Added, item, detail, false)
                }
                (Some(op), None) => self.push(module, Kind::Removed, item, signature(op), true),
                (None, None) => {}
            }
        }
    }

    fn operation(&mut self, module: &str, o: &Operation, n: &Operation) {
        let before = self.changes.len();
        let item = || format!("operation {}", n.name);
        for (what, om, nm) in [
            ("input", &o.input, &n.input),
            ("output", &o.output, &n.output),
        ] {
            let (ot, nt) = (part_types(om), part_types(nm));
            if ot.len() != nt.len() || ot.iter().zip(&nt).any(|(a, b)| !same_rust_type(a, b)) {
                // Parameters or return type of the method.
                self.push(
                    module,
                    Kind::Changed,
                    item(),
                    format!("{what} {} -> {}", parts(om), parts(nm)),
                    true,
                );
            } else if parts(om) != parts(nm) {
                // Part names or XML types differ, the Rust signature does not.
                self.push(
                    module,
                    Kind::Changed,
                    item(),
                    format!(
                        "{what} {} -> {} (same Rust signature)",
                        parts(om),
                        parts(nm)
                    ),
                    false,
                );
            }
        }
        if o.soap_action != n.soap_action {
            let spell = |a: &Option<String>| a.clone().unwrap_or_else(|| "(default)".to_string());
            self.push(
                module,
                Kind::Changed,
                item(),
                format!(
                    "SOAPAction {} -> {}",
                    spell(&o.soap_action),
                    spell(&n.soap_action)
                ),
                false,
            );
        }
        if o.header != n.header {
            let spell = |h: &Option<Header>| match h {
                Some(h) => format!("{}: {}", h.name, h.ty.describe()),
                None => "none".to_string(),
            };
            self.push(
                module,
                Kind::Changed,
                item(),
                format!("header {} -> {}", spell(&o.header), spell(&n.header)),
                false,
            );
        }
        match (&o.deprecated, &n.deprecated) {
            (None, Some(r)) => self.push(
                module,
                Kind::Deprecated,
                item(),
                format!("use {r} (#[deprecated]: a warning, not an error)"),
                false,
            ),
            (Some(r), None) => self.push(
                module,
                Kind::Changed,
                item(),
                format!("no longer deprecated (was: use {r})"),
                false,
            ),
            (Some(a), Some(b)) if a != b => self.push(
                module,
                Kind::Changed,
                item(),
                format!("deprecated: use {a} -> use {b}"),
                false,
            ),
            _ => {}
        }
        // Message names appear only in the method's documentation.
        let docs = o.doc != n.doc || o.input.name != n.input.name || o.output.name != n.output.name;
        self.docs_only(before, docs);
    }

    /// Counts a documentation change of an item when nothing else of it was listed since
    /// `before` (the documentation of a newly deprecated operation changes with it: that is the
    /// deprecation, not a documentation-only change).
    fn docs_only(&mut self, before: usize, doc_changed: bool) {
        if doc_changed && self.changes.len() == before {
            self.docs += 1;
        }
    }

    fn structure(&mut self, module: &str, o: &TypeDef, n: &TypeDef) {
        let before = self.changes.len();
        let item = || format!("structure {}", n.name);
        if o.namespace != n.namespace {
            // Only the `xsi:type` written on the wire changes.
            self.push(
                module,
                Kind::Changed,
                item(),
                format!("XML namespace {} -> {}", o.namespace, n.namespace),
                false,
            );
        }
        let layout = |positional| {
            if positional {
                "positional array"
            } else {
                "named members"
            }
        };
        if o.positional != n.positional {
            self.push(
                module,
                Kind::Changed,
                item(),
                format!(
                    "sent as {} -> {} (fields unchanged)",
                    layout(o.positional),
                    layout(n.positional)
                ),
                false,
            );
        } else if n.positional {
            // In a positional structure the order is the wire format; elsewhere it is not.
            let order = |t: &TypeDef| {
                let kept: Vec<&str> = t
                    .members
                    .iter()
                    .map(|m| m.name.as_str())
                    .filter(|name| {
                        o.members.iter().any(|m| m.name == *name)
                            && n.members.iter().any(|m| m.name == *name)
                    })
                    .collect();
                kept.join(", ")
            };
            if order(o) != order(n) {
                self.push(
                    module,
                    Kind::Changed,
                    item(),
                    format!("item order {} -> {}", order(o), order(n)),
                    false,
                );
            }
        }
        self.docs_only(before, o.doc != n.doc);
        let pairs = pair_up(&o.members, &n.members, |m| &m.name);
        // A member whose XML name changed but whose Rust field did not (a `wire_name` override
        // fixing a misspelt element) is the same field to Rust code: pair the two by field.
        let mut renamed: BTreeMap<&str, &Member> = BTreeMap::new();
        for (gone, _) in pairs.values().filter(|p| p.1.is_none()) {
            let gone = gone.expect("one side is there");
            let same_field = pairs.values().find_map(|p| match p {
                (None, Some(m)) if field_name(m) == field_name(gone) => Some(*m),
                _ => None,
            });
            if let Some(m) = same_field {
                renamed.insert(m.name.as_str(), gone);
            }
        }
        for (name, pair) in &pairs {
            let item = format!("member {}.{name}", n.name);
            match *pair {
                (Some(om), Some(nm)) => self.member(module, item, (o, n), (om, nm)),
                (None, Some(nm)) => match renamed.get(name) {
                    Some(om) => self.member(module, item, (o, n), (om, nm)),
                    None => {
                        let required = !is_optional(nm) && !is_array(&nm.ty);
                        self.push(module, Kind::Added, item, member_contents(nm), required)
                    }
                },
                (Some(om), None) if renamed.values().any(|m| m.name == om.name) => {}
                (Some(om), None) => {
                    self.push(module, Kind::Removed, item, member_contents(om), true)
                }
                (None, None) => {}
            }
        }
    }

    /// A member of structure `types.0` (old) and `types.1` (new) that is in both (under the same
    /// XML name, or under two names for one Rust field).
    fn member(
        &mut self,
        module: &str,
        item: String,
        types: (&TypeDef, &TypeDef),
        (o, n): (&Member, &Member),
    ) {
        let before = self.changes.len();
        let key = |t: &TypeDef, m: &Member| (module.to_string(), t.name.clone(), m.name.clone());
        let boxed = (
            self.boxed.0.contains(&key(types.0, o)),
            self.boxed.1.contains(&key(types.1, n)),
        );
        if o.name != n.name {
            // Paired by Rust field: only the element name on the wire differs.
            self.push(
                module,
                Kind::Changed,
                item.clone(),
                format!("XML name {} -> {} (same Rust field)", o.name, n.name),
                false,
            );
        }
        let (of, nf) = (field_name(o), field_name(n));
        if of != nf {
            self.push(
                module,
                Kind::Changed,
                item.clone(),
                format!("Rust field {of} -> {nf}"),
                true,
            );
        }
        let (ot, nt) = spell_pair(&o.ty, &n.ty);
        if is_array(&o.ty) != is_array(&n.ty) {
            let shape = |ty: &TypeRef| if is_array(ty) { "array" } else { "scalar" };
            self.push(
                module,
                Kind::Changed,
                item.clone(),
                format!("{} -> {} ({ot} -> {nt})", shape(&o.ty), shape(&n.ty)),
                true,
            );
        } else if o.ty != n.ty {
            if same_rust_type(&o.ty, &n.ty) {
                self.push(
                    module,
                    Kind::Changed,
                    item.clone(),
                    format!("{ot} -> {nt} (same Rust type: {})", rust_type(&n.ty)),
                    false,
                );
            } else {
                self.push(
                    module,
                    Kind::Changed,
                    item.clone(),
                    format!("{ot} -> {nt}"),
                    true,
                );
            }
        }
        if boxed.0 != boxed.1 {
            // The structure gained or lost a path back to itself (through other structures).
            let ty = n.ty.describe();
            self.push(
                module,
                Kind::Changed,
                item.clone(),
                if boxed.1 {
                    format!("{ty} -> Box<{ty}> (the structures now contain each other)")
                } else {
                    format!("Box<{ty}> -> {ty} (the structures no longer contain each other)")
                },
                true,
            );
        }
        // Arrays are `Vec` whether optional or not; array <-> scalar is reported above.
        if !is_array(&o.ty) && !is_array(&n.ty) && is_optional(o) != is_optional(n) {
            self.push(
                module,
                Kind::Changed,
                item,
                format!("{} -> {}", presence(o), presence(n)),
                true,
            );
        }
        // All three only appear in the field's documentation.
        let docs = o.doc != n.doc || o.marker != n.marker || o.override_source != n.override_source;
        self.docs_only(before, docs);
    }

    fn enumeration(&mut self, module: &str, o: &EnumDef, n: &EnumDef) {
        let before = self.changes.len();
        // The first value is the `#[default]` variant.
        if let (Some(a), Some(b)) = (o.values.first(), n.values.first()) {
            if a.value != b.value {
                self.push(
                    module,
                    Kind::Changed,
                    format!("enum {}", n.name),
                    format!("Default::default() {} -> {}", a.value, b.value),
                    false,
                );
            }
        }
        self.docs_only(before, o.doc != n.doc);
        for (value, pair) in pair_up(&o.values, &n.values, |v| &v.value) {
            let item = format!("enum value {}.{value}", n.name);
            match pair {
                (Some(a), Some(b)) if a.doc != b.doc => self.docs += 1,
                // Compiles as before, but matches on `Other` no longer see this value.
                (None, Some(_)) => self.push(
                    module,
                    Kind::Added,
                    item,
                    format!(
                        "new variant {}; this value decoded as Other before",
                        names::camel(value)
                    ),
                    false,
                ),
                (Some(_), None) => self.push(
                    module,
                    Kind::Removed,
                    item,
                    format!(
                        "variant {} removed; the value now decodes as Other",
                        names::camel(value)
                    ),
                    true,
                ),
                _ => {}
            }
        }
    }
}

/// Items of two lists matched by key, sorted by key.
fn pair_up<'a, T>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> &String,
) -> BTreeMap<&'a str, (Option<&'a T>, Option<&'a T>)> {
    let mut pairs: BTreeMap<&str, (Option<&T>, Option<&T>)> = BTreeMap::new();
    for o in old {
        pairs.entry(key(o).as_str()).or_default().0 = Some(o);
    }
    for n in new {
        pairs.entry(key(n).as_str()).or_default().1 = Some(n);
    }
    pairs
}

fn module_item(m: &Module) -> String {
    match &m.service {
        Some(s) => format!("service {}", s.name),
        None => format!("module {}", m.name),
    }
}

fn module_contents(m: &Module) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &m.service {
        parts.push(plural(s.operations.len(), "operation"));
    }
    parts.push(plural(m.types.len(), "structure"));
    if !m.enums.is_empty() {
        parts.push(plural(m.enums.len(), "enum"));
    }
    parts.join(", ")
}

/// `xsd:string, optional`; `xsd:string[]` (an array is never `Option`).
fn member_contents(m: &Member) -> String {
    if is_array(&m.ty) {
        m.ty.describe()
    } else {
        format!("{}, {}", m.ty.describe(), presence(m))
    }
}

fn struct_contents(t: &TypeDef) -> String {
    plural(t.members.len(), "member")
}

fn enum_values(e: &EnumDef) -> String {
    let values: Vec<&str> = e.values.iter().map(|v| v.value.as_str()).collect();
    values.join(", ")
}

/// `(request: GetItemsRequest) -> GetItemsResponse`.
fn signature(op: &Operation) -> String {
    format!("{} -> {}", parts(&op.input), parts(&op.output))
}

/// `(login: xsd:string, password: xsd:string)`.
fn parts(m: &Message) -> String {
    let parts: Vec<String> = m
        .parts
        .iter()
        .map(|p| format!("{}: {}", p.name, p.ty.describe()))
        .collect();
    format!("({})", parts.join(", "))
}

fn part_types(m: &Message) -> Vec<&TypeRef> {
    m.parts.iter().map(|p| &p.ty).collect()
}

fn is_array(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Array(_))
}

/// `Option<_>` in Rust (for a scalar): absent or nil are the same to a caller.
fn is_optional(m: &Member) -> bool {
    m.optional || m.nillable
}

/// Of a scalar member (arrays are `Vec` either way).
fn presence(m: &Member) -> &'static str {
    if is_optional(m) {
        "optional"
    } else {
        "required"
    }
}

/// Both types as the model spells them, qualified with their module when that is the only
/// difference (a structure moved to another module has another Rust path).
fn spell_pair(a: &TypeRef, b: &TypeRef) -> (String, String) {
    let (da, db) = (a.describe(), b.describe());
    if da == db && a != b {
        (qualified(a), qualified(b))
    } else {
        (da, db)
    }
}

fn qualified(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named { module, name } => format!("{module}::{name}"),
        TypeRef::Enum { module, name } => format!("{module}::{name} (enum)"),
        TypeRef::Array(item) => format!("{}[]", qualified(item)),
        TypeRef::Builtin(_) => ty.describe(),
    }
}

/// Whether two types generate the same Rust type: several XML Schema built-ins share one
/// (`int`, `long`, `short` are all `i64`).
pub fn same_rust_type(a: &TypeRef, b: &TypeRef) -> bool {
    match (a, b) {
        (TypeRef::Builtin(x), TypeRef::Builtin(y)) => {
            builtin_rust_path(*x) == builtin_rust_path(*y)
        }
        (TypeRef::Array(x), TypeRef::Array(y)) => same_rust_type(x, y),
        // A structure and an enum of the same name are different types even at one path.
        (TypeRef::Named { .. }, TypeRef::Named { .. })
        | (TypeRef::Enum { .. }, TypeRef::Enum { .. }) => a == b,
        _ => false,
    }
}

/// The Rust type a member of this type has (without `Option`), for messages.
pub fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Builtin(b) => builtin_rust_path(*b).to_string(),
        TypeRef::Named { module, name } | TypeRef::Enum { module, name } => {
            format!("{module}::{}", names::type_name(name))
        }
        TypeRef::Array(item) => format!("Vec<{}>", rust_type(item)),
    }
}

/// Writes the files under `folder` (relative to the repository root, e.g. `wsdl-snapshots`) as
/// they are at revision `rev` of the git repository `repo` into `dest`, so that the snapshots
/// of any commit can be loaded like a folder.
pub fn checkout_snapshots(
    repo: &Path,
    rev: &str,
    folder: &str,
    dest: &Path,
) -> std::io::Result<()> {
    let fail = |message: String| std::io::Error::other(message);
    // A revision starting with `-` would be read by git as an option.
    if rev.starts_with('-') {
        return Err(fail(format!("`{rev}` is not a revision")));
    }
    let commit = git(
        repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|e| {
        fail(format!(
            "`{rev}` is not a revision of {}: {e}",
            repo.display()
        ))
    })?;
    let commit = String::from_utf8_lossy(&commit).trim().to_string();
    let folder = folder.trim_end_matches('/');
    let listing = git(
        repo,
        &[
            "ls-tree",
            "-r",
            "-z",
            "--name-only",
            &commit,
            "--",
            &format!("{folder}/"),
        ],
    )
    .map_err(|e| fail(format!("listing {folder}/ at {rev}: {e}")))?;
    let files: Vec<String> = listing
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    if files.is_empty() {
        return Err(fail(format!("revision `{rev}` has no {folder}/ folder")));
    }
    for path in files {
        let bytes = git(repo, &["cat-file", "blob", &format!("{commit}:{path}")])
            .map_err(|e| fail(format!("reading {path} at {rev}: {e}")))?;
        let rel = path.strip_prefix(&format!("{folder}/")).unwrap_or(&path);
        let target = dest.join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, bytes)?;
    }
    Ok(())
}

/// Runs git in `repo`; its stdout, or its stderr (or exit status) as the error.
fn git(repo: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(repo)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
        Err(if stderr.is_empty() {
            format!("git {} failed ({})", args[0], out.status)
        } else {
            stderr
        })
    }
}
