//! Rust source from the [`model`](crate::model). This module only reads the model: every
//! decision about shapes was taken when the model was built. Output is formatted with
//! prettyplease and is a pure function of the model, so regeneration is byte-stable.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::error::{Error, Result};
use crate::model::{Api, Builtin, EnumDef, Member, Module, Operation, Service, TypeDef, TypeRef};
use crate::names;

/// One generated file, relative to the generated crate's `src/generated/` folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// Is this member's value a credential (never shown by `Debug`)? By name, any case:
/// `password`, `h323_password`, `new_password`, `api_token`, `session_id`, `pin`...
fn is_secret(member: &str) -> bool {
    let name = member.to_ascii_lowercase();
    name.contains("password")
        || name.contains("passwd")
        || name.contains("secret")
        || name.ends_with("token")
        || name.ends_with("session_id")
        || name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|part| part == "pin")
}

/// The one table from XML Schema built-ins to Rust types. Amounts (PortaBilling declares them
/// `float`) are exact decimals; dates and times are chrono values (zone-less means UTC).
pub fn builtin_rust_path(b: Builtin) -> &'static str {
    match b {
        Builtin::String | Builtin::AnyUri | Builtin::Base64Binary => "String",
        Builtin::Date => "crate::chrono::NaiveDate",
        Builtin::DateTime => "crate::chrono::DateTime<crate::chrono::Utc>",
        Builtin::Time => "crate::chrono::NaiveTime",
        Builtin::Int
        | Builtin::Long
        | Builtin::Short
        | Builtin::Byte
        | Builtin::Integer
        | Builtin::UnsignedInt => "i64",
        Builtin::UnsignedLong => "u64",
        Builtin::Float | Builtin::Double | Builtin::Decimal => "crate::Decimal",
        Builtin::Boolean => "bool",
        Builtin::AnyType => "crate::encoding::Value",
    }
}

