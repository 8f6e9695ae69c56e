//! The intermediate model: what the WSDL/XSD files say, resolved and de-duplicated, with no
//! trace of XML syntax left. Parsing fills it (`wsdl`, `xsd`); emission only reads it (`emit`).
//! Everything is kept in a stable order so that generation is deterministic.

/// The whole API described by a snapshot folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// One module per service plus one per shared schema file, sorted by name.
    pub modules: Vec<Module>,
}

/// A Rust module of the generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// Rust module name (`didapi`, `session`, `common`).
    pub name: String,
    /// Snapshot files this module is generated from, relative to the snapshot folder, sorted.
    pub sources: Vec<Source>,
    /// Documentation of the module (the service's `wsdl:documentation`).
    pub doc: Option<String>,
    /// The service, when the module comes from WSDL files (not from a shared XSD).
    pub service: Option<Service>,
    /// Structures defined in this module, sorted by XML name.
    pub types: Vec<TypeDef>,
    /// Enumerations defined by overrides, sorted by name.
    pub enums: Vec<EnumDef>,
}

/// A set of documented values (`ASC|DESC`); generated as a Rust enum with an `Other(String)`
/// variant, so a value a newer server sends never breaks decoding.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    pub name: String,
    pub doc: Option<String>,
    pub values: Vec<EnumValue>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The value on the wire.
    pub value: String,
    pub doc: Option<String>,
}

/// A snapshot file with the digest of its bytes, so that generated files say exactly what they
/// were generated from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    pub path: String,
    pub sha256: String,
}

/// A SOAP service (one `wsdl:service`, merged over realms).
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Service name without realm (`DIDAPI`).
    pub name: String,
    /// The namespace of the rpc method element (`soap:body/@namespace`).
    pub namespace: String,
    /// Endpoints by realm, sorted by realm name.
    pub endpoints: Vec<Endpoint>,
    /// Operations sorted by name.
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `Admin`, `Reseller`, or the full service name when it has no realm suffix.
    pub realm: String,
    pub location: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub name: String,
    pub doc: Option<String>,
    pub soap_action: Option<String>,
    pub input: Message,
    pub output: Message,
    /// The SOAP header part of the input (`auth_info`), when the binding declares one.
    pub header: Option<Header>,
    /// The method that replaces this one, when it is deprecated (`Tariff/add_tariff`).
    pub deprecated: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// Element name of the header (`auth_info`).
    pub name: String,
    /// Namespace of the header element (`soap:header/@namespace`).
    pub namespace: String,
    pub ty: TypeRef,
}

/// An rpc message: its parts become the children of the method (or response) element.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub name: String,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub name: String,
    pub ty: TypeRef,
}

/// A named complex type with members (arrays are not types of their own in the model: they are
/// [`TypeRef::Array`] wherever they are used).
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// XML name (`DIDAPINumber`).
    pub name: String,
    /// XML namespace of the type.
    pub namespace: String,
    pub doc: Option<String>,
    pub members: Vec<Member>,
    /// Sent as an array whose items are the members, in order (PortaBilling's two-element
    /// `rates_list`), rather than as a structure with named members.
    pub positional: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// XML element name (`city_id`).
    pub name: String,
    pub ty: TypeRef,
    /// `minOccurs="0"`.
    pub optional: bool,
    /// `nillable="true"`.
    pub nillable: bool,
    /// What the reference document says about setting the member, if anything.
    pub marker: Option<Marker>,
    pub doc: Option<String>,
    /// Rust field name chosen by an override (default: from the XML name).
    pub rust_name: Option<String>,
    /// The document section an override of this member cites.
    pub override_source: Option<String>,
}

/// The reference document's property markers: `*` insert-only, `**` read-only, underlined
/// mandatory. Carried by reconstructed snapshots as a `tl:marker` attribute
/// (namespace [`MARKER_NS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// `*`: can be given only when the record is created, not changed later.
    InsertOnly,
    /// `**`: set by the server; ignored when sent.
    ReadOnly,
    /// Underlined: must be given on insert and cannot be emptied later.
    Mandatory,
}

/// Namespace of the `marker` attribute in reconstructed snapshots.
pub const MARKER_NS: &str = "urn:telinta-api:reconstruction";

