//! SOAP 1.1 rpc/encoded values: writing them into a request and reading them out of a response.
//!
//! Writing: every element carries `xsi:type` (SOAP::Lite types what it decodes by it), arrays are
//! `soapenc:Array` with `soapenc:arrayType` even for one item (SOAP::Lite turns a lone repeated
//! element into a scalar), and absent optional values are not written at all.
//!
//! Reading: a response is parsed once into a small [`Tree`] borrowed from the body, then decoded
//! by the *expected* type, not by the `xsi:type` the server wrote: SOAP::Lite autotypes values,
//! so a string member may arrive as `xsd:int`, `xsd:long` or `xsd:base64Binary`. Elements are
//! matched by local name whatever their prefix or namespace, member order is ignored, `xsi:nil`
//! is honoured and `href`/`id` multi-references are followed.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use base64::Engine as _;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};

/// Deepest element nesting accepted in a response (a guard against hostile input).
const MAX_DEPTH: usize = 256;
/// Longest `href` chain followed before it is called a cycle.
const MAX_HREF_HOPS: usize = 32;
/// Elements decoded per element of the document (shared references decode a subtree again for
/// each reference), plus a floor for small documents.
const VISITS_PER_ELEMENT: usize = 4;
const MIN_VISITS: usize = 100_000;
/// References followed in one response, beyond one per element (multi-references are for
/// shared values; a few per element is plenty).
const MAX_HREF_FOLLOWS: usize = 10_000;

// ---------------------------------------------------------------------------------------------
// Writing

/// Writes the XML of a request body.
pub struct Writer {
    inner: quick_xml::Writer<Vec<u8>>,
}

impl Writer {
    /// A writer appending to `buf`.
    pub fn new(buf: Vec<u8>) -> Self {
        Writer {
            inner: quick_xml::Writer::new(buf),
        }
    }

    /// The bytes written.
    pub fn into_inner(self) -> Vec<u8> {
        self.inner.into_inner()
    }

    fn event(&mut self, event: Event<'_>) {
        // Writing into a Vec<u8> cannot fail.
        let _ = self.inner.write_event(event);
    }

    /// Writes raw markup that the runtime itself produced (envelope prologue).
    pub(crate) fn raw(&mut self, markup: &str) {
        self.inner.get_mut().extend_from_slice(markup.as_bytes());
    }

    /// Opens `<name xsi:type="...">` (more attributes may follow in `extra`).
    pub fn start(&mut self, name: &str, xsi_type: &str) {
        self.start_with(name, xsi_type, &[]);
    }

    pub(crate) fn start_with(&mut self, name: &str, xsi_type: &str, extra: &[(&str, &str)]) {
        let mut start = BytesStart::new(name);
        for (k, v) in extra {
            start.push_attribute((*k, *v));
        }
        start.push_attribute(("xsi:type", xsi_type));
        self.event(Event::Start(start));
    }

