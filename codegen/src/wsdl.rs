//! WSDL 1.1 with the SOAP 1.1 binding: messages, port types, bindings and services of one file,
//! kept raw (names resolved to [`QName`]s, not yet to definitions). Only `style="rpc"` bindings
//! are accepted: PortaBilling serves rpc/encoded, and a generator that silently produced calls
//! of another style would be wrong on the wire.

use std::collections::BTreeMap;

use roxmltree::Node;

use crate::error::{Location, Result};
use crate::xml::{self, Ctx, QName, SOAP_BINDING_NS, WSDL_NS, XSD_NS};
use crate::xsd::{self, Origin, RawType, SchemaRef};

#[derive(Debug, Default)]
pub struct RawWsdl {
    pub target_ns: String,
    pub doc: Option<String>,
    pub messages: BTreeMap<QName, RawMessage>,
    pub port_types: BTreeMap<QName, RawPortType>,
    pub bindings: BTreeMap<QName, RawBinding>,
    pub services: Vec<RawService>,
    /// Types defined inline in `wsdl:types`.
    pub types: Vec<RawType>,
    /// Schema files referenced from `wsdl:types` or by `wsdl:import`.
    pub schema_refs: Vec<SchemaRef>,
    /// WSDL files imported with `wsdl:import`.
    pub wsdl_imports: Vec<SchemaRef>,
}

#[derive(Debug, Clone)]
pub struct RawMessage {
    pub location: Location,
    pub parts: Vec<RawPart>,
}

#[derive(Debug, Clone)]
pub struct RawPart {
    pub name: String,
    pub ty: QName,
    pub location: Location,
}

#[derive(Debug, Clone)]
pub struct RawPortType {
    pub location: Location,
    pub operations: Vec<RawOperation>,
}

#[derive(Debug, Clone)]
pub struct RawOperation {
    pub name: String,
    pub location: Location,
    pub doc: Option<String>,
    pub input: (QName, Location),
    pub output: Option<(QName, Location)>,
}

#[derive(Debug, Clone)]
pub struct RawBinding {
    pub location: Location,
    pub port_type: (QName, Location),
    pub operations: BTreeMap<String, RawBindingOperation>,
}

#[derive(Debug, Clone)]
pub struct RawBindingOperation {
    pub location: Location,
    pub soap_action: Option<String>,
    pub namespace: Option<String>,
    pub header: Option<RawHeader>,
}

#[derive(Debug, Clone)]
pub struct RawHeader {
    pub message: QName,
    pub part: String,
    pub namespace: Option<String>,
    pub location: Location,
}

#[derive(Debug, Clone)]
pub struct RawService {
    pub name: String,
    pub location: Location,
    pub doc: Option<String>,
    pub ports: Vec<RawPort>,
}

#[derive(Debug, Clone)]
pub struct RawPort {
    pub binding: (QName, Location),
    pub address: Option<String>,
}

