//! Deterministic re-serialisation of fetched WSDL/XSD files, so that fetching an unchanged
//! server twice gives byte-identical snapshots whatever the server's own formatting.
//!
//! The layout is the one of the hand-made files in `wsdl-snapshots/` (which come out of it
//! unchanged):
//! - `<?xml version="1.0" encoding="UTF-8"?>`, then one node per line, one space of
//!   indentation per level, `\n` line ends and a final newline;
//! - attributes in document order on the tag's line, then each namespace declaration of the
//!   element (kept on the element that declared it) on a line of its own, indented two spaces
//!   deeper than the tag;
//! - whitespace-only text dropped; an element left without children is written `<x/>`, one
//!   that held only whitespace `<x>` and `</x>` on two lines;
//! - an element holding only text on one line, the text trimmed inside `documentation`;
//!   an `xsd:annotation` around one such element (`<xsd:documentation>`) on one line too;
//! - mixed content (text beside elements) written as it came, without added whitespace;
//! - comments and processing instructions kept verbatim, text and attributes escaped
//!   minimally (`&`, `<`, `"` in attributes, and characters the parser would normalise away).
//!
//! This file is self-contained (it only needs roxmltree) so that `xtask/tests/fetch.rs` can
//! include it and compare fetched files with the normalised served ones.

use roxmltree::{Document, Node, NodeType};

pub const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";
pub const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";

/// Parses `text` (a leading byte order mark allowed), refusing a DTD as roxmltree does by
/// default; the error says where the XML is broken.
pub fn parse(text: &str) -> Result<Document<'_>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Document::parse(text).map_err(|e| {
        if matches!(e, roxmltree::Error::DtdDetected) {
            return "refused: the document has a DTD (<!DOCTYPE ...>)".to_string();
        }
        let pos = e.pos();
        let msg = e.to_string();
        let at = format!(" at {pos}");
        if msg.contains(&at) {
            let msg = msg.strip_suffix(&at).unwrap_or(&msg);
            format!(
                "malformed XML at line {} column {}: {msg}",
                pos.row, pos.col
            )
        } else {
            // Errors without a position (e.g. an unclosed root) report 1:1, which misleads.
            format!("malformed XML: {msg}")
        }
    })
}

/// The attribute of `node` that names another file: `schemaLocation` of `xsd:import`,
/// `xsd:include` and `xsd:redefine`, `location` of `wsdl:import` (and not, say, the
/// `location` of `soap:address`).
pub fn location_attribute(node: Node) -> Option<&'static str> {
    let tag = node.tag_name();
    match (tag.namespace(), tag.name()) {
        (Some(XSD_NS), "import" | "include" | "redefine") => Some("schemaLocation"),
        (Some(WSDL_NS), "import") => Some("location"),
        _ => None,
    }
}

/// Every file location `doc` references, in document order.
pub fn locations<'a>(doc: &'a Document) -> Vec<&'a str> {
    doc.descendants()
        .filter(|n| n.is_element())
        .filter_map(|n| n.attribute(location_attribute(n)?))
        .collect()
}

/// Re-serialises `text`, replacing each file location (see [`location_attribute`]) with what
/// `rewrite` makes of it.
pub fn normalize(text: &str, rewrite: &dyn Fn(&str) -> String) -> Result<String, String> {
    let doc = parse(text)?;
    let mut w = Writer {
        input: doc.input_text(),
        rewrite,
        out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
    };
    for child in doc.root().children() {
        match child.node_type() {
            NodeType::Element => w.block(child, 0),
            NodeType::Comment | NodeType::PI => {
                w.inline(child);
                w.out.push('\n');
            }
            // Outside the root element only whitespace can be text.
            NodeType::Text | NodeType::Root => {}
        }
    }
    Ok(w.out)
}

struct Writer<'a, 'input> {
    input: &'input str,
    rewrite: &'a dyn Fn(&str) -> String,
    out: String,
}