    /// Closes `</name>`.
    pub fn end(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// `<name xsi:type="...">text</name>`, with the text escaped.
    pub fn leaf(&mut self, name: &str, xsi_type: &str, text: &str) {
        self.start(name, xsi_type);
        self.event(Event::Text(BytesText::new(text)));
        self.end(name);
    }

    /// `<name xsi:nil="true"/>`.
    pub fn nil(&mut self, name: &str) {
        let mut start = BytesStart::new(name);
        start.push_attribute(("xsi:nil", "true"));
        self.event(Event::Empty(start));
    }
}

/// A value that can be written as a SOAP-encoded element. `xsi_type` is the schema type of the
/// member (for arrays: of their items), as the WSDL declares it.
pub trait Encode {
    /// Writes the value as element `name`.
    fn encode(&self, w: &mut Writer, name: &str, xsi_type: &str);
}

impl<T: Encode + ?Sized> Encode for &T {
    fn encode(&self, w: &mut Writer, name: &str, xsi_type: &str) {
        (**self).encode(w, name, xsi_type)
    }
}

impl Encode for str {
    fn encode(&self, w: &mut Writer, name: &str, xsi_type: &str) {
        w.leaf(name, xsi_type, self)
    }
}

impl Encode for String {
    fn encode(&self, w: &mut Writer, name: &str, xsi_type: &str) {
        w.leaf(name, xsi_type, self)
    }
}

macro_rules! encode_display {
    ($($t:ty),*) => {$(
        impl Encode for $t {
            fn encode(&self, w: &mut Writer, name: &str, xsi_type: &str) {
                w.leaf(name, xsi_type, &self.to_string())
            }
        }
    )*};
}
encode_display!(i64, u64, i32, bool);

impl Encode for f64 {
    fn encode(&self, w: &mut Writer, name: &str, xsi_type: &str) {
        // XML Schema spells the special values INF, -INF and NaN.
        let text = if self.is_nan() {
            "NaN".to_string()
        } else if self.is_infinite() {
            if *self > 0.0 { "INF" } else { "-INF" }.to_string()
        } else {
            self.to_string()
        };
        w.leaf(name, xsi_type, &text)
    }
}

impl<T: Encode> Encode for Box<T> {
    fn encode(&self, w: &mut Writer, name: &str, xsi_type: &str) {
        (**self).encode(w, name, xsi_type)
    }
}

/// Absent values are not written (PortaBilling treats a sent empty element as a value).
impl<T: Encode> Encode for Option<T> {
    fn encode(&self, w: &mut Writer, name: &str, xsi_type: &str) {
        if let Some(v) = self {
            v.encode(w, name, xsi_type)
        }
    }
}

/// A `soapenc:Array` of `xsi_type` items; an empty array is not written.
impl<T: Encode> Encode for [T] {
    fn encode(&self, w: &mut Writer, name: &str, xsi_type: &str) {
        if self.is_empty() {
            return;
        }
        let array_type = format!("{xsi_type}[{}]", self.len());
        w.start_with(name, "soapenc:Array", &[("soapenc:arrayType", &array_type)]);
        for item in self {
            item.encode(w, "item", xsi_type);
        }
        w.end(name);
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self, w: &mut Writer, name: &str, xsi_type: &str) {
        self.as_slice().encode(w, name, xsi_type)
    }
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Why a response could not be decoded, and where in it.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    /// Path from the response part down to the failing value, outermost first.
    path: Vec<PathSegment>,
    kind: DecodeErrorKind,
}

#[derive(Debug, Clone, PartialEq)]
enum PathSegment {
    Member(String),
    Index(usize),
}

#[derive(Debug, Clone, PartialEq)]
enum DecodeErrorKind {
    Expected {
        expected: &'static str,
        found: String,
    },
    Missing(String),
    Xml(String),
    Href(String),
    Shape(String),
}

impl DecodeError {
    fn new(kind: DecodeErrorKind) -> Self {
        DecodeError {
            path: Vec::new(),
            kind,
        }
    }

    pub(crate) fn expected(expected: &'static str, found: &str) -> Self {
        // Quote at most 64 characters of what was received.
        let mut short: String = found.chars().take(64).collect();
        if short.len() < found.len() {
            short.push('…');
        }
        DecodeError::new(DecodeErrorKind::Expected {
            expected,
            found: short,
        })
    }

    /// A required member is absent.
    pub fn missing(member: &str) -> Self {
        DecodeError::new(DecodeErrorKind::Missing(member.to_string()))
    }

    pub(crate) fn xml(message: impl Into<String>) -> Self {
        DecodeError::new(DecodeErrorKind::Xml(message.into()))
    }

    pub(crate) fn shape(message: impl Into<String>) -> Self {
        DecodeError::new(DecodeErrorKind::Shape(message.into()))
    }

    fn in_member(mut self, name: &str) -> Self {
        self.path.insert(0, PathSegment::Member(name.to_string()));
        self
    }

    fn at_index(mut self, index: usize) -> Self {
        self.path.insert(0, PathSegment::Index(index));
        self
    }

