//! The SOAP 1.1 envelope: writing a request around the encoded parts, and taking a response
//! apart into either a fault or the parts of the method's response element.

use crate::encoding::{Decode, DecodeError, Node, Tree, Writer};
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

fn attr_escape(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

/// What a response body holds.
pub(crate) enum Body<'t> {
    Fault(Fault),
    /// The method's response element (`<method>Response`, whatever it is called).
    Response(Response<'t>),
}

/// Parses the envelope of a response.
pub(crate) fn response<'t>(tree: &'t Tree<'t>) -> Result<Body<'t>, DecodeError> {
    let envelope = tree.root();
    if envelope.name() != "Envelope" {
        return Err(DecodeError::shape(format!(
            "expected a SOAP Envelope, found <{}>",
            envelope.name()
        )));
    }
    let body = envelope
        .child("Body")
        .ok_or_else(|| DecodeError::shape("the SOAP Envelope has no Body"))?;
    let first = body
        .children()
        .next()
        .ok_or_else(|| DecodeError::shape("the SOAP Body is empty"))??;
    if first.name() == "Fault" {
        return Ok(Body::Fault(fault(first)));
    }
    Ok(Body::Response(Response { wrapper: first }))
}

fn fault(node: Node<'_>) -> Fault {
    let text = |name: &str| node.child(name).map(|c| c.text().trim_end().to_string());
    Fault {
        code: text("faultcode").unwrap_or_default(),
        string: text("faultstring").unwrap_or_default(),
        actor: text("faultactor").filter(|a| !a.is_empty()),
        detail: node.child("detail").map(|d| d.raw_xml().to_string()),
    }
}

/// The response element of an rpc call; its children are the output message's parts.
pub struct Response<'t> {
    wrapper: Node<'t>,
}

impl<'t> Response<'t> {
    /// The only part, whatever its element is called (SOAP::Lite names unnamed values
    /// `s-gensymNN`).
    pub fn single_part<T: Decode>(&self) -> Result<T, DecodeError> {
        let part = self.wrapper.children().next().ok_or_else(|| {
            DecodeError::shape(format!(
                "<{}> holds no value (expected the response part)",
                self.wrapper.name()
            ))
        })??;
        T::decode(part)
    }

    /// Part `name`, or the `index`th part when none has that name.
    pub fn part<T: Decode>(&self, index: usize, name: &str) -> Result<T, DecodeError> {
        let by_name = self.wrapper.child(name);
        let part = match by_name {
            Some(p) => p,
            None => self
                .wrapper
                .children()
                .nth(index)
                .transpose()?
                .ok_or_else(|| DecodeError::shape(format!("the response has no part `{name}`")))?,
        };
        crate::encoding::member(part, name)
    }
}

/// Decodes a whole response body (an envelope) whose response element has one part of type `T`:
/// `Ok(Ok(value))`, `Ok(Err(fault))` for a SOAP fault, or the reason the body is not such a
/// response. For captured traffic, tests and benchmarks; calls do this themselves.
pub fn decode_response<T: Decode>(body: &str) -> Result<Result<T, Fault>, DecodeError> {
    let tree = Tree::parse(body)?;
    match response(&tree)? {
        Body::Fault(fault) => Ok(Err(fault)),
        Body::Response(r) => r.single_part().map(Ok),
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
