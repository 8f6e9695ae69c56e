//! XML Schema, as far as rpc/encoded WSDLs use it: named complex types with a sequence (or all)
//! of elements, extensions of other complex types, `soapenc:Array` restrictions carrying
//! `wsdl:arrayType`, simple types restricting a built-in (their enumerations are kept), and
//! `import`/`include` of other schema files. The result is "raw": names are resolved to
//! [`QName`]s but not yet to definitions; [`crate::load`] does that.

use roxmltree::Node;

use crate::error::{Location, Result};
use crate::xml::{self, Ctx, QName, WSDL_NS, XSD_NS};

/// Where a definition was found: decides the module it is generated into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Inline in the `wsdl:types` of this WSDL file (relative path).
    Wsdl(String),
    /// In a stand-alone schema file (relative path).
    Schema(String),
}

#[derive(Debug, Clone)]
pub struct RawType {
    pub name: QName,
    pub location: Location,
    pub origin: Origin,
    pub doc: Option<String>,
    pub content: RawContent,
}

#[derive(Debug, Clone)]
pub enum RawContent {
    /// A structure; `base` is the type it extends, whose members come first.
    Struct {
        base: Option<(QName, Location)>,
        members: Vec<RawMember>,
    },
    /// A restriction of `soapenc:Array`; `item` from `wsdl:arrayType` when given.
    Array { item: Option<(QName, Location)> },
    /// A simple type restricting `base`, with its enumeration values.
    Simple {
        base: (QName, Location),
        enumeration: Vec<String>,
    },
}

#[derive(Debug, Clone)]
pub struct RawMember {
    pub name: String,
    pub location: Location,
    /// `None`: no `type` attribute, i.e. `xsd:anyType`.
    pub ty: Option<QName>,
    pub optional: bool,
    pub nillable: bool,
    /// `maxOccurs` greater than one.
    pub repeated: bool,
    pub marker: Option<crate::model::Marker>,
    pub doc: Option<String>,
}

/// A reference from a schema to another schema file.
#[derive(Debug, Clone)]
pub struct SchemaRef {
    /// The `schemaLocation` as written.
    pub location: String,
    /// Where the reference is written.
    pub at: Location,
    /// For `include`: the namespace the included file must have (or adopts when it has none).
    pub include_into: Option<String>,
}

/// Reads one `xsd:schema` element. `default_ns` is the namespace a schema without
/// `targetNamespace` gets (the including schema's, for chameleon includes).
pub fn parse_schema(
    ctx: &Ctx<'_, '_>,
    schema: Node<'_, '_>,
    origin: &Origin,
    default_ns: Option<&str>,
    types: &mut Vec<RawType>,
    refs: &mut Vec<SchemaRef>,
) -> Result<()> {
    let target_ns = schema
        .attribute("targetNamespace")
        .or(default_ns)
        .unwrap_or("")
        .to_string();
    for node in xml::children(schema, XSD_NS) {
        match node.tag_name().name() {
            "import" => {
                if let Some(location) = node.attribute("schemaLocation") {
                    refs.push(SchemaRef {
                        location: location.to_string(),
                        at: ctx.loc(node),
                        include_into: None,
                    });
                }
                // An import without schemaLocation names a namespace the processor is expected
                // to know (soapenc): nothing to load.
            }
            "include" | "redefine" => {
                let location = ctx.attr(node, "schemaLocation")?;
                refs.push(SchemaRef {
                    location: location.to_string(),
                    at: ctx.loc(node),
                    include_into: Some(target_ns.clone()),
                });
            }
            "complexType" => types.push(parse_complex(ctx, node, &target_ns, origin)?),
            "simpleType" => types.push(parse_simple(ctx, node, &target_ns, origin)?),
            "annotation" | "element" | "attribute" | "attributeGroup" | "group" | "notation" => {
                // Top-level elements and attributes are not used by rpc/encoded messages, which
                // reference types.
            }
            other => {
                return Err(ctx.invalid(node, format!("unexpected <xsd:{other}> in a schema")));
            }
        }
    }
    Ok(())
}

fn type_name(ctx: &Ctx<'_, '_>, node: Node<'_, '_>, ns: &str) -> Result<QName> {
    Ok(QName {
        ns: ns.to_string(),
        local: ctx.attr(node, "name")?.to_string(),
    })
}

fn parse_complex(
    ctx: &Ctx<'_, '_>,
    node: Node<'_, '_>,
    ns: &str,
    origin: &Origin,
) -> Result<RawType> {
    let name = type_name(ctx, node, ns)?;
    let doc = xml::xsd_doc(node);
    let mut base = None;
    let mut members = Vec::new();
    for child in xml::children(node, XSD_NS) {
        match child.tag_name().name() {
            "annotation" | "attribute" | "anyAttribute" => {}
            "sequence" | "all" => parse_particles(ctx, child, &mut members)?,
            "complexContent" => {
                let derivation = xml::children(child, XSD_NS)
                    .find(|c| matches!(c.tag_name().name(), "restriction" | "extension"))
                    .ok_or_else(|| {
                        ctx.invalid(
                            child,
                            "<xsd:complexContent> without restriction or extension",
                        )
                    })?;
                let base_name = ctx.qname(derivation, ctx.attr(derivation, "base")?)?;
                let is_array = base_name.ns == xml::SOAPENC_NS && base_name.local == "Array";
                if derivation.tag_name().name() == "restriction" && is_array {
                    return Ok(RawType {
                        name,
                        location: ctx.loc(node),
                        origin: origin.clone(),
                        doc,
                        content: RawContent::Array {
                            item: array_item(ctx, derivation)?,
                        },
                    });
                }
                if derivation.tag_name().name() == "restriction" {
                    return Err(ctx.invalid(
                        derivation,
                        format!(
                            "restriction of complex type `{}` is not supported (only soapenc:Array)",
                            base_name.local
                        ),
                    ));
                }
                base = Some((base_name, ctx.loc(derivation)));
                for particle in xml::children(derivation, XSD_NS) {
                    if matches!(particle.tag_name().name(), "sequence" | "all") {
                        parse_particles(ctx, particle, &mut members)?;
                    }
                }
            }
            "simpleContent" => {
                return Err(ctx.invalid(child, "<xsd:simpleContent> is not supported"));
            }
            "choice" => {
                // A choice in an encoded struct: every alternative may be absent.
                let start = members.len();
                parse_particles(ctx, child, &mut members)?;
                for m in &mut members[start..] {
                    m.optional = true;
                }
            }
            other => {
                return Err(ctx.invalid(child, format!("unexpected <xsd:{other}> in complexType")))
            }
        }
    }
    Ok(RawType {
        name,
        location: ctx.loc(node),
        origin: origin.clone(),
        doc,
        content: RawContent::Struct { base, members },
    })
}

