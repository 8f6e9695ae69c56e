//! Broken WSDL/XSD gives one error naming the file, line and column, and never a panic.

use std::path::Path;

use telinta_codegen::Error;

const HEAD: &str = r#"<?xml version="1.0"?>
<wsdl:definitions name="XAdminService" targetNamespace="urn:x"
  xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"
  xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:ns="urn:types" xmlns:tns="urn:x">
"#;

/// A complete WSDL around `types` and with messages typed `req`/`resp`.
fn wsdl(types: &str, req_type: &str, style: &str) -> String {
    format!(
        r#"{HEAD} <wsdl:types><xsd:schema targetNamespace="urn:types">{types}</xsd:schema></wsdl:types>
 <wsdl:message name="opRequest"><wsdl:part name="r" type="{req_type}"/></wsdl:message>
 <wsdl:message name="opResponse"/>
 <wsdl:portType name="P"><wsdl:operation name="op"><wsdl:input message="tns:opRequest"/><wsdl:output message="tns:opResponse"/></wsdl:operation></wsdl:portType>
 <wsdl:binding name="B" type="tns:P"><soap:binding style="{style}" transport="http://schemas.xmlsoap.org/soap/http"/>
  <wsdl:operation name="op"><wsdl:input><soap:body use="encoded" namespace="urn:x"/></wsdl:input><wsdl:output><soap:body use="encoded" namespace="urn:x"/></wsdl:output></wsdl:operation></wsdl:binding>
 <wsdl:service name="XAdminService"><wsdl:port name="p" binding="tns:B"><soap:address location="https://x/soap/"/></wsdl:port></wsdl:service>
</wsdl:definitions>
"#
    )
}

/// Generates from a folder holding `files`; returns the error.
fn error_of(files: &[(&str, &str)]) -> Error {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    match telinta_codegen::generate(dir.path()) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

/// Asserts the error is about `file` at `line` (and some column), with `message` in its text.
fn assert_at(err: &Error, file: &str, line: u32, message: &str) {
    let loc = err
        .location()
        .unwrap_or_else(|| panic!("no location in {err}"));
    assert_eq!(Path::new(&loc.file).file_name().unwrap(), file, "{err}");
    assert_eq!(loc.line, line, "{err}");
    assert!(loc.column >= 1, "{err}");
    let text = err.to_string();
    assert!(text.contains(message), "`{text}` does not say `{message}`");
    assert!(
        text.starts_with(&format!(
            "{}:{}:{}",
            loc.file.display(),
            loc.line,
            loc.column
        )),
        "{text}"
    );
}

const STRUCT: &str = r#"<xsd:complexType name="R"><xsd:sequence><xsd:element name="a" type="xsd:string"/></xsd:sequence></xsd:complexType>"#;

#[test]
fn a_valid_fixture_generates() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("XAdminService.wsdl"),
        wsdl(STRUCT, "ns:R", "rpc"),
    )
    .unwrap();
    telinta_codegen::generate(dir.path()).expect("the base fixture is valid");
}

#[test]
fn unclosed_tag() {
    let text = wsdl(STRUCT, "ns:R", "rpc").replace("</wsdl:types>", "");
    let err = error_of(&[("XAdminService.wsdl", &text)]);
    assert!(matches!(err, Error::Xml { .. }), "{err:?}");
    let loc = err.location().unwrap();
    assert_eq!(loc.file.file_name().unwrap(), "XAdminService.wsdl");
    assert!(loc.line >= 6, "{err}");
}

#[test]
fn missing_referenced_type() {
    let err = error_of(&[("XAdminService.wsdl", &wsdl(STRUCT, "ns:Nope", "rpc"))]);
    assert_at(&err, "XAdminService.wsdl", 7, "type `Nope` is not defined");
}

#[test]
fn missing_member_type() {
    let types = r#"<xsd:complexType name="R"><xsd:sequence>
<xsd:element name="a" type="ns:Gone"/></xsd:sequence></xsd:complexType>"#;
    let err = error_of(&[("XAdminService.wsdl", &wsdl(types, "ns:R", "rpc"))]);
    assert_at(&err, "XAdminService.wsdl", 7, "type `Gone` is not defined");
}