fn builtin_rust(b: Builtin) -> TokenStream {
    let ty: syn::Type = syn::parse_str(builtin_rust_path(b)).expect("the table holds Rust types");
    quote!(#ty)
}

/// The Rust field name of a member.
pub fn field_name(m: &Member) -> String {
    m.rust_name.clone().unwrap_or_else(|| names::snake(&m.name))
}

/// Generates every file: one per module plus `mod.rs`.
pub fn emit(api: &Api) -> Result<Vec<GeneratedFile>> {
    let prefixes = Prefixes::new(api);
    let boxed = recursive_members(api);
    let mut files = Vec::new();
    for module in &api.modules {
        files.push(GeneratedFile {
            path: format!("{}.rs", module.name),
            contents: emit_module(api, module, &prefixes, &boxed)?,
        });
    }
    files.push(GeneratedFile {
        path: "mod.rs".to_string(),
        contents: emit_mod_rs(api, &prefixes)?,
    });
    Ok(files)
}

/// Members (module, structure, member) that must be boxed: a non-array member whose structure
/// leads back to the structure holding it (legal XSD; infinite size in Rust without a pointer).
pub type Boxed = BTreeSet<(String, String, String)>;

pub fn recursive_members(api: &Api) -> Boxed {
    let edges = |module: &str, name: &str| -> Vec<(String, String)> {
        api.type_def(module, name)
            .map(|t| {
                t.members
                    .iter()
                    .filter_map(|m| match &m.ty {
                        TypeRef::Named { module, name } => Some((module.clone(), name.clone())),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let reaches = |from: (String, String), target: &(String, String)| -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(node) = stack.pop() {
            if &node == target {
                return true;
            }
            if seen.insert(node.clone()) {
                stack.extend(edges(&node.0, &node.1));
            }
        }
        false
    };
    let mut boxed = Boxed::new();
    for module in &api.modules {
        for t in &module.types {
            let me = (module.name.clone(), t.name.clone());
            for m in &t.members {
                if let TypeRef::Named {
                    module: tm,
                    name: tn,
                } = &m.ty
                {
                    if reaches((tm.clone(), tn.clone()), &me) {
                        boxed.insert((module.name.clone(), t.name.clone(), m.name.clone()));
                    }
                }
            }
        }
    }
    boxed
}

/// Namespace prefixes used in `xsi:type` values; the runtime declares them on the envelope.
struct Prefixes(BTreeMap<String, String>);

impl Prefixes {
    fn new(api: &Api) -> Self {
        let namespaces: BTreeSet<&str> = api
            .modules
            .iter()
            .flat_map(|m| m.types.iter().map(|t| t.namespace.as_str()))
            .collect();
        Prefixes(
            namespaces
                .into_iter()
                .enumerate()
                .map(|(i, ns)| {
                    let prefix = if i == 0 {
                        "ns".to_string()
                    } else {
                        format!("ns{}", i + 1)
                    };
                    (ns.to_string(), prefix)
                })
                .collect(),
        )
    }

    /// The `xsi:type` written for a value of this type (for an array: of its items).
    fn xsi_type(&self, api: &Api, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Builtin(b) => format!("xsd:{}", b.xsd_name()),
            TypeRef::Named { module, name } => {
                let ns = api
                    .type_def(module, name)
                    .map(|t| t.namespace.as_str())
                    .unwrap_or_default();
                match self.0.get(ns) {
                    Some(prefix) => format!("{prefix}:{name}"),
                    None => name.clone(),
                }
            }
            TypeRef::Enum { .. } => "xsd:string".to_string(),
            TypeRef::Array(item) => match item.as_ref() {
                TypeRef::Array(_) => "soapenc:Array".to_string(),
                other => self.xsi_type(api, other),
            },
        }
    }
}

fn header(module: &Module) -> String {
    let mut out = String::from(
        "// @generated by telinta-codegen (`cargo xtask codegen`). Do not edit by hand.\n",
    );
    for source in &module.sources {
        out.push_str(&format!(
            "// Source: wsdl-snapshots/{} (sha256 {})\n",
            source.path, source.sha256
        ));
    }
    out
}

fn format_file(header: String, tokens: TokenStream, what: &str) -> Result<String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Conflict {
        message: format!("internal error: generated code for {what} does not parse: {e}"),
    })?;
    Ok(format!("{header}\n{}", prettyplease::unparse(&file)))
}

fn doc_attrs(text: &str) -> TokenStream {
    let lines: Vec<TokenStream> = text
        .lines()
        .map(|l| {
            let l = if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            };
            quote!(#[doc = #l])
        })
        .collect();
    quote!(#(#lines)*)
}

fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Rust type of a reference, as seen from module `from`.
fn rust_type(ty: &TypeRef, from: &str) -> TokenStream {
    match ty {
        TypeRef::Builtin(b) => builtin_rust(*b),
        TypeRef::Named { module, name } | TypeRef::Enum { module, name } => {
            let ty = ident(&names::type_name(name));
            if module == from {
                quote!(#ty)
            } else {
                let m = ident(module);
                quote!(super::#m::#ty)
            }
        }
        TypeRef::Array(item) => {
            let item = rust_type(item, from);
            quote!(Vec<#item>)
        }
    }
}

fn is_array(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Array(_))
}

/// `Option<_>` for members that may be absent or nil; arrays are `Vec<_>` either way (absent
/// and empty are the same to a caller).
fn member_type(m: &Member, from: &str, boxed: bool) -> TokenStream {
    let ty = rust_type(&m.ty, from);
    // A structure that contains itself (directly or through others) needs a pointer.
    let ty = if boxed { quote!(Box<#ty>) } else { ty };
    if (m.optional || m.nillable) && !is_array(&m.ty) {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

/// Text from the documents, made inert for rustdoc's Markdown: `[x]` would be a link and `<x>` an
/// HTML tag.
fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '[' | ']' | '<' | '>' | '*' | '`' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn type_doc(t: &TypeDef) -> String {
    let mut doc = t
        .doc
        .as_deref()
        .map(prose)
        .unwrap_or_else(|| format!("The `{}` structure.", t.name));
    doc.push_str(&format!("\n\nXML type `{}` in `{}`.", t.name, t.namespace));
    doc
}

fn member_doc(m: &Member) -> String {
    let mut doc = m
        .doc
        .as_deref()
        .map(prose)
        .unwrap_or_else(|| format!("The `{}` member.", m.name));
    doc.push_str(&format!("\n\nXML member `{}`", m.name));
    if is_array(&m.ty) {
        doc.push_str(" (a SOAP array; empty when absent)");
    } else if !(m.optional || m.nillable) {
        doc.push_str(" (required)");
    }
    doc.push('.');
    if let Some(marker) = m.marker {
        doc.push_str(&format!("\n\n{}", marker.describe()));
    }
    if let Some(source) = &m.override_source {
        doc.push_str(&format!(
            "\n\nTyped from the reference document ({}); the WSDL declares it more loosely.",
            prose(source)
        ));
    }
    doc
}

fn emit_struct(
    api: &Api,
    module: &Module,
    boxed: &Boxed,
    t: &TypeDef,
    prefixes: &Prefixes,
) -> Result<TokenStream> {
    let name = ident(&names::type_name(&t.name));
    let doc = doc_attrs(&type_doc(t));
    let mut seen = BTreeSet::new();
    for m in &t.members {
        if !seen.insert(field_name(m)) {
            return Err(Error::Conflict {
                message: format!(
                    "type `{}`: two members map to the Rust field `{}`",
                    t.name,
                    field_name(m)
                ),
            });
        }
    }
    let fields = t.members.iter().map(|m| {
        let f = ident(&field_name(m));
        let ty = member_type(
            m,
            &module.name,
            boxed.contains(&(module.name.clone(), t.name.clone(), m.name.clone())),
        );
        let doc = doc_attrs(&member_doc(m));
        quote!(#doc pub #f: #ty,)
    });
    let has_secret = t.members.iter().any(|m| is_secret(&m.name));
    let derive = if has_secret {
        quote!(#[derive(Clone, Default, PartialEq)])
    } else {
        quote!(#[derive(Debug, Clone, Default, PartialEq)])
    };
    let debug_impl = if has_secret {
        let type_name = names::type_name(&t.name);
        let entries = t.members.iter().map(|m| {
            let f = ident(&field_name(m));
            let label = field_name(m).trim_start_matches("r#").to_string();
            if is_secret(&m.name) {
                quote!(.field(#label, &crate::encoding::Redacted::of(&self.#f)))
            } else {
                quote!(.field(#label, &self.#f))
            }
        });
        quote! {
            impl std::fmt::Debug for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.debug_struct(#type_name) #(#entries)* .finish()
                }
            }
        }
    } else {
        quote!()
    };
    let encodes = t.members.iter().map(|m| {
        let f = ident(&field_name(m));
        let xml = &m.name;
        let xsi = prefixes.xsi_type(api, &m.ty);
        quote!(crate::encoding::Encode::encode(&self.#f, w, #xml, #xsi);)
    });
    let required: Vec<&Member> = t
        .members
        .iter()
        .filter(|m| !(m.optional || m.nillable || is_array(&m.ty)))
        .collect();
    let seen_vars: Vec<Ident> = required
        .iter()
        .map(|m| format_ident!("seen_{}", field_name(m).trim_start_matches("r#")))
        .collect();
    // (element name, statement storing the decoded member) per member.
    let arms: Vec<(&String, TokenStream)> = t
        .members
        .iter()
        .map(|m| {
            let f = ident(&field_name(m));
            let xml = &m.name;
            let mark = required
                .iter()
                .position(|r| r.name == m.name)
                .map(|i| {
                    let v = &seen_vars[i];
                    quote!(#v = true;)
                })
                .unwrap_or_default();
            let store = if is_array(&m.ty) {
                let ty = member_type(
                    m,
                    &module.name,
                    boxed.contains(&(module.name.clone(), t.name.clone(), m.name.clone())),
                );
                quote!(out.#f.extend(crate::encoding::member::<#ty>(&mut child, #xml)?); #mark)
            } else {
                quote!(out.#f = crate::encoding::member(&mut child, #xml)?; #mark)
            };
            (xml, store)
        })
        .collect();
    let checks = required.iter().zip(&seen_vars).map(|(m, v)| {
        let xml = &m.name;
        quote!(if !#v { return Err(crate::encoding::DecodeError::missing(#xml)); })
    });
    // Members this version does not know are skipped: servers add members.
    let dispatch = match arms.as_slice() {
        [] => quote!(),
        // One member: an `if` rather than a single-arm match (clippy::single_match).
        [(xml, store)] => quote!(if child.name() == #xml { #store }),
        many => {
            let arms = many.iter().map(|(xml, store)| quote!(#xml => { #store }));
            quote!(match child.name() { #(#arms)* _ => {} })
        }
    };
    // An untyped element with children is a structure only if its children are not all
    // `item`s, which a stream learns at its end: such an element is decoded from a tree.
    let loop_body = if t.members.is_empty() {
        quote! {
            if node.needs_tree()? {
                return node.in_tree(Self::decode);
            }
            crate::encoding::expect_structure(node)?;
        }
    } else {
        quote! {
            if node.needs_tree()? {
                return node.in_tree(Self::decode);
            }
            crate::encoding::expect_structure(node)?;
            let mut children = node.children()?;
            while let Some(mut child) = children.next()? {
                #dispatch
            }
        }
    };
    let mutability = if t.members.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    let codec = if t.positional {
        positional_codec(api, t, prefixes)
    } else {
        quote! {
            impl crate::encoding::Encode for #name {
                fn encode(&self, w: &mut crate::encoding::Writer, name: &str, xsi_type: &str) {
                    w.start(name, xsi_type);
                    #(#encodes)*
                    w.end(name);
                }
            }

            impl crate::encoding::Decode for #name {
                fn decode(node: &mut crate::encoding::Node<'_, '_>) -> Result<Self, crate::encoding::DecodeError> {
                    #[allow(unused_mut)]
                    let #mutability out = Self::default();
                    #(let mut #seen_vars = false;)*
                    #loop_body
                    #(#checks)*
                    Ok(out)
                }
            }
        }
    };

    Ok(quote! {
        #doc
        #derive
        pub struct #name { #(#fields)* }

        #debug_impl

        #codec
    })
}

/// Encode/Decode of a structure sent as an array whose items are its members, in order.
fn positional_codec(api: &Api, t: &TypeDef, prefixes: &Prefixes) -> TokenStream {
    let name = ident(&names::type_name(&t.name));
    let count = t.members.len();
    let array_type = format!("xsd:anyType[{count}]");
    let shape = format!("expected an array of {count} items ({})", t.name);
    let encodes = t.members.iter().map(|m| {
        let f = ident(&field_name(m));
        let xsi = prefixes.xsi_type(api, &m.ty);
        quote!(crate::encoding::Encode::encode(&self.#f, w, "item", #xsi);)
    });
    let decodes = t.members.iter().enumerate().map(|(i, m)| {
        let f = ident(&field_name(m));
        let xml = &m.name;
        quote!(#i => out.#f = crate::encoding::member(&mut child, #xml)?,)
    });
    quote! {
        impl crate::encoding::Encode for #name {
            fn encode(&self, w: &mut crate::encoding::Writer, name: &str, _xsi_type: &str) {
                w.start_with(name, "soapenc:Array", &[("soapenc:arrayType", #array_type)]);
                #(#encodes)*
                w.end(name);
            }
        }

        impl crate::encoding::Decode for #name {
            fn decode(node: &mut crate::encoding::Node<'_, '_>) -> Result<Self, crate::encoding::DecodeError> {
                if node.needs_tree()? {
                    return node.in_tree(Self::decode);
                }
                if !node.is_array() {
                    return Err(crate::encoding::DecodeError::shape(#shape));
                }
                let mut out = Self::default();
                let mut children = node.children()?;
                let mut i = 0usize;
                while let Some(mut child) = children.next()? {
                    match i {
                        #(#decodes)*
                        // Items beyond the documented ones are skipped.
                        _ => {}
                    }
                    i += 1;
                }
                Ok(out)
            }
        }
    }
}

/// A documented value set: variants for the known values, `Other` for the rest.
fn emit_enum(e: &EnumDef) -> Result<TokenStream> {
    let name = ident(&names::camel(&e.name));
    let mut doc = e
        .doc
        .as_deref()
        .map(prose)
        .unwrap_or_else(|| format!("The `{}` values.", e.name));
    doc.push_str("\n\nA value this version does not know decodes as `Other`, so new server values never break decoding.");
    let doc = doc_attrs(&doc);
    let mut variants = Vec::new();
    let mut seen = BTreeSet::new();
    for v in &e.values {
        let variant = names::camel(&v.value);
        if variant == "Other" || !seen.insert(variant.clone()) {
            return Err(Error::Conflict {
                message: format!(
                    "enum `{}`: value `{}` gives a duplicate variant `{variant}`",
                    e.name, v.value
                ),
            });
        }
        variants.push((ident(&variant), v));
    }
    let decls = variants.iter().enumerate().map(|(i, (variant, v))| {
        let text = match &v.doc {
            Some(d) => format!("`{}`: {}", v.value, prose(d)),
            None => format!("`{}`", v.value),
        };
        let doc = doc_attrs(&text);
        let default = if i == 0 { quote!(#[default]) } else { quote!() };
        quote!(#doc #default #variant,)
    });
    let to_str = variants.iter().map(|(variant, v)| {
        let value = &v.value;
        quote!(Self::#variant => #value,)
    });
    let from_str = variants.iter().map(|(variant, v)| {
        let value = &v.value;
        quote!(#value => Self::#variant,)
    });
    Ok(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
        pub enum #name {
            #(#decls)*
            /// A value not documented when this crate was generated.
            Other(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Other(s) => s,
                }
            }

            /// The variant for a wire value (surrounding whitespace ignored).
            pub fn from_wire(value: &str) -> Self {
                match value.trim() {
                    #(#from_str)*
                    other => Self::Other(other.to_string()),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl crate::encoding::Encode for #name {
            fn encode(&self, w: &mut crate::encoding::Writer, name: &str, xsi_type: &str) {
                w.leaf(name, xsi_type, self.as_str())
            }
        }

        impl crate::encoding::Decode for #name {
            fn decode(node: &mut crate::encoding::Node<'_, '_>) -> Result<Self, crate::encoding::DecodeError> {
                <String as crate::encoding::Decode>::decode(node).map(|s| Self::from_wire(&s))
            }
        }
    })
}

fn client_name(service: &Service) -> String {
    format!("{}Client", names::type_name(&service.name))
}

/// A parameter of a method with several simple parts.
fn param_type(ty: &TypeRef, from: &str) -> TokenStream {
    match ty {
        TypeRef::Builtin(Builtin::String | Builtin::AnyUri | Builtin::Base64Binary) => quote!(&str),
        TypeRef::Builtin(b) if *b != Builtin::AnyType => builtin_rust(*b),
        TypeRef::Array(item) => {
            let item = rust_type(item, from);
            quote!(&[#item])
        }
        other => {
            let t = rust_type(other, from);
            quote!(&#t)
        }
    }
}

fn emit_operation(
    api: &Api,
    module: &Module,
    service: &Service,
    op: &Operation,
    prefixes: &Prefixes,
) -> TokenStream {
    let method = ident(&names::snake(&op.name));
    let op_name = &op.name;
    let service_name = &service.name;
    let soap_action = op
        .soap_action
        .clone()
        .unwrap_or_else(|| format!("{}#{}", service.namespace, op.name));
    let header = match &op.header {
        Some(h) => {
            let name = &h.name;
            let ns = &h.namespace;
            let xsi = prefixes.xsi_type(api, &h.ty);
            quote!(Some(crate::client::HeaderSpec { name: #name, namespace: #ns, xsi_type: #xsi }))
        }
        None => quote!(None),
    };
    let parts = &op.input.parts;
    // One part whose type is a structure: the method takes the request structure. Otherwise
    // each part is a parameter of its own (the older rpc shape, e.g. `login(login, password)`).
    let (params, encodes) = if let [part] = parts.as_slice() {
        if let TypeRef::Named { .. } = part.ty {
            let ty = rust_type(&part.ty, &module.name);
            let xml = &part.name;
            let xsi = prefixes.xsi_type(api, &part.ty);
            (
                quote!(request: &#ty),
                quote!(crate::encoding::Encode::encode(request, __w, #xml, #xsi);),
            )
        } else {
            simple_params(api, module, parts, prefixes)
        }
    } else {
        simple_params(api, module, parts, prefixes)
    };
    let out_parts = &op.output.parts;
    let (ret, decode) = match out_parts.as_slice() {
        [] => (quote!(()), quote!(|_| Ok(()))),
        [part] => (
            rust_type(&part.ty, &module.name),
            quote!(|response| response.single_part()),
        ),
        many => {
            let tys = many.iter().map(|p| rust_type(&p.ty, &module.name));
            let gets = many.iter().enumerate().map(|(i, p)| {
                let n = &p.name;
                quote!(response.part(#i, #n)?)
            });
            (quote!((#(#tys),*)), quote!(|response| Ok((#(#gets),*))))
        }
    };
    let mut doc = op
        .doc
        .as_deref()
        .map(prose)
        .unwrap_or_else(|| format!("Calls `{}/{}`.", service.name, op.name));
    // Name the request and response structures, linked, so the types are found from the method.
    let linked = |parts: &[crate::model::Part]| match parts {
        [p] => match &p.ty {
            TypeRef::Named { module: m, name } if *m == module.name => {
                Some(format!("[`{}`]", names::type_name(name)))
            }
            _ => None,
        },
        _ => None,
    };
    if let Some(request) = linked(&op.input.parts) {
        let response = linked(&op.output.parts).unwrap_or_else(|| "nothing".to_string());
        doc.push_str(&format!("\n\nTakes {request}; returns {response}."));
    }
    doc.push_str(&format!(
        "\n\nSOAP operation `{}` of `{}`; input message `{}`, output message `{}`.",
        op.name, service.namespace, op.input.name, op.output.name
    ));
    if op.header.is_some() {
        doc.push_str(" Sends the `auth_info` header of the client's session.");
    }
    if let Some(replacement) = &op.deprecated {
        doc.push_str(&format!(
            "\n\n**Deprecated** by Telinta in favour of `{replacement}` (a standard PortaBilling method)."
        ));
    }
    doc.push_str("\n\n# Errors\n\nA SOAP fault from the server is [`crate::Error::Fault`]; transport and decoding failures are the other [`crate::Error`] variants.");
    let doc = doc_attrs(&doc);
    let deprecated = match &op.deprecated {
        Some(replacement) => {
            let note = format!("use {replacement}");
            quote!(#[deprecated(note = #note)])
        }
        None => quote!(),
    };
    quote! {
        #doc
        #deprecated
        pub async fn #method(&self, #params) -> Result<#ret, crate::Error> {
            const OPERATION: crate::client::OperationSpec = crate::client::OperationSpec {
                service: #service_name,
                namespace: NAMESPACE,
                name: #op_name,
                soap_action: #soap_action,
                header: #header,
            };
            self.client
                // `__w`: no part name (a parameter) can shadow it.
                .call(&OPERATION, |__w| { #encodes }, #decode)
                .await
        }
    }
}

fn simple_params(
    api: &Api,
    module: &Module,
    parts: &[crate::model::Part],
    prefixes: &Prefixes,
) -> (TokenStream, TokenStream) {
    let params = parts.iter().map(|p| {
        let n = ident(&names::snake(&p.name));
        let ty = param_type(&p.ty, &module.name);
        quote!(#n: #ty)
    });
    let encodes = parts.iter().map(|p| {
        let n = ident(&names::snake(&p.name));
        let xml = &p.name;
        let xsi = prefixes.xsi_type(api, &p.ty);
        quote!(crate::encoding::Encode::encode(#n, __w, #xml, #xsi);)
    });
    let body = if parts.is_empty() {
        quote!(let _ = __w;)
    } else {
        quote!(#(#encodes)*)
    };
    (quote!(#(#params),*), body)
}

/// Methods of `crate::Client` (hand-written): a service accessor must not take their names.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "config",
    "session_id",
    "set_session_id",
    "set_credentials",
    "clear_auth",
    "call",
    "call_once",
    "post",
    "body",
    "relogin",
    "remember_for_relogin",
    "read_auth",
    "write_auth",
    "clone",
    "fmt",
];

fn emit_client(
    api: &Api,
    module: &Module,
    service: &Service,
    prefixes: &Prefixes,
) -> Result<TokenStream> {
    let client = ident(&client_name(service));
    let accessor_name = module.name.clone();
    if CLIENT_METHODS.contains(&accessor_name.as_str()) {
        return Err(Error::Conflict {
            message: format!(
                "service `{}`: its accessor `Client::{accessor_name}` would clash with a method of the client",
                service.name
            ),
        });
    }
    let mut methods_seen = BTreeMap::new();
    for op in &service.operations {
        if let Some(other) = methods_seen.insert(names::snake(&op.name), &op.name) {
            return Err(Error::Conflict {
                message: format!(
                    "service `{}`: operations `{other}` and `{}` both become the method `{}`",
                    service.name,
                    op.name,
                    names::snake(&op.name)
                ),
            });
        }
    }
    let accessor = ident(&accessor_name);
    let ns = &service.namespace;
    let mut doc = format!(
        "Client of the `{}` service (namespace `{}`).\n\nObtain it with [`crate::Client::{accessor_name}`]; it shares the client's connection pool and session.",
        service.name, ns
    );
    if !service.endpoints.is_empty() {
        doc.push_str("\n\nEndpoints in the WSDL:");
        for e in &service.endpoints {
            doc.push_str(&format!("\n- {}: `{}`", e.realm, e.location));
        }
    }
    let doc = doc_attrs(&doc);
    let accessor_doc = format!(" The `{}` service through this client.", service.name);
    let methods = service
        .operations
        .iter()
        .map(|op| emit_operation(api, module, service, op, prefixes));
    Ok(quote! {
        /// Namespace of the service's rpc method elements.
        pub const NAMESPACE: &str = #ns;

        #doc
        #[derive(Debug, Clone)]
        pub struct #client {
            client: crate::Client,
        }

        impl crate::Client {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> #client {
                #client { client: self.clone() }
            }
        }

        impl #client {
            #(#methods)*
        }
    })
}

fn emit_module(api: &Api, module: &Module, prefixes: &Prefixes, boxed: &Boxed) -> Result<String> {
    let mut doc = module
        .doc
        .as_deref()
        .map(prose)
        .unwrap_or_else(|| match &module.service {
            Some(s) => format!("The `{}` service.", s.name),
            None => "Structures shared by the services.".to_string(),
        });
    if let Some(s) = &module.service {
        doc.push_str(&format!(
            "\n\nService `{}`: {} operation(s), {} structure(s).",
            s.name,
            s.operations.len(),
            module.types.len()
        ));
    }
    let doc_lines: Vec<TokenStream> = doc
        .lines()
        .map(|l| {
            let l = if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            };
            quote!(#![doc = #l])
        })
        .collect();
    let client = match &module.service {
        Some(s) => emit_client(api, module, s, prefixes)?,
        None => quote!(),
    };
    // Two XML names that map to one Rust name (`DIDAPINumber`, `DidapiNumber`), or to the
    // service client's name, would not compile: refuse them here, by name.
    let mut rust_names: BTreeMap<String, String> = BTreeMap::new();
    if let Some(s) = &module.service {
        rust_names.insert(
            client_name(s),
            format!("the client of service `{}`", s.name),
        );
    }
    let xml_names = module
        .types
        .iter()
        .map(|t| (&t.name, "structure"))
        .chain(module.enums.iter().map(|e| (&e.name, "enumeration")));
    for (xml, what) in xml_names {
        let rust = names::type_name(xml);
        if let Some(other) = rust_names.insert(rust.clone(), format!("{what} `{xml}`")) {
            return Err(Error::Conflict {
                message: format!(
                    "module `{}`: {what} `{xml}` and {other} both become the Rust type `{rust}`",
                    module.name
                ),
            });
        }
    }
    let mut structs = Vec::new();
    for e in &module.enums {
        structs.push(emit_enum(e)?);
    }
    for t in &module.types {
        structs.push(emit_struct(api, module, boxed, t, prefixes)?);
    }
    let tokens = quote! {
        #(#doc_lines)*
        #client
        #(#structs)*
    };
    format_file(header(module), tokens, &format!("module `{}`", module.name))
}

/// Modules the runtime itself uses: always compiled.
const ALWAYS_COMPILED: &[&str] = &["session"];

/// The cargo feature that gates a service module (one per service, so that a user who needs only
/// DIDAPI compiles only that); none for shared structures and the session service.
pub fn feature(module: &Module) -> Option<&str> {
    (module.service.is_some() && !ALWAYS_COMPILED.contains(&module.name.as_str()))
        .then_some(module.name.as_str())
}

fn emit_mod_rs(api: &Api, prefixes: &Prefixes) -> Result<String> {
    let mods = api.modules.iter().map(|m| {
        let name = ident(&m.name);
        let doc = format!(
            " {}",
            m.service
                .as_ref()
                .map(|s| format!("The `{}` service.", s.name))
                .unwrap_or_else(|| "Structures shared by the services.".to_string())
        );
        match feature(m) {
            Some(f) => {
                let doc = format!("{doc} (cargo feature `{f}`, on by default)");
                quote!(#[doc = #doc] #[cfg(feature = #f)] pub mod #name;)
            }
            None => quote!(#[doc = #doc] pub mod #name;),
        }
    });
    let ns = prefixes.0.iter().map(|(ns, prefix)| quote!((#prefix, #ns)));
    let tokens = quote! {
        #(#mods)*

        /// Prefixes of the type namespaces used in `xsi:type` values, declared on every envelope.
        pub(crate) const TYPE_NAMESPACES: &[(&str, &str)] = &[#(#ns),*];
    };
    let mut header = String::from(
        "// @generated by telinta-codegen (`cargo xtask codegen`). Do not edit by hand.\n",
    );
    let sources: BTreeSet<&str> = api
        .modules
        .iter()
        .flat_map(|m| m.sources.iter().map(|s| s.path.as_str()))
        .collect();
    for s in sources {
        header.push_str(&format!("// Source: wsdl-snapshots/{s}\n"));
    }
    format_file(header, tokens, "mod.rs")
}

#[cfg(test)]
mod tests {
    use super::is_secret;

    #[test]
    fn secret_members_by_name() {
        for secret in [
            "password",
            "h323_password",
            "new_password",
            "Password",
            "api_token",
            "token",
            "session_id",
            "access_token",
            "pin",
            "voip_pin",
            "client_secret",
        ] {
            assert!(is_secret(secret), "{secret}");
        }
        for plain in [
            "login",
            "i_account",
            "tokens_used_count",
            "pinned",
            "spin",
            "name",
        ] {
            assert!(!is_secret(plain), "{plain}");
        }
    }
}
