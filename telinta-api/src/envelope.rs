//! The SOAP 1.1 envelope: writing a request around the encoded parts, and taking a response
//! apart into either a fault or the parts of the method's response element.

use crate::encoding::{member, Decode, DecodeError, EventStream, Node, Strategy, Tree, Writer};
use crate::error::Fault;

pub(crate) const SOAP_ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub(crate) const SOAP_ENC: &str = "http://schemas.xmlsoap.org/soap/encoding/";

/// The `auth_info` header to send, already chosen from the client's auth state.
pub(crate) struct AuthHeader<'a> {
    pub name: &'a str,
    pub namespace: &'a str,
    pub xsi_type: &'a str,
    /// Members as (name, value); values are credentials, written and never logged.
    pub members: Vec<(&'static str, &'a str)>,
}

/// Writes a whole request envelope.
pub(crate) fn request(
    type_namespaces: &[(&str, &str)],
    method_namespace: &str,
    method: &str,
    header: Option<AuthHeader<'_>>,
    body: impl FnOnce(&mut Writer),
) -> Vec<u8> {
    let mut w = Writer::new(Vec::with_capacity(1024));
    let mut prologue = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<soap:Envelope xmlns:soap="{}" xmlns:soapenc="{}""#,
            r#" xmlns:xsd="http://www.w3.org/2001/XMLSchema""#,
            r#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#
        ),
        SOAP_ENV, SOAP_ENC
    );
    for (prefix, ns) in type_namespaces {
        prologue.push_str(&format!(r#" xmlns:{prefix}="{}""#, attr_escape(ns)));
    }
    prologue.push_str(&format!(r#" soap:encodingStyle="{SOAP_ENC}">"#));
    w.raw(&prologue);
    if let Some(h) = header {
        // Never `mustUnderstand`: SOAP::Lite refuses a header it is told it must understand.
        w.raw(&format!(
            r#"<soap:Header><h:{name} xmlns:h="{ns}" xsi:type="{ty}">"#,
            name = h.name,
            ns = attr_escape(h.namespace),
            ty = h.xsi_type
        ));
        for (name, value) in &h.members {
            w.leaf(name, "xsd:string", value);
        }
        w.raw(&format!("</h:{}></soap:Header>", h.name));
    }
    w.raw(&format!(
        r#"<soap:Body><m:{method} xmlns:m="{}">"#,
        attr_escape(method_namespace)
    ));
    body(&mut w);
    w.raw(&format!("</m:{method}></soap:Body></soap:Envelope>"));
    w.into_inner()
}

/// The request envelope of rpc method `method` (namespace `method_namespace`) exactly as the
/// client sends it: `body` writes the input parts, and `session_id`, when given, goes in the
/// `auth_info` header. For tests and benchmarks; calls build their envelopes themselves.
pub fn encode_request(
    method_namespace: &str,
    method: &str,
    session_id: Option<&str>,
    body: impl FnOnce(&mut Writer),
) -> Vec<u8> {
    let header = session_id.map(|id| AuthHeader {
        name: "auth_info",
        namespace: "http://schemas.portaone.com/soap",
        xsi_type: "ns:AuthInfoStructure",
        members: vec![("session_id", id)],
    });
    request(
        crate::generated::TYPE_NAMESPACES,
        method_namespace,
        method,
        header,
        body,
    )
}

fn attr_escape(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

/// What a response body held.
pub(crate) enum Outcome<R> {
    Fault(Fault),
    /// The decoded response element.
    Value(R),
}

/// Why a response could not be read; `envelope` when it failed before the response element
/// was reached (the body is then no SOAP response at all, e.g. an HTML error page).
pub(crate) struct ReadError {
    pub error: DecodeError,
    pub envelope: bool,
}

/// Reads a response body: a fault, or the response element given to `decode`. Streams unless
/// `strategy` (or, for [`Strategy::Auto`], an `href` in the body) asks for a tree.
pub(crate) fn read<R>(
    body: &str,
    strategy: Strategy,
    decode: impl FnOnce(&mut Response<'_, '_>) -> Result<R, DecodeError>,
) -> Result<Outcome<R>, ReadError> {
    let in_envelope = |error| ReadError {
        error,
        envelope: true,
    };
    let in_response = |error| ReadError {
        error,
        envelope: false,
    };
    match strategy.resolve(body) {
        Strategy::Tree => {
            let tree = Tree::parse(body).map_err(in_envelope)?;
            read_envelope(tree.root(), decode)
        }
        _ => {
            let mut stream = EventStream::new(body);
            let root = stream.root().map_err(in_envelope)?;
            let outcome = read_envelope(Node::stream(&mut stream, root), decode)?;
            stream.finish().map_err(in_response)?;
            Ok(outcome)
        }
    }
}

fn read_envelope<R>(
    mut envelope: Node<'_, '_>,
    decode: impl FnOnce(&mut Response<'_, '_>) -> Result<R, DecodeError>,
) -> Result<Outcome<R>, ReadError> {
    let in_envelope = |error| ReadError {
        error,
        envelope: true,
    };
    if envelope.name() != "Envelope" {
        return Err(in_envelope(DecodeError::shape(format!(
            "expected a SOAP Envelope, found <{}>",
            envelope.name()
        ))));
    }
    let mut body = envelope
        .child("Body")
        .map_err(in_envelope)?
        .ok_or_else(|| in_envelope(DecodeError::shape("the SOAP Envelope has no Body")))?;
    let mut children = body.children().map_err(in_envelope)?;
    let first = children
        .next()
        .map_err(in_envelope)?
        .ok_or_else(|| in_envelope(DecodeError::shape("the SOAP Body is empty")))?;
    if first.name() == "Fault" {
        return fault(first).map(Outcome::Fault).map_err(in_envelope);
    }
    let mut response = Response {
        repr: ResponseRepr::Node(first),
    };
    decode(&mut response)
        .map(Outcome::Value)
        .map_err(|error| ReadError {
            error,
            envelope: false,
        })
}

fn fault(mut node: Node<'_, '_>) -> Result<Fault, DecodeError> {
    let mut fault = Fault {
        code: String::new(),
        string: String::new(),
        actor: None,
        detail: None,
    };
    let (mut code, mut string) = (false, false);
    let mut children = node.children()?;
    while let Some(mut child) = children.next()? {
        // The first of each; text beside child elements is ignored.
        let name = child.name();
        let mut text = || -> Result<String, DecodeError> {
            Ok(match child.has_children()? {
                true => String::new(),
                false => child.text("text")?.trim_end().to_string(),
            })
        };
        match name {
            "faultcode" if !code => (fault.code, code) = (text()?, true),
            "faultstring" if !string => (fault.string, string) = (text()?, true),
            "faultactor" if fault.actor.is_none() => {
                fault.actor = Some(text()?).filter(|a| !a.is_empty())
            }
            "detail" if fault.detail.is_none() => fault.detail = Some(child.raw_xml()?.to_string()),
            _ => {}
        }
    }
    Ok(fault)
}

/// The response element of an rpc call; its children are the output message's parts.
pub struct Response<'r, 'a> {
    repr: ResponseRepr<'r, 'a>,
}

enum ResponseRepr<'r, 'a> {
    Node(Node<'r, 'a>),
    /// Parsed for access by name (responses of several parts).
    Parts(crate::encoding::Tree<'r>),
    Read,
}

impl<'r, 'a: 'r> Response<'r, 'a> {
    /// The only part, whatever its element is called (SOAP::Lite names unnamed values
    /// `s-gensymNN`).
    pub fn single_part<T: Decode>(&mut self) -> Result<T, DecodeError> {
        let ResponseRepr::Node(mut wrapper) = std::mem::replace(&mut self.repr, ResponseRepr::Read)
        else {
            return Err(DecodeError::shape("the response was read already"));
        };
        let name = wrapper.name();
        let mut parts = wrapper.children()?;
        let mut part = parts.next()?.ok_or_else(|| {
            DecodeError::shape(format!(
                "<{name}> holds no value (expected the response part)"
            ))
        })?;
        T::decode(&mut part)
    }

    /// Part `name`, or the `index`th part when none has that name.
    pub fn part<T: Decode>(&mut self, index: usize, name: &str) -> Result<T, DecodeError> {
        if let ResponseRepr::Node(node) = &self.repr {
            // A tree node can be looked into again and again; a streamed one is parsed once.
            if node.tree_node().is_none() {
                let ResponseRepr::Node(mut node) =
                    std::mem::replace(&mut self.repr, ResponseRepr::Read)
                else {
                    unreachable!("checked above")
                };
                self.repr = ResponseRepr::Parts(crate::encoding::Tree::parse(node.raw_xml()?)?);
            }
        }
        let wrapper = match &self.repr {
            ResponseRepr::Node(node) => node.tree_node().expect("a tree node"),
            ResponseRepr::Parts(tree) => tree.root_tree_node(),
            ResponseRepr::Read => return Err(DecodeError::shape("the response was read already")),
        };
        let part =
            match wrapper.child(name) {
                Some(part) => part,
                None => wrapper.children().nth(index).transpose()?.ok_or_else(|| {
                    DecodeError::shape(format!("the response has no part `{name}`"))
                })?,
            };
        member(&mut Node::tree(part), name)
    }
}

/// Decodes a whole response body (an envelope) whose response element has one part of type `T`:
/// `Ok(Ok(value))`, `Ok(Err(fault))` for a SOAP fault, or the reason the body is not such a
/// response. For captured traffic, tests and benchmarks; calls do this themselves.
pub fn decode_response<T: Decode>(body: &str) -> Result<Result<T, Fault>, DecodeError> {
    decode_response_with(body, Strategy::Auto)
}

/// [`decode_response`] with the reading strategy chosen (to compare them).
pub fn decode_response_with<T: Decode>(
    body: &str,
    strategy: Strategy,
) -> Result<Result<T, Fault>, DecodeError> {
    match read(body, strategy, |r| r.single_part()) {
        Ok(Outcome::Value(v)) => Ok(Ok(v)),
        Ok(Outcome::Fault(f)) => Ok(Err(f)),
        Err(e) => Err(e.error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::Encode;

    #[test]
    fn request_envelope_types_every_element_and_sends_arrays_as_soapenc_arrays() {
        let header = AuthHeader {
            name: "auth_info",
            namespace: "http://schemas.portaone.com/soap",
            xsi_type: "ns:AuthInfoStructure",
            members: vec![("session_id", "abc&<def>")],
        };
        let bytes = request(
            &[("ns", "http://schemas.portaone.com/soap")],
            "https://mybilling.telinta.com/Porta/SOAP/DIDAPI",
            "get_numbers",
            Some(header),
            |w| {
                w.start("GetNumbers", "ns:GetNumbers");
                Some("0123").encode(w, "country", "xsd:string");
                None::<String>.encode(w, "state", "xsd:string");
                vec![7_i64].encode(w, "ids", "xsd:int");
                w.end("GetNumbers");
            },
        );
        let xml = String::from_utf8(bytes).unwrap();
        assert_eq!(
            xml,
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?>"#,
                r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/""#,
                r#" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/""#,
                r#" xmlns:xsd="http://www.w3.org/2001/XMLSchema""#,
                r#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#,
                r#" xmlns:ns="http://schemas.portaone.com/soap""#,
                r#" soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">"#,
                r#"<soap:Header><h:auth_info xmlns:h="http://schemas.portaone.com/soap" xsi:type="ns:AuthInfoStructure">"#,
                r#"<session_id xsi:type="xsd:string">abc&amp;&lt;def&gt;</session_id></h:auth_info></soap:Header>"#,
                r#"<soap:Body><m:get_numbers xmlns:m="https://mybilling.telinta.com/Porta/SOAP/DIDAPI">"#,
                r#"<GetNumbers xsi:type="ns:GetNumbers"><country xsi:type="xsd:string">0123</country>"#,
                r#"<ids soapenc:arrayType="xsd:int[1]" xsi:type="soapenc:Array"><item xsi:type="xsd:int">7</item></ids>"#,
                r#"</GetNumbers></m:get_numbers></soap:Body></soap:Envelope>"#
            )
        );
        // And it parses back.
        Tree::parse(&xml).unwrap();
    }
}