/// How an element's content is laid out.
enum Content<'a, 'input> {
    Empty,
    WhitespaceOnly,
    Text(String),
    Mixed,
    /// An `xsd:annotation` with one child (besides whitespace), an element holding only this text.
    Wrapper(Node<'a, 'input>, String),
    Block,
}

impl<'input> Writer<'_, 'input> {
    fn block(&mut self, node: Node<'_, 'input>, depth: usize) {
        self.indent(depth);
        match content(node) {
            Content::Empty => self.start_tag(node, Some(depth), true),
            Content::WhitespaceOnly => {
                self.start_tag(node, Some(depth), false);
                self.out.push('\n');
                self.indent(depth);
                self.end_tag(node);
            }
            Content::Text(text) => {
                self.start_tag(node, Some(depth), false);
                escape_text(&text, &mut self.out);
                self.end_tag(node);
            }
            Content::Mixed => {
                self.start_tag(node, Some(depth), false);
                node.children().for_each(|c| self.inline(c));
                self.end_tag(node);
            }
            Content::Wrapper(child, text) => {
                self.start_tag(node, Some(depth), false);
                self.start_tag(child, None, false);
                escape_text(&text, &mut self.out);
                self.end_tag(child);
                self.end_tag(node);
            }
            Content::Block => {
                self.start_tag(node, Some(depth), false);
                self.out.push('\n');
                for child in node.children() {
                    match child.node_type() {
                        NodeType::Element => self.block(child, depth + 1),
                        NodeType::Comment | NodeType::PI => {
                            self.indent(depth + 1);
                            self.inline(child);
                            self.out.push('\n');
                        }
                        // Only whitespace: anything else would make the content mixed.
                        NodeType::Text | NodeType::Root => {}
                    }
                }
                self.indent(depth);
                self.end_tag(node);
            }
        }
        self.out.push('\n');
    }

    /// Writes `node` without adding whitespace, as mixed content requires.
    fn inline(&mut self, node: Node<'_, 'input>) {
        match node.node_type() {
            NodeType::Element => {
                if !node.has_children() {
                    self.start_tag(node, None, true);
                    return;
                }
                // Mixed content is kept as it came, surrounding whitespace included.
                self.start_tag(node, None, false);
                node.children().for_each(|c| self.inline(c));
                self.end_tag(node);
            }
            NodeType::Text => escape_text(node.text().unwrap_or(""), &mut self.out),
            NodeType::Comment => {
                self.out.push_str("<!--");
                self.out.push_str(node.text().unwrap_or(""));
                self.out.push_str("-->");
            }
            NodeType::PI => {
                if let Some(pi) = node.pi() {
                    self.out.push_str("<?");
                    self.out.push_str(pi.target);
                    if let Some(value) = pi.value {
                        self.out.push(' ');
                        self.out.push_str(value);
                    }
                    self.out.push_str("?>");
                }
            }
            NodeType::Root => {}
        }
    }

    /// `<prefix:name attr="..."`, then the element's own namespace declarations (each on a
    /// line of its own when `depth` is given), then `>` or `/>`.
    fn start_tag(&mut self, node: Node<'_, 'input>, depth: Option<usize>, empty: bool) {
        let (qname, declared) = scan_start_tag(&self.input[node.range().start..]);
        self.out.push('<');
        self.out.push_str(qname);
        let location = location_attribute(node);
        for attr in node.attributes() {
            let name = &self.input[attr.range_qname()];
            let value = if attr.namespace().is_none() && location == Some(attr.name()) {
                (self.rewrite)(attr.value())
            } else {
                attr.value().to_string()
            };
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            escape_attr(&value, &mut self.out);
            self.out.push('"');
        }
        for (name, raw) in declared {
            match depth {
                Some(depth) => {
                    self.out.push('\n');
                    self.indent(depth + 2);
                }
                None => self.out.push(' '),
            }
            // The parser's value has entities resolved; `xmlns:xml` is not recorded by it.
            let prefix = name.strip_prefix("xmlns").and_then(|p| p.strip_prefix(':'));
            let uri = node
                .namespaces()
                .find(|ns| ns.name() == prefix)
                .map_or(raw, |ns| ns.uri());
            self.out.push_str(name);
            self.out.push_str("=\"");
            escape_attr(uri, &mut self.out);
            self.out.push('"');
        }
        self.out.push_str(if empty { "/>" } else { ">" });
    }

    fn end_tag(&mut self, node: Node<'_, 'input>) {
        let (qname, _) = scan_start_tag(&self.input[node.range().start..]);
        self.out.push_str("</");
        self.out.push_str(qname);
        self.out.push('>');
    }

    fn indent(&mut self, depth: usize) {
        self.out.extend(std::iter::repeat_n(' ', depth));
    }
}

