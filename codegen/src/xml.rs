//! Reading one XML file with roxmltree, and the small helpers every parser here needs:
//! positions for error messages, qualified names resolved through in-scope prefixes, and
//! documentation text.

use std::path::{Path, PathBuf};

use roxmltree::{Document, Node};

use crate::error::{Error, Location, Result};

pub const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";
pub const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
pub const SOAP_BINDING_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
pub const SOAPENC_NS: &str = "http://schemas.xmlsoap.org/soap/encoding/";

/// A namespace-qualified name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QName {
    pub ns: String,
    pub local: String,
}

impl std::fmt::Display for QName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{{{}}}{}", self.ns, self.local)
    }
}

/// Largest snapshot file read (the real WSDLs are well under a megabyte).
const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// The text of a file, kept so that a roxmltree document can borrow it.
pub struct SourceFile {
    /// Path as given (used in messages).
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    pub fn read(path: &Path) -> Result<Self> {
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        // Not a device, FIFO or directory (reading one would block or never end), and a size
        // no real WSDL comes near.
        let meta = std::fs::metadata(path).map_err(io)?;
        if !meta.is_file() {
            return Err(io(std::io::Error::other("not a regular file")));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(io(std::io::Error::other(format!(
                "larger than {MAX_FILE_BYTES} bytes"
            ))));
        }
        let bytes = std::fs::read(path).map_err(io)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let (line, column) = line_col_of_byte(e.as_bytes(), e.utf8_error().valid_up_to());
            Error::Xml {
                location: Location::new(path, line, column),
                message: "the file is not valid UTF-8".into(),
            }
        })?;
        Ok(SourceFile {
            path: path.to_path_buf(),
            text,
        })
    }

    pub fn parse(&self) -> Result<Document<'_>> {
        let options = roxmltree::ParsingOptions {
            allow_dtd: false,
            ..Default::default()
        };
        Document::parse_with_options(&self.text, options).map_err(|e| {
            let pos = e.pos();
            Error::Xml {
                location: Location::new(&self.path, pos.row, pos.col),
                message: e.to_string(),
            }
        })
    }
}

fn line_col_of_byte(bytes: &[u8], offset: usize) -> (u32, u32) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = offset
        - before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    (line as u32, column as u32)
}

/// Context for one parsed file: turns nodes into locations and attribute values into names.
pub struct Ctx<'a, 'input> {
    pub path: &'a Path,
    pub doc: &'a Document<'input>,
    text: &'input str,
    /// Byte offset of the start of each line (roxmltree's own position lookup scans the file
    /// from the start each time, which is quadratic over a file).
    line_starts: Vec<usize>,
}

impl<'a, 'input> Ctx<'a, 'input> {
    pub fn new(path: &'a Path, doc: &'a Document<'input>, text: &'input str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Ctx {
            path,
            doc,
            text,
            line_starts,
        }
    }

    pub fn loc(&self, node: Node<'_, '_>) -> Location {
        let offset = node.range().start;
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let column = self
            .text
            .get(line_start..offset)
            .map_or(1, |t| t.chars().count() + 1);
        Location::new(self.path, line as u32, column as u32)
    }

    pub fn invalid(&self, node: Node<'_, '_>, message: impl Into<String>) -> Error {
        Error::invalid(self.loc(node), message)
    }

    /// A required attribute.
    pub fn attr<'n>(&self, node: Node<'n, 'input>, name: &str) -> Result<&'n str> {
        node.attribute(name).ok_or_else(|| {
            self.invalid(
                node,
                format!("<{}> has no `{name}` attribute", node.tag_name().name()),
            )
        })
    }

    /// Resolves `prefix:local` (or `local`, in the default namespace) through the prefixes in
    /// scope at `node`.
    pub fn qname(&self, node: Node<'_, '_>, value: &str) -> Result<QName> {
        let (prefix, local) = match value.split_once(':') {
            Some((p, l)) => (Some(p), l),
            None => (None, value),
        };
        let ns =
            node.lookup_namespace_uri(prefix)
                .or(if prefix.is_none() { Some("") } else { None });
        match ns {
            Some(ns) => Ok(QName {
                ns: ns.to_string(),
                local: local.to_string(),
            }),
            None => Err(self.invalid(
                node,
                format!(
                    "prefix `{}` in `{value}` is not declared",
                    prefix.unwrap_or_default()
                ),
            )),
        }
    }
}

/// Child elements of `node` in namespace `ns`.
pub fn children<'a, 'input: 'a>(
    node: Node<'a, 'input>,
    ns: &'static str,
) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().namespace() == Some(ns))
}

pub fn child<'a, 'input: 'a>(
    node: Node<'a, 'input>,
    ns: &'static str,
    name: &str,
) -> Option<Node<'a, 'input>> {
    children(node, ns).find(|c| c.tag_name().name() == name)
}

pub fn is(node: Node<'_, '_>, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(ns) && node.tag_name().name() == name
}

/// Whitespace-normalised text of a documentation element (PDF-extracted descriptions carry
/// line breaks in the middle of sentences).
pub fn doc_text(node: Node<'_, '_>) -> Option<String> {
    let text: String = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    let normalised = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!normalised.is_empty()).then_some(normalised)
}

/// `xsd:annotation/xsd:documentation` of a schema component.
pub fn xsd_doc(node: Node<'_, '_>) -> Option<String> {
    let annotation = child(node, XSD_NS, "annotation")?;
    let texts: Vec<String> = children(annotation, XSD_NS)
        .filter(|c| c.tag_name().name() == "documentation")
        .filter_map(doc_text)
        .collect();
    (!texts.is_empty()).then(|| texts.join(" "))
}

/// `wsdl:documentation` of a WSDL component.
pub fn wsdl_doc(node: Node<'_, '_>) -> Option<String> {
    child(node, WSDL_NS, "documentation").and_then(doc_text)
}