/// `<xsd:attribute ref="soapenc:arrayType" wsdl:arrayType="ns:Item[]"/>`.
fn array_item(ctx: &Ctx<'_, '_>, restriction: Node<'_, '_>) -> Result<Option<(QName, Location)>> {
    for attr in restriction
        .descendants()
        .filter(|n| xml::is(*n, XSD_NS, "attribute"))
    {
        if let Some(value) = attr.attribute((WSDL_NS, "arrayType")) {
            let item = value.trim_end_matches(['[', ']', ',']);
            if item.is_empty() {
                return Err(ctx.invalid(attr, "empty wsdl:arrayType"));
            }
            return Ok(Some((ctx.qname(attr, item)?, ctx.loc(attr))));
        }
    }
    // `sequence/element maxOccurs="unbounded"` is the other way to say the item type.
    for element in restriction
        .descendants()
        .filter(|n| xml::is(*n, XSD_NS, "element"))
    {
        if let Some(ty) = element.attribute("type") {
            return Ok(Some((ctx.qname(element, ty)?, ctx.loc(element))));
        }
    }
    Ok(None)
}

/// Nesting of sequences/choices accepted (real schemas nest one or two levels).
const MAX_PARTICLE_DEPTH: usize = 32;

fn parse_particles(
    ctx: &Ctx<'_, '_>,
    group: Node<'_, '_>,
    members: &mut Vec<RawMember>,
) -> Result<()> {
    parse_particles_at(ctx, group, members, 0)
}

fn parse_particles_at(
    ctx: &Ctx<'_, '_>,
    group: Node<'_, '_>,
    members: &mut Vec<RawMember>,
    depth: usize,
) -> Result<()> {
    if depth > MAX_PARTICLE_DEPTH {
        return Err(ctx.invalid(
            group,
            format!("sequences nested deeper than {MAX_PARTICLE_DEPTH} levels"),
        ));
    }
    for node in xml::children(group, XSD_NS) {
        match node.tag_name().name() {
            "annotation" | "any" => {}
            "element" => {
                if node.attribute("ref").is_some() {
                    return Err(ctx.invalid(node, "element references (`ref=`) are not supported"));
                }
                let name = ctx.attr(node, "name")?.to_string();
                if xml::children(node, XSD_NS)
                    .any(|c| matches!(c.tag_name().name(), "complexType" | "simpleType"))
                {
                    return Err(ctx.invalid(
                        node,
                        format!("member `{name}` has an anonymous type; give it a named type"),
                    ));
                }
                let ty = node
                    .attribute("type")
                    .map(|t| ctx.qname(node, t))
                    .transpose()?;
                let max = node.attribute("maxOccurs").unwrap_or("1");
                let marker = match node.attribute((crate::model::MARKER_NS, "marker")) {
                    Some(v) => Some(crate::model::Marker::from_attr(v).ok_or_else(|| {
                        ctx.invalid(
                            node,
                            format!("unknown marker `{v}` (insert-only, read-only, mandatory)"),
                        )
                    })?),
                    None => None,
                };
                members.push(RawMember {
                    name,
                    location: ctx.loc(node),
                    ty,
                    optional: node.attribute("minOccurs") == Some("0"),
                    nillable: node.attribute("nillable") == Some("true"),
                    repeated: max == "unbounded" || max.parse::<u32>().is_ok_and(|n| n > 1),
                    marker,
                    doc: xml::xsd_doc(node),
                });
            }
            "sequence" | "all" | "choice" => parse_particles_at(ctx, node, members, depth + 1)?,
            other => {
                return Err(ctx.invalid(node, format!("unexpected <xsd:{other}> in a sequence")))
            }
        }
    }
    Ok(())
}

fn parse_simple(
    ctx: &Ctx<'_, '_>,
    node: Node<'_, '_>,
    ns: &str,
    origin: &Origin,
) -> Result<RawType> {
    let name = type_name(ctx, node, ns)?;
    let restriction = xml::child(node, XSD_NS, "restriction").ok_or_else(|| {
        ctx.invalid(
            node,
            format!("simpleType `{}` is not a restriction", name.local),
        )
    })?;
    let base = ctx.qname(restriction, ctx.attr(restriction, "base")?)?;
    let enumeration = xml::children(restriction, XSD_NS)
        .filter(|c| c.tag_name().name() == "enumeration")
        .filter_map(|c| c.attribute("value").map(str::to_string))
        .collect();
    Ok(RawType {
        name,
        location: ctx.loc(node),
        origin: origin.clone(),
        doc: xml::xsd_doc(node),
        content: RawContent::Simple {
            base: (base, ctx.loc(restriction)),
            enumeration,
        },
    })
}