impl Marker {
    pub fn from_attr(value: &str) -> Option<Marker> {
        match value {
            "insert-only" => Some(Marker::InsertOnly),
            "read-only" => Some(Marker::ReadOnly),
            "mandatory" => Some(Marker::Mandatory),
            _ => None,
        }
    }

    /// One sentence for the member's documentation.
    pub fn describe(self) -> &'static str {
        match self {
            Marker::InsertOnly => "Insert-only: can be given only when the record is created, and cannot be changed later.",
            Marker::ReadOnly => "Read-only: set by the server.",
            Marker::Mandatory => "Mandatory: must be given when the record is created, and cannot be set to an empty value later.",
        }
    }
}

/// A reference to a type, resolved.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    Builtin(Builtin),
    /// A structure of the model: module and XML name.
    Named {
        module: String,
        name: String,
    },
    /// An enumeration of the model (defined by an override).
    Enum {
        module: String,
        name: String,
    },
    /// A `soapenc:Array` of items of this type (`xsd:anyType` when the WSDL does not say).
    Array(Box<TypeRef>),
}

/// XML Schema built-in simple types the generator knows (and `anyType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Builtin {
    String,
    Int,
    Long,
    Short,
    Byte,
    Integer,
    UnsignedInt,
    UnsignedLong,
    Float,
    Double,
    Decimal,
    Boolean,
    Date,
    DateTime,
    Time,
    Base64Binary,
    AnyUri,
    AnyType,
}

impl Builtin {
    /// The XSD local name.
    pub fn xsd_name(self) -> &'static str {
        match self {
            Builtin::String => "string",
            Builtin::Int => "int",
            Builtin::Long => "long",
            Builtin::Short => "short",
            Builtin::Byte => "byte",
            Builtin::Integer => "integer",
            Builtin::UnsignedInt => "unsignedInt",
            Builtin::UnsignedLong => "unsignedLong",
            Builtin::Float => "float",
            Builtin::Double => "double",
            Builtin::Decimal => "decimal",
            Builtin::Boolean => "boolean",
            Builtin::Date => "date",
            Builtin::DateTime => "dateTime",
            Builtin::Time => "time",
            Builtin::Base64Binary => "base64Binary",
            Builtin::AnyUri => "anyURI",
            Builtin::AnyType => "anyType",
        }
    }

    /// Looks up an XSD local name (`int`) in the XML Schema namespace.
    pub fn from_xsd_name(name: &str) -> Option<Builtin> {
        Some(match name {
            "string" | "normalizedString" | "token" | "NMTOKEN" | "Name" | "NCName" => {
                Builtin::String
            }
            "int" => Builtin::Int,
            "long" => Builtin::Long,
            "short" => Builtin::Short,
            "byte" => Builtin::Byte,
            "integer" | "nonNegativeInteger" | "positiveInteger" | "negativeInteger"
            | "nonPositiveInteger" => Builtin::Integer,
            "unsignedInt" | "unsignedShort" | "unsignedByte" => Builtin::UnsignedInt,
            "unsignedLong" => Builtin::UnsignedLong,
            "float" => Builtin::Float,
            "double" => Builtin::Double,
            "decimal" => Builtin::Decimal,
            "boolean" => Builtin::Boolean,
            "date" => Builtin::Date,
            "dateTime" => Builtin::DateTime,
            "time" => Builtin::Time,
            "base64Binary" => Builtin::Base64Binary,
            "anyURI" => Builtin::AnyUri,
            "anyType" | "anySimpleType" => Builtin::AnyType,
            _ => return None,
        })
    }
}

impl TypeRef {
    /// How overrides and messages spell the type: `xsd:string`, `soapenc:Array` (items
    /// untyped), `RateInfo`, `RateInfo[]`.
    pub fn describe(&self) -> String {
        match self {
            TypeRef::Builtin(b) => format!("xsd:{}", b.xsd_name()),
            TypeRef::Named { name, .. } | TypeRef::Enum { name, .. } => name.clone(),
            TypeRef::Array(item) if **item == TypeRef::Builtin(Builtin::AnyType) => {
                "soapenc:Array".to_string()
            }
            TypeRef::Array(item) => format!("{}[]", item.describe()),
        }
    }
}

impl Api {
    pub fn module(&self, name: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.name == name)
    }

    pub fn type_def(&self, module: &str, name: &str) -> Option<&TypeDef> {
        self.module(module)?.types.iter().find(|t| t.name == name)
    }
}