fn content<'a, 'input>(node: Node<'a, 'input>) -> Content<'a, 'input> {
    let mut children = node.children().peekable();
    if children.peek().is_none() {
        return Content::Empty;
    }
    let is_blank = |n: &Node| n.is_text() && n.text().is_some_and(|t| t.trim().is_empty());
    if node.children().all(|c| is_blank(&c)) {
        return Content::WhitespaceOnly;
    }
    if node.children().all(|c| c.is_text()) {
        let text: String = node.children().filter_map(|c| c.text()).collect();
        let in_doc = node
            .ancestors()
            .any(|a| a.is_element() && a.tag_name().name() == "documentation");
        return Content::Text(if in_doc {
            text.trim().to_string()
        } else {
            text
        });
    }
    if node.children().any(|c| c.is_text() && !is_blank(&c)) {
        return Content::Mixed;
    }
    let mut significant = node.children().filter(|c| !is_blank(c));
    let annotation =
        node.tag_name().namespace() == Some(XSD_NS) && node.tag_name().name() == "annotation";
    if let (true, Some(only), None) = (annotation, significant.next(), significant.next()) {
        if let (true, Content::Text(text)) = (only.is_element(), content(only)) {
            return Content::Wrapper(only, text);
        }
    }
    Content::Block
}

/// The element's qualified name as written (the parser keeps no prefixes) and its namespace
/// declarations in document order as `(xmlns[:prefix], raw value)`. `tag` starts at the `<`
/// of a start tag the parser has already checked.
fn scan_start_tag(tag: &str) -> (&str, Vec<(&str, &str)>) {
    let is_end = |c: char| c.is_ascii_whitespace() || c == '/' || c == '>' || c == '=';
    let tag = &tag[1..];
    let name_end = tag.find(is_end).unwrap_or(tag.len());
    let (qname, mut rest) = tag.split_at(name_end);
    let mut declared = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() || rest.starts_with('/') || rest.starts_with('>') {
            break;
        }
        let name_end = rest.find(is_end).unwrap_or(rest.len());
        let name = &rest[..name_end];
        rest = rest[name_end..].trim_start();
        rest = rest.strip_prefix('=').unwrap_or(rest).trim_start();
        let Some(quote) = rest.chars().next() else {
            break;
        };
        let value_end = rest[1..].find(quote).map_or(rest.len(), |i| i + 1);
        let value = &rest[1..value_end];
        rest = rest.get(value_end + 1..).unwrap_or("");
        if name == "xmlns" || name.starts_with("xmlns:") {
            declared.push((name, value));
        }
    }
    (qname, declared)
}

fn escape_text(text: &str, out: &mut String) {
    for (i, c) in text.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            // `]]>` is the only place a `>` must be escaped in text.
            '>' if text[..i].ends_with("]]") => out.push_str("&gt;"),
            // A raw CR would be read back as LF.
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

fn escape_attr(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            // Raw whitespace other than spaces would be normalised to spaces when read back.
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}