#[test]
fn missing_message() {
    let text = wsdl(STRUCT, "ns:R", "rpc").replace(r#"<wsdl:message name="opResponse"/>"#, "");
    let err = error_of(&[("XAdminService.wsdl", &text)]);
    assert_at(
        &err,
        "XAdminService.wsdl",
        9,
        "message `opResponse` is not defined",
    );
}

#[test]
fn document_style_binding() {
    let err = error_of(&[("XAdminService.wsdl", &wsdl(STRUCT, "ns:R", "document"))]);
    assert_at(&err, "XAdminService.wsdl", 10, "binding style `document`");
}

#[test]
fn import_of_a_missing_file() {
    let types = format!(r#"<xsd:include schemaLocation="missing.xsd"/>{STRUCT}"#);
    let err = error_of(&[("XAdminService.wsdl", &wsdl(&types, "ns:R", "rpc"))]);
    assert_at(&err, "XAdminService.wsdl", 6, "cannot read referenced file");
    assert!(err.to_string().contains("missing.xsd"), "{err}");
}

#[test]
fn broken_imported_schema_names_the_schema_file() {
    let types = format!(r#"<xsd:include schemaLocation="bad.xsd"/>{STRUCT}"#);
    let bad = "<?xml version=\"1.0\"?>\n<xsd:schema xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\n  <xsd:complexType name=\"Q\">\n</xsd:schema>\n";
    let err = error_of(&[
        ("XAdminService.wsdl", &wsdl(&types, "ns:R", "rpc")),
        ("bad.xsd", bad),
    ]);
    assert!(matches!(err, Error::Xml { .. }), "{err:?}");
    let loc = err.location().unwrap();
    assert_eq!(loc.file.file_name().unwrap(), "bad.xsd");
    assert_eq!(loc.line, 4, "{err}");
}

#[test]
fn a_type_that_restricts_itself() {
    let types = format!(
        r#"{STRUCT}<xsd:simpleType name="Loop"><xsd:restriction base="ns:Loop"/></xsd:simpleType>"#
    );
    let err = error_of(&[("XAdminService.wsdl", &wsdl(&types, "ns:R", "rpc"))]);
    assert_at(
        &err,
        "XAdminService.wsdl",
        6,
        "type `Loop` is defined in terms of itself",
    );
}

#[test]
fn a_type_that_extends_itself() {
    let types = r#"<xsd:complexType name="R"><xsd:complexContent><xsd:extension base="ns:R"><xsd:sequence/></xsd:extension></xsd:complexContent></xsd:complexType>"#;
    let err = error_of(&[("XAdminService.wsdl", &wsdl(types, "ns:R", "rpc"))]);
    assert_at(&err, "XAdminService.wsdl", 6, "extends itself");
}

#[test]
fn not_a_wsdl_at_all() {
    let err = error_of(&[("XAdminService.wsdl", "<html><body>404</body></html>")]);
    assert_at(
        &err,
        "XAdminService.wsdl",
        1,
        "expected a WSDL 1.1 <definitions>",
    );
}

#[test]
fn undeclared_prefix() {
    let err = error_of(&[("XAdminService.wsdl", &wsdl(STRUCT, "zz:R", "rpc"))]);
    assert_at(&err, "XAdminService.wsdl", 7, "prefix `zz`");
}

#[test]
fn no_wsdl_in_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let err = telinta_codegen::generate(dir.path()).unwrap_err();
    assert!(err.to_string().contains("no *.wsdl file"), "{err}");
}

/// Generates from a folder holding `files`; returns the generated files.
fn generated(files: &[(&str, &str)]) -> Vec<telinta_codegen::GeneratedFile> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    telinta_codegen::generate(dir.path()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn structures_containing_themselves_are_boxed() {
    let types = r#"<xsd:complexType name="R"><xsd:sequence>
<xsd:element name="a" type="ns:A" minOccurs="0"/></xsd:sequence></xsd:complexType>
<xsd:complexType name="A"><xsd:sequence><xsd:element name="b" type="ns:B"/><xsd:element name="me" type="ns:A" minOccurs="0"/></xsd:sequence></xsd:complexType>
<xsd:complexType name="B"><xsd:sequence><xsd:element name="a" type="ns:A" minOccurs="0"/></xsd:sequence></xsd:complexType>"#;
    let files = generated(&[("XAdminService.wsdl", &wsdl(types, "ns:R", "rpc"))]);
    let x = &files.iter().find(|f| f.path == "x.rs").unwrap().contents;
    assert!(x.contains("pub me: Option<Box<A>>,"), "{x}");
    assert!(x.contains("pub b: Box<B>,"), "A -> B -> A: {x}");
    assert!(x.contains("pub a: Option<Box<A>>,"), "B -> A -> B: {x}");
    assert!(
        !x.contains("Box<R>") && x.contains("pub a: Option<A>,"),
        "R is not in a cycle: {x}"
    );
}

#[test]
fn names_that_are_not_rust_identifiers_are_cleaned() {
    let types = r#"<xsd:complexType name="R"><xsd:sequence>
<xsd:element name="a½" type="xsd:string" minOccurs="0"/><xsd:element name="type" type="xsd:string" minOccurs="0"/><xsd:element name="3way" type="xsd:string" minOccurs="0"/></xsd:sequence></xsd:complexType>
<xsd:complexType name="String"><xsd:sequence/></xsd:complexType>"#;
    let files = generated(&[("XAdminService.wsdl", &wsdl(types, "ns:R", "rpc"))]);
    let x = &files.iter().find(|f| f.path == "x.rs").unwrap().contents;
    assert!(x.contains("pub a: Option<String>,"), "{x}");
    assert!(x.contains("pub r#type: Option<String>,"), "{x}");
    assert!(x.contains("pub n3way: Option<String>,"), "{x}");
    assert!(x.contains("pub struct StringType {"), "{x}");
}

#[test]
fn names_that_collide_in_rust_are_an_error() {
    let types = format!(r#"{STRUCT}<xsd:complexType name="r"><xsd:sequence/></xsd:complexType>"#);
    let err = error_of(&[("XAdminService.wsdl", &wsdl(&types, "ns:R", "rpc"))]);
    assert!(
        err.to_string().contains("both become the Rust type `R`"),
        "{err}"
    );
    let types = r#"<xsd:complexType name="R"><xsd:sequence>
<xsd:element name="Name" type="xsd:string"/><xsd:element name="name" type="xsd:string"/></xsd:sequence></xsd:complexType>"#;
    let err = error_of(&[("XAdminService.wsdl", &wsdl(types, "ns:R", "rpc"))]);
    assert!(
        err.to_string()
            .contains("two members map to the Rust field `name`"),
        "{err}"
    );
    let client = wsdl(STRUCT, "ns:R", "rpc").replace("XAdminService", "ConfigAdminService");
    let err = error_of(&[("ConfigAdminService.wsdl", &client)]);
    assert!(
        err.to_string()
            .contains("would clash with a method of the client"),
        "{err}"
    );
}

#[test]
fn deeply_nested_sequences_are_an_error() {
    let open = "<xsd:sequence>".repeat(100);
    let close = "</xsd:sequence>".repeat(100);
    let types = format!(r#"<xsd:complexType name="R">{open}{close}</xsd:complexType>"#);
    let err = error_of(&[("XAdminService.wsdl", &wsdl(&types, "ns:R", "rpc"))]);
    assert_at(&err, "XAdminService.wsdl", 6, "nested deeper than");
}

#[test]
fn references_outside_the_snapshot_folder_are_refused() {
    for location in ["../../../../etc/passwd", "/dev/zero", "/etc/hostname"] {
        let types = format!(r#"<xsd:include schemaLocation="{location}"/>{STRUCT}"#);
        let err = error_of(&[("XAdminService.wsdl", &wsdl(&types, "ns:R", "rpc"))]);
        assert_at(
            &err,
            "XAdminService.wsdl",
            6,
            "is outside the snapshot folder",
        );
    }
}