    /// The path of the failing value, e.g. `numbers[3].monthly`.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                PathSegment::Member(m) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(m);
                }
                PathSegment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path();
        if !path.is_empty() {
            write!(f, "at `{path}`: ")?;
        }
        match &self.kind {
            DecodeErrorKind::Expected { expected, found } => {
                write!(f, "expected {expected}, found {found:?}")
            }
            DecodeErrorKind::Missing(m) => write!(f, "required member `{m}` is missing"),
            DecodeErrorKind::Xml(m) => write!(f, "malformed XML: {m}"),
            DecodeErrorKind::Href(h) => write!(f, "{h}"),
            DecodeErrorKind::Shape(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for DecodeError {}

#[derive(Debug)]
struct Elem<'a> {
    local: &'a str,
    /// Local part of `xsi:type`.
    xsi_type: Option<&'a str>,
    nil: bool,
    array_type: bool,
    href: Option<Cow<'a, str>>,
    text: Cow<'a, str>,
    /// Byte range of the whole element in the source.
    range: (usize, usize),
    first_child: Option<usize>,
    last_child: Option<usize>,
    next_sibling: Option<usize>,
}

/// A parsed response body: elements in document order, borrowing names and text from the body.
pub struct Tree<'a> {
    src: &'a str,
    elems: Vec<Elem<'a>>,
    ids: HashMap<Cow<'a, str>, usize>,
    /// References followed so far; bounded so that many references to one large element (or a
    /// chain of doubling fan-outs) cannot make decoding blow up.
    hrefs_followed: std::cell::Cell<usize>,
    /// Elements visited while decoding. Shared references make a subtree be decoded once per
    /// reference, so the work is bounded by a multiple of the document's size, not by the
    /// number of references.
    visits: std::cell::Cell<usize>,
}

fn local(qname: &[u8]) -> &[u8] {
    match qname.iter().position(|b| *b == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    }
}

impl<'a> Tree<'a> {
    /// Parses a whole document. DTDs are refused: a SOAP message may not carry one, and
    /// refusing them rules out entity expansion attacks.
    pub fn parse(src: &'a str) -> Result<Self, DecodeError> {
        let mut reader = quick_xml::Reader::from_str(src);
        reader.config_mut().trim_text(false);
        let mut elems: Vec<Elem<'a>> = Vec::new();
        let mut ids = HashMap::new();
        let mut stack: Vec<usize> = Vec::new();
        loop {
            let start_pos = reader.buffer_position() as usize;
            let event = reader.read_event().map_err(|e| {
                let at = reader.error_position() as usize;
                // An error at the very end means the document stops early.
                let truncated = at + 1 >= src.len() || e.to_string().contains("end of input");
                let hint = if truncated {
                    " (the body is truncated)"
                } else {
                    ""
                };
                DecodeError::xml(format!("{e} (at byte {at}){hint}"))
            })?;
            let (start, empty) = match event {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(_) => {
                    if let Some(idx) = stack.pop() {
                        elems[idx].range.1 = reader.buffer_position() as usize;
                    }
                    continue;
                }
                Event::Text(t) => {
                    if let Some(&idx) = stack.last() {
                        let raw = slice_of(src, &t)?;
                        push_text(&mut elems[idx].text, Cow::Borrowed(raw));
                    } else if !t.iter().all(u8::is_ascii_whitespace) {
                        return Err(DecodeError::xml("text outside the root element"));
                    }
                    continue;
                }
                Event::CData(t) => {
                    if let Some(&idx) = stack.last() {
                        let raw = slice_of(src, &t)?;
                        push_text(&mut elems[idx].text, Cow::Borrowed(raw));
                    }
                    continue;
                }
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => {
                            let name = r.decode().map_err(|e| DecodeError::xml(e.to_string()))?;
                            quick_xml::escape::resolve_predefined_entity(&name)
                                .ok_or_else(|| {
                                    DecodeError::xml(format!("unknown entity `&{name};`"))
                                })?
                                .to_string()
                        }
                        Err(e) => return Err(DecodeError::xml(e.to_string())),
                    };
                    if let Some(&idx) = stack.last() {
                        push_text(&mut elems[idx].text, Cow::Owned(resolved));
                    }
                    continue;
                }
                Event::DocType(_) => {
                    return Err(DecodeError::xml(
                        "a DTD is not allowed in a SOAP message (entity declarations are refused)",
                    ))
                }
                Event::Eof => break,
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
            };
            if stack.len() >= MAX_DEPTH {
                return Err(DecodeError::xml(format!(
                    "elements nested deeper than {MAX_DEPTH}"
                )));
            }
            let idx = elems.len();
            // Names and values borrow from `src` (the reader hands out slices of it).
            let mut elem = Elem {
                local: slice_of(src, local(start.name().into_inner()))?,
                xsi_type: None,
                nil: false,
                array_type: false,
                href: None,
                text: Cow::Borrowed(""),
                range: (start_pos, start_pos),
                first_child: None,
                last_child: None,
                next_sibling: None,
            };
            // Duplicate checks are quadratic in the attribute count; nothing here needs them.
            for attr in start.attributes().with_checks(false) {
                let attr = attr.map_err(|e| DecodeError::xml(e.to_string()))?;
                let key = attr.key.into_inner();
                let prefixed = key.contains(&b':');
                match (local(key), prefixed) {
                    (b"type", true) => {
                        let v = slice_of(src, &attr.value)?;
                        elem.xsi_type = Some(v.rsplit(':').next().unwrap_or(v));
                    }
                    (b"nil", true) => elem.nil = matches!(&*attr.value, b"true" | b"1"),
                    (b"arrayType", _) => elem.array_type = true,
                    (b"href", false) => {
                        let v = owned_or_borrowed(src, attr.value)?;
                        elem.href = Some(strip_hash(v));
                    }
                    (b"id", false) => {
                        ids.insert(owned_or_borrowed(src, attr.value)?, idx);
                    }
                    _ => {}
                }
            }
            if let Some(&parent) = stack.last() {
                match elems[parent].last_child {
                    Some(prev) => elems[prev].next_sibling = Some(idx),
                    None => elems[parent].first_child = Some(idx),
                }
                elems[parent].last_child = Some(idx);
            } else if !elems.is_empty() {
                return Err(DecodeError::xml("more than one root element"));
            }
            elems.push(elem);
            if empty {
                elems[idx].range.1 = reader.buffer_position() as usize;
            } else {
                stack.push(idx);
            }
        }
        if !stack.is_empty() {
            return Err(DecodeError::xml(
                "the document ends inside an element (truncated body?)",
            ));
        }
        if elems.is_empty() {
            return Err(DecodeError::xml("no root element"));
        }
        Ok(Tree {
            src,
            elems,
            ids,
            hrefs_followed: std::cell::Cell::new(0),
            visits: std::cell::Cell::new(0),
        })
    }

    /// The root element.
    pub fn root(&self) -> Node<'_> {
        Node {
            tree: self,
            accessor: 0,
            content: 0,
            depth: 0,
        }
    }
}