/// Reads one WSDL document. `rel_path` is the file's path relative to the snapshot folder.
pub fn parse_wsdl(ctx: &Ctx<'_, '_>, rel_path: &str) -> Result<RawWsdl> {
    let root = ctx.doc.root_element();
    if !xml::is(root, WSDL_NS, "definitions") {
        return Err(ctx.invalid(
            root,
            format!(
                "expected a WSDL 1.1 <definitions> root element, found <{}>",
                root.tag_name().name()
            ),
        ));
    }
    let target_ns = root.attribute("targetNamespace").unwrap_or("").to_string();
    let mut out = RawWsdl {
        target_ns: target_ns.clone(),
        doc: xml::wsdl_doc(root),
        ..Default::default()
    };
    let name_in = |node: Node<'_, '_>| -> Result<QName> {
        Ok(QName {
            ns: target_ns.clone(),
            local: ctx.attr(node, "name")?.to_string(),
        })
    };
    let origin = Origin::Wsdl(rel_path.to_string());
    for node in xml::children(root, WSDL_NS) {
        match node.tag_name().name() {
            "documentation" => {}
            "import" => out.wsdl_imports.push(SchemaRef {
                location: ctx.attr(node, "location")?.to_string(),
                at: ctx.loc(node),
                include_into: None,
            }),
            "types" => {
                for schema in xml::children(node, XSD_NS) {
                    if schema.tag_name().name() != "schema" {
                        return Err(ctx.invalid(schema, "expected <xsd:schema> in <types>"));
                    }
                    xsd::parse_schema(
                        ctx,
                        schema,
                        &origin,
                        None,
                        &mut out.types,
                        &mut out.schema_refs,
                    )?;
                }
            }
            "message" => {
                let mut parts = Vec::new();
                for part in xml::children(node, WSDL_NS).filter(|c| c.tag_name().name() == "part") {
                    let name = ctx.attr(part, "name")?.to_string();
                    let ty = match part.attribute("type") {
                        Some(t) => ctx.qname(part, t)?,
                        None if part.attribute("element").is_some() => {
                            return Err(ctx.invalid(
                                part,
                                format!("part `{name}` uses `element=`: document-style parts are not supported (rpc/encoded parts have `type=`)"),
                            ))
                        }
                        None => return Err(ctx.invalid(part, format!("part `{name}` has no type"))),
                    };
                    parts.push(RawPart {
                        name,
                        ty,
                        location: ctx.loc(part),
                    });
                }
                out.messages.insert(
                    name_in(node)?,
                    RawMessage {
                        location: ctx.loc(node),
                        parts,
                    },
                );
            }
            "portType" => {
                let mut operations = Vec::new();
                for op in
                    xml::children(node, WSDL_NS).filter(|c| c.tag_name().name() == "operation")
                {
                    let name = ctx.attr(op, "name")?.to_string();
                    let input = xml::child(op, WSDL_NS, "input").ok_or_else(|| {
                        ctx.invalid(op, format!("operation `{name}` has no <input>"))
                    })?;
                    let input = (
                        ctx.qname(input, ctx.attr(input, "message")?)?,
                        ctx.loc(input),
                    );
                    let output = match xml::child(op, WSDL_NS, "output") {
                        Some(o) => Some((ctx.qname(o, ctx.attr(o, "message")?)?, ctx.loc(o))),
                        None => None,
                    };
                    operations.push(RawOperation {
                        name,
                        location: ctx.loc(op),
                        doc: xml::wsdl_doc(op),
                        input,
                        output,
                    });
                }
                out.port_types.insert(
                    name_in(node)?,
                    RawPortType {
                        location: ctx.loc(node),
                        operations,
                    },
                );
            }
            "binding" => {
                if let Some(binding) = parse_binding(ctx, node)? {
                    out.bindings.insert(name_in(node)?, binding);
                }
            }
            "service" => {
                let mut ports = Vec::new();
                for port in xml::children(node, WSDL_NS).filter(|c| c.tag_name().name() == "port") {
                    let binding = ctx.attr(port, "binding")?;
                    ports.push(RawPort {
                        binding: (ctx.qname(port, binding)?, ctx.loc(port)),
                        address: xml::child(port, SOAP_BINDING_NS, "address")
                            .and_then(|a| a.attribute("location"))
                            .map(str::to_string),
                    });
                }
                out.services.push(RawService {
                    name: ctx.attr(node, "name")?.to_string(),
                    location: ctx.loc(node),
                    doc: xml::wsdl_doc(node),
                    ports,
                });
            }
            other => {
                return Err(ctx.invalid(node, format!("unexpected <wsdl:{other}> in <definitions>")))
            }
        }
    }
    Ok(out)
}

/// A binding, or `None` when it is not a SOAP 1.1 binding (SOAP 1.2 or HTTP bindings of the
/// same port type are skipped: the client speaks SOAP 1.1).
fn parse_binding(ctx: &Ctx<'_, '_>, node: Node<'_, '_>) -> Result<Option<RawBinding>> {
    let Some(soap) = xml::child(node, SOAP_BINDING_NS, "binding") else {
        return Ok(None);
    };
    let binding_style = soap.attribute("style").unwrap_or("document");
    let port_type = ctx.attr(node, "type")?;
    let mut operations = BTreeMap::new();
    for op in xml::children(node, WSDL_NS).filter(|c| c.tag_name().name() == "operation") {
        let name = ctx.attr(op, "name")?.to_string();
        let soap_op = xml::child(op, SOAP_BINDING_NS, "operation");
        let style = soap_op
            .and_then(|o| o.attribute("style"))
            .unwrap_or(binding_style);
        if style != "rpc" {
            let at = soap_op.unwrap_or(soap);
            return Err(ctx.invalid(
                at,
                format!("operation `{name}` has binding style `{style}`: only `rpc` is supported (PortaBilling serves rpc/encoded)"),
            ));
        }
        let input = xml::child(op, WSDL_NS, "input");
        let body = input.and_then(|i| xml::child(i, SOAP_BINDING_NS, "body"));
        if let Some(body) = body {
            let used = body.attribute("use").unwrap_or("literal");
            if used != "encoded" && used != "literal" {
                return Err(ctx.invalid(body, format!("unknown soap:body use `{used}`")));
            }
        }
        let header = match input.and_then(|i| xml::child(i, SOAP_BINDING_NS, "header")) {
            Some(h) => Some(RawHeader {
                message: ctx.qname(h, ctx.attr(h, "message")?)?,
                part: ctx.attr(h, "part")?.to_string(),
                namespace: h.attribute("namespace").map(str::to_string),
                location: ctx.loc(h),
            }),
            None => None,
        };
        operations.insert(
            name,
            RawBindingOperation {
                location: ctx.loc(op),
                soap_action: soap_op
                    .and_then(|o| o.attribute("soapAction"))
                    .filter(|a| !a.is_empty())
                    .map(str::to_string),
                namespace: body
                    .and_then(|b| b.attribute("namespace"))
                    .map(str::to_string),
                header,
            },
        );
    }
    Ok(Some(RawBinding {
        location: ctx.loc(node),
        port_type: (ctx.qname(node, port_type)?, ctx.loc(node)),
        operations,
    }))
}