fn owned_or_borrowed<'a>(src: &'a str, value: Cow<'_, [u8]>) -> Result<Cow<'a, str>, DecodeError> {
    match value {
        Cow::Borrowed(b) => slice_of(src, b).map(Cow::Borrowed),
        Cow::Owned(b) => String::from_utf8(b)
            .map(Cow::Owned)
            .map_err(|e| DecodeError::xml(e.to_string())),
    }
}

fn strip_hash(v: Cow<'_, str>) -> Cow<'_, str> {
    match v {
        Cow::Borrowed(s) => Cow::Borrowed(s.strip_prefix('#').unwrap_or(s)),
        Cow::Owned(s) => Cow::Owned(s.strip_prefix('#').unwrap_or(&s).to_string()),
    }
}

/// Appends text; stays borrowed while the element has one text run.
fn push_text<'a>(text: &mut Cow<'a, str>, more: Cow<'a, str>) {
    if text.is_empty() {
        *text = more;
    } else {
        text.to_mut().push_str(&more);
    }
}

/// Re-borrows `part` (a slice the reader handed out) from `src` so that it lives as long as the
/// source; the reader's borrowed events point into `src`.
fn slice_of<'a>(src: &'a str, part: &[u8]) -> Result<&'a str, DecodeError> {
    let base = src.as_ptr() as usize;
    let start = part.as_ptr() as usize;
    if start >= base && start + part.len() <= base + src.len() {
        let offset = start - base;
        src.get(offset..offset + part.len())
            .ok_or_else(|| DecodeError::xml("invalid UTF-8 boundary"))
    } else {
        Err(DecodeError::xml(
            "internal: text not borrowed from the body",
        ))
    }
}

/// An element of a response seen through its accessor: the name is the accessor's, the content
/// is that of the element an `href` points to (or the accessor itself).
#[derive(Clone, Copy)]
pub struct Node<'t> {
    tree: &'t Tree<'t>,
    accessor: usize,
    content: usize,
    /// Nesting depth as decoded (references included): an `href` to an ancestor would
    /// otherwise recurse forever.
    depth: usize,
}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Node")
            .field("name", &self.name())
            .field("xsi_type", &self.xsi_type())
            .finish()
    }
}

impl<'t> Node<'t> {
    fn elem(&self) -> &'t Elem<'t> {
        &self.tree.elems[self.content]
    }

    /// Local name of the element (prefix and namespace ignored).
    pub fn name(&self) -> &'t str {
        self.tree.elems[self.accessor].local
    }

    /// Local part of the `xsi:type` the server wrote, if any.
    pub fn xsi_type(&self) -> Option<&'t str> {
        self.elem().xsi_type
    }

    /// `xsi:nil="true"` on the accessor or the referenced element.
    pub fn is_nil(&self) -> bool {
        self.elem().nil || self.tree.elems[self.accessor].nil
    }

    /// Text content of the element itself (entities resolved).
    pub fn text(&self) -> &'t str {
        &self.elem().text
    }

    /// Raw XML of the element, as received.
    pub fn raw_xml(&self) -> &'t str {
        let (start, end) = self.elem().range;
        self.tree.src.get(start..end).unwrap_or_default()
    }

    /// Does the element have child elements?
    pub fn has_children(&self) -> bool {
        self.elem().first_child.is_some()
    }

    /// Is this element a SOAP array (as opposed to a single value)?
    pub fn is_array(&self) -> bool {
        let e = self.elem();
        if e.array_type || e.xsi_type == Some("Array") {
            return true;
        }
        // Untyped wrapper whose children are all `item`s.
        e.xsi_type.is_none()
            && e.first_child.is_some()
            && self.children().all(|c| c.is_ok_and(|c| c.name() == "item"))
    }

    /// Child elements, each with its `href` (if any) resolved.
    pub fn children(&self) -> impl Iterator<Item = Result<Node<'t>, DecodeError>> + 't {
        let tree = self.tree;
        let depth = self.depth + 1;
        let mut next = tree.elems[self.content].first_child;
        std::iter::from_fn(move || {
            let idx = next?;
            next = tree.elems[idx].next_sibling;
            Some(resolve(tree, idx, depth))
        })
    }

    /// The first child element with this local name.
    pub fn child(&self, name: &str) -> Option<Node<'t>> {
        self.children()
            .filter_map(Result::ok)
            .find(|c| c.name() == name)
    }
}

fn resolve<'t>(tree: &'t Tree<'t>, accessor: usize, depth: usize) -> Result<Node<'t>, DecodeError> {
    let visits = tree.visits.get() + 1;
    tree.visits.set(visits);
    let budget = tree.elems.len() * VISITS_PER_ELEMENT + MIN_VISITS;
    if visits > budget {
        return Err(DecodeError::new(DecodeErrorKind::Href(format!(
            "the response expands to more than {budget} values through shared references"
        ))));
    }
    if depth > MAX_DEPTH {
        return Err(DecodeError::new(DecodeErrorKind::Href(format!(
            "values nested deeper than {MAX_DEPTH} (a reference to an enclosing element?)"
        ))));
    }
    let mut content = accessor;
    for _ in 0..MAX_HREF_HOPS {
        let Some(href) = &tree.elems[content].href else {
            return Ok(Node {
                tree,
                accessor,
                content,
                depth,
            });
        };
        let followed = tree.hrefs_followed.get() + 1;
        tree.hrefs_followed.set(followed);
        if followed > tree.elems.len() + MAX_HREF_FOLLOWS {
            return Err(DecodeError::new(DecodeErrorKind::Href(format!(
                "more than {} references followed in one response",
                tree.elems.len() + MAX_HREF_FOLLOWS
            ))));
        }
        content = *tree.ids.get(href).ok_or_else(|| {
            DecodeError::new(DecodeErrorKind::Href(format!(
                "reference `#{href}` has no target"
            )))
        })?;
    }
    Err(DecodeError::new(DecodeErrorKind::Href(format!(
        "a chain of more than {MAX_HREF_HOPS} references (a cycle?)"
    ))))
}

/// A value that can be read from a SOAP-encoded element.
pub trait Decode: Sized {
    /// Reads the value from an element.
    fn decode(node: Node<'_>) -> Result<Self, DecodeError>;
}

/// Refuses text where a structure is expected (`<numbers>hello</numbers>`); an empty element
/// is an empty structure.
pub fn expect_structure(node: &Node<'_>) -> Result<(), DecodeError> {
    if !node.has_children() && !node.text().trim().is_empty() {
        return Err(DecodeError::expected("a structure", node.text().trim()));
    }
    // An array decoded as a structure would silently give an empty structure.
    let e = node.elem();
    if e.array_type || e.xsi_type == Some("Array") {
        return Err(DecodeError::expected("a structure", "an array"));
    }
    Ok(())
}

/// Decodes member `name` of a structure, adding the member to the error path.
pub fn member<T: Decode>(node: Node<'_>, name: &str) -> Result<T, DecodeError> {
    T::decode(node).map_err(|e| e.in_member(name))
}

fn scalar_text<'t>(node: &Node<'t>, expected: &'static str) -> Result<&'t str, DecodeError> {
    if node.has_children() {
        return Err(DecodeError::expected(expected, "a structure"));
    }
    Ok(node.text().trim())
}

impl Decode for String {
    fn decode(node: Node<'_>) -> Result<Self, DecodeError> {
        if node.is_nil() {
            return Ok(String::new());
        }
        if node.has_children() {
            return Err(DecodeError::expected("text", "a structure"));
        }
        // SOAP::Lite sends strings with non-ASCII characters as base64Binary.
        if node.xsi_type() == Some("base64Binary") {
            let cleaned: String = node.text().split_whitespace().collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(cleaned.as_bytes())
                .map_err(|_| DecodeError::expected("base64 text", node.text()))?;
            return String::from_utf8(bytes)
                .map_err(|_| DecodeError::expected("UTF-8 text in base64", node.text()));
        }
        Ok(node.text().to_string())
    }
}

macro_rules! decode_parse {
    ($($t:ty => $what:literal),*) => {$(
        impl Decode for $t {
            fn decode(node: Node<'_>) -> Result<Self, DecodeError> {
                let text = scalar_text(&node, $what)?;
                text.parse().map_err(|_| DecodeError::expected($what, text))
            }
        }
    )*};
}
decode_parse!(i64 => "an integer", u64 => "a non-negative integer", i32 => "an integer");

impl Decode for f64 {
    fn decode(node: Node<'_>) -> Result<Self, DecodeError> {
        let text = scalar_text(&node, "a number")?;
        match text {
            "INF" => Ok(f64::INFINITY),
            "-INF" => Ok(f64::NEG_INFINITY),
            "NaN" => Ok(f64::NAN),
            _ if text
                .bytes()
                .any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E') =>
            {
                Err(DecodeError::expected("a number", text))
            }
            _ => text
                .parse()
                .map_err(|_| DecodeError::expected("a number", text)),
        }
    }
}

impl Decode for bool {
    fn decode(node: Node<'_>) -> Result<Self, DecodeError> {
        match scalar_text(&node, "a boolean")? {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            other => Err(DecodeError::expected(
                "a boolean (true, false, 1, 0)",
                other,
            )),
        }
    }
}

/// For structures that contain themselves.
impl<T: Decode> Decode for Box<T> {
    fn decode(node: Node<'_>) -> Result<Self, DecodeError> {
        T::decode(node).map(Box::new)
    }
}

/// Absent or `xsi:nil` is `None`; so is an empty element that is no valid `T` (PortaBilling
/// sends `<operatorid xsi:type="xsd:string"/>` for "no value" of an integer). An empty element
/// that is a valid `T` (an empty string, an empty structure) stays `Some`.
impl<T: Decode> Decode for Option<T> {
    fn decode(node: Node<'_>) -> Result<Self, DecodeError> {
        if node.is_nil() {
            return Ok(None);
        }
        let empty = !node.has_children() && node.text().trim().is_empty();
        match T::decode(node) {
            Ok(v) => Ok(Some(v)),
            Err(_) if empty => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A `soapenc:Array` (items of any name), or one element of a repeated member.
impl<T: Decode> Decode for Vec<T> {
    fn decode(node: Node<'_>) -> Result<Self, DecodeError> {
        if node.is_nil() {
            return Ok(Vec::new());
        }
        if !node.is_array() {
            return T::decode(node).map(|v| vec![v]);
        }
        node.children()
            .enumerate()
            .map(|(i, item)| item.and_then(T::decode).map_err(|e| e.at_index(i)))
            .collect()
    }
}

/// A value of a member the WSDL leaves untyped (`xsd:anyType`, or items of an array whose item
/// type is not declared): kept as a tree so that nothing the server sent is lost.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// `xsi:nil="true"`.
    #[default]
    Nil,
    /// A scalar, as text.
    Text(String),
    /// A structure: members in the order received.
    Struct(Vec<(String, Value)>),
    /// An array.
    Array(Vec<Value>),
}

impl Value {
    /// The text of a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// A member of a structure.
    pub fn get(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Struct(members) => members.iter().find(|(n, _)| n == name).map(|(_, v)| v),
            _ => None,
        }
    }
}

impl Decode for Value {
    fn decode(node: Node<'_>) -> Result<Self, DecodeError> {
        if node.is_nil() {
            return Ok(Value::Nil);
        }
        if !node.has_children() {
            return String::decode(node).map(Value::Text);
        }
        if node.is_array() {
            return Vec::<Value>::decode(node).map(Value::Array);
        }
        let mut members = Vec::new();
        for child in node.children() {
            let child = child?;
            let value = Value::decode(child).map_err(|e| e.in_member(child.name()))?;
            members.push((child.name().to_string(), value));
        }
        Ok(Value::Struct(members))
    }
}

impl Encode for Value {
    fn encode(&self, w: &mut Writer, name: &str, xsi_type: &str) {
        match self {
            Value::Nil => w.nil(name),
            Value::Text(s) => {
                let ty = if xsi_type == "xsd:anyType" {
                    "xsd:string"
                } else {
                    xsi_type
                };
                w.leaf(name, ty, s)
            }
            Value::Struct(members) => {
                w.start(
                    name,
                    if xsi_type == "xsd:anyType" {
                        "soapenc:Struct"
                    } else {
                        xsi_type
                    },
                );
                for (n, v) in members {
                    v.encode(w, n, "xsd:anyType");
                }
                w.end(name);
            }
            Value::Array(items) => items.encode(w, name, "xsd:anyType"),
        }
    }
}

/// Shows whether a secret is set, never its value (used by generated `Debug` impls).
pub struct Redacted(bool);

impl Redacted {
    /// Shows only whether `value` is set.
    pub fn of<T: IsSet>(value: &T) -> Self {
        Redacted(value.is_set())
    }
}

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0 { "<redacted>" } else { "None" })
    }
}

/// Whether a (possibly optional) value is present.
pub trait IsSet {
    /// Is the value present?
    fn is_set(&self) -> bool;
}

impl IsSet for String {
    fn is_set(&self) -> bool {
        true
    }
}

impl<T> IsSet for Option<T> {
    fn is_set(&self) -> bool {
        self.is_some()
    }
}
