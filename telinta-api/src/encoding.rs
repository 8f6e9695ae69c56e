//! SOAP 1.1 rpc/encoded values: writing them into a request and reading them out of a response.
//!
//! Writing: every element carries `xsi:type` (SOAP::Lite types what it decodes by it), arrays are
//! `soapenc:Array` with `soapenc:arrayType` even for one item (SOAP::Lite turns a lone repeated
//! element into a scalar), and absent optional values are not written at all.
//!
//! Reading: values are decoded by the *expected* type, not by the `xsi:type` the server wrote:
//! SOAP::Lite autotypes values, so a string member may arrive as `xsd:int`, `xsd:long` or
//! `xsd:base64Binary`. Elements are matched by local name whatever their prefix or namespace,
//! member order is ignored, `xsi:nil` is honoured and `href`/`id` multi-references are followed.
//!
//! Every decoder reads a [`Node`], which is either an element of a [`Tree`] (the body parsed
//! whole, borrowing from it) or a position in a stream of quick-xml events. A response under
//! 1 MiB, or one that holds an `href` (a reference may point forward), is parsed into a tree:
//! the faster way per element. A larger one is streamed straight into the generated types,
//! nothing kept but the values: the 10,000-number `get_numbers` response (3.8 MB) peaks at
//! about 1.1 times its size instead of about 4.5. While streaming, an untyped element with
//! children is read into a tree of its own, because whether it is an array (all children
//! `item`s) is only known at its end. Both ways give the same values and errors
//! ([`Strategy`]; tested and fuzzed side by side).

use std::borrow::Cow;
use std::fmt;

use base64::Engine as _;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};

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
pub struct DecodeError(
    // Boxed: every decoding function returns `Result<_, DecodeError>`, and errors are rare.
    Box<ErrorInner>,
);

#[derive(Debug, Clone, PartialEq)]
struct ErrorInner {
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
        DecodeError(Box::new(ErrorInner {
            path: Vec::new(),
            kind,
        }))
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
        self.0.path.insert(0, PathSegment::Member(name.to_string()));
        self
    }

    fn at_index(mut self, index: usize) -> Self {
        self.0.path.insert(0, PathSegment::Index(index));
        self
    }

    /// The path of the failing value, e.g. `numbers[3].monthly`.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for seg in &self.0.path {
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
        match &self.0.kind {
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

mod node;
mod stream;
mod tree;

pub use node::{Children, Node};
pub(crate) use stream::Stream as EventStream;
pub(crate) use tree::TreeNode;

/// Deepest element nesting accepted in a response (a guard against hostile input).
const MAX_DEPTH: usize = 256;
/// Bodies from this size on are streamed (when they hold no `href`): below it the tree's
/// memory (about four times the body) does not matter and it is faster.
const STREAM_FROM_BYTES: usize = 1 << 20;

/// A response parsed whole, for decoding with `href`/`id` multi-references resolved (see
/// [`Strategy`]).
pub struct Tree<'a>(tree::Tree<'a>);

impl<'a> Tree<'a> {
    /// Parses a whole document. DTDs are refused: a SOAP message may not carry one, and
    /// refusing them rules out entity expansion attacks.
    pub fn parse(src: &'a str) -> Result<Self, DecodeError> {
        tree::Tree::parse(src).map(Tree)
    }

    /// The root element.
    pub fn root(&self) -> Node<'_, 'a> {
        Node::tree(self.0.root_node())
    }

    pub(crate) fn root_tree_node(&self) -> TreeNode<'_> {
        self.0.root_node()
    }
}

/// How a response is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strategy {
    /// [`Tree`](Strategy::Tree) for bodies under 1 MiB or holding an `href`,
    /// [`Stream`](Strategy::Stream) for the others: what the client does. The tree is about
    /// a fifth faster per element; streaming keeps a large response's peak memory near its
    /// size (see `bench/README.md`).
    #[default]
    Auto,
    /// Decode while parsing, nothing kept but the values: fast and small, but `href`
    /// references are not followed (a referencing element reads as empty).
    Stream,
    /// Parse the whole body into a tree first, then decode with references followed.
    Tree,
}

impl Strategy {
    /// The strategy for `body`.
    pub fn resolve(self, body: &str) -> Strategy {
        match self {
            Strategy::Auto
                if body.len() < STREAM_FROM_BYTES
                    || memchr::memmem::find(body.as_bytes(), b"href").is_some() =>
            {
                Strategy::Tree
            }
            Strategy::Auto => Strategy::Stream,
            other => other,
        }
    }
}

/// Decodes a standalone element (`<v xsi:type="xsd:int">7</v>`) as a `T`; the whole text must
/// be that one element.
pub fn decode_element<T: Decode>(xml: &str, strategy: Strategy) -> Result<T, DecodeError> {
    match strategy.resolve(xml) {
        Strategy::Tree => T::decode(&mut Tree::parse(xml)?.root()),
        _ => {
            let mut s = stream::Stream::new(xml);
            let root = s.root()?;
            let value = T::decode(&mut Node::stream(&mut s, root))?;
            s.finish()?;
            Ok(value)
        }
    }
}

fn local(qname: &[u8]) -> &[u8] {
    match qname.iter().position(|b| *b == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    }
}

/// `ns:Type` → `Type`.
fn local_str(qname: &str) -> &str {
    match qname.bytes().rposition(|b| b == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
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

/// A reader error, with its byte offset and a hint when the body stops early.
fn xml_error(src: &str, reader: &quick_xml::Reader<&[u8]>, e: quick_xml::Error) -> DecodeError {
    let at = reader.error_position() as usize;
    let truncated = at + 1 >= src.len() || e.to_string().contains("end of input");
    let hint = if truncated {
        " (the body is truncated)"
    } else {
        ""
    };
    DecodeError::xml(format!("{e} (at byte {at}){hint}"))
}

/// `&#233;`, `&amp;` and the other predefined entities; any other entity is refused.
fn resolve_general_ref(r: &quick_xml::events::BytesRef<'_>) -> Result<String, DecodeError> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => Ok(c.to_string()),
        Ok(None) => {
            let name = r.decode().map_err(|e| DecodeError::xml(e.to_string()))?;
            quick_xml::escape::resolve_predefined_entity(&name)
                .map(str::to_string)
                .ok_or_else(|| DecodeError::xml(format!("unknown entity `&{name};`")))
        }
        Err(e) => Err(DecodeError::xml(e.to_string())),
    }
}

/// Calls `f` with each attribute's qualified name and raw value (entities not resolved, as
/// quick-xml hands them out). Short well-formed attribute lists, which is what servers send,
/// are split here in one pass; anything else goes through quick-xml's parser, for its error.
fn for_each_attribute(
    start: &quick_xml::events::BytesStart<'_>,
    mut f: impl FnMut(&[u8], &[u8]) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let raw = start.attributes_raw();
    let mut found: [(&[u8], &[u8]); 4] = [(&[], &[]); 4];
    if let Some(n) = split_attributes(raw, &mut found) {
        for (key, value) in &found[..n] {
            f(key, value)?;
        }
        return Ok(());
    }
    // Duplicate checks are quadratic in the attribute count; nothing here needs them.
    for attr in start.attributes().with_checks(false) {
        let attr = attr.map_err(|e| DecodeError::xml(e.to_string()))?;
        f(attr.key.into_inner(), &attr.value)?;
    }
    Ok(())
}

/// Splits ` name="value"` pairs (each after whitespace) into `out`; `None` if the list is
/// anything else or longer.
fn split_attributes<'r>(raw: &'r [u8], out: &mut [(&'r [u8], &'r [u8])]) -> Option<usize> {
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let mut rest = raw;
    let mut n = 0;
    loop {
        let spaces = rest.iter().take_while(|b| is_space(**b)).count();
        let trimmed = &rest[spaces..];
        if trimmed.is_empty() {
            return Some(n);
        }
        // Attributes are separated by whitespace (the list starts with it too).
        if spaces == 0 || n == out.len() {
            return None;
        }
        let eq = memchr::memchr(b'=', trimmed)?;
        let name = &trimmed[..eq];
        if name.is_empty() || name.iter().any(|b| is_space(*b)) {
            return None;
        }
        let quote = *trimmed.get(eq + 1)?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let value_start = eq + 2;
        let len = memchr::memchr(quote, &trimmed[value_start..])?;
        let value = &trimmed[value_start..value_start + len];
        if value.contains(&b'<') {
            return None;
        }
        out[n] = (name, value);
        n += 1;
        rest = &trimmed[value_start + len + 1..];
    }
}

/// The document without its UTF-8 byte order mark, if it has one.
fn without_bom(src: &str) -> &str {
    src.strip_prefix('\u{feff}').unwrap_or(src)
}

/// Only the whitespace XML defines (space, tab, CR, LF), as allowed around the root element.
fn is_xml_space(text: &[u8]) -> bool {
    text.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

fn outside_root() -> DecodeError {
    DecodeError::xml("text outside the root element")
}

fn doctype_refused() -> DecodeError {
    DecodeError::xml("a DTD is not allowed in a SOAP message (entity declarations are refused)")
}

/// A value that can be read from a SOAP-encoded element.
pub trait Decode: Sized {
    /// Reads the value from an element.
    fn decode(node: &mut Node<'_, '_>) -> Result<Self, DecodeError>;
}

/// Refuses text where a structure is expected (`<numbers>hello</numbers>`); an empty element
/// is an empty structure.
pub fn expect_structure(node: &mut Node<'_, '_>) -> Result<(), DecodeError> {
    // An array decoded as a structure would silently give an empty structure.
    if node.is_array() {
        return Err(DecodeError::expected("a structure", "an array"));
    }
    if !node.has_children()? {
        let text = node.text("a structure")?.trim();
        if !text.is_empty() {
            return Err(DecodeError::expected("a structure", text));
        }
    }
    Ok(())
}

/// Decodes member `name` of a structure, adding the member to the error path.
pub fn member<T: Decode>(node: &mut Node<'_, '_>, name: &str) -> Result<T, DecodeError> {
    T::decode(node).map_err(|e| e.in_member(name))
}

impl Decode for String {
    fn decode(node: &mut Node<'_, '_>) -> Result<Self, DecodeError> {
        if node.is_nil() {
            return Ok(String::new());
        }
        let base64 = node.xsi_type() == Some("base64Binary");
        let text = node.text("text")?;
        // SOAP::Lite sends strings with non-ASCII characters as base64Binary.
        if base64 {
            let cleaned: Cow<'_, str> = if text.bytes().any(|b| b.is_ascii_whitespace()) {
                Cow::Owned(text.split_whitespace().collect())
            } else {
                Cow::Borrowed(text)
            };
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(cleaned.as_bytes())
                .map_err(|_| DecodeError::expected("base64 text", text))?;
            return String::from_utf8(bytes)
                .map_err(|_| DecodeError::expected("UTF-8 text in base64", text));
        }
        Ok(text.to_string())
    }
}

macro_rules! decode_parse {
    ($($t:ty => $what:literal),*) => {$(
        impl Decode for $t {
            fn decode(node: &mut Node<'_, '_>) -> Result<Self, DecodeError> {
                let text = node.scalar($what)?;
                text.parse().map_err(|_| DecodeError::expected($what, text))
            }
        }
    )*};
}
decode_parse!(i64 => "an integer", u64 => "a non-negative integer", i32 => "an integer");

impl Decode for f64 {
    fn decode(node: &mut Node<'_, '_>) -> Result<Self, DecodeError> {
        let text = node.scalar("a number")?;
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
    fn decode(node: &mut Node<'_, '_>) -> Result<Self, DecodeError> {
        match node.scalar("a boolean")? {
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
    fn decode(node: &mut Node<'_, '_>) -> Result<Self, DecodeError> {
        T::decode(node).map(Box::new)
    }
}

/// Absent or `xsi:nil` is `None`; so is an empty element that is no valid `T` (PortaBilling
/// sends `<operatorid xsi:type="xsd:string"/>` for "no value" of an integer). An empty element
/// that is a valid `T` (an empty string, an empty structure) stays `Some`.
impl<T: Decode> Decode for Option<T> {
    fn decode(node: &mut Node<'_, '_>) -> Result<Self, DecodeError> {
        if node.is_nil() {
            return Ok(None);
        }
        let blank = node.is_blank()?;
        match T::decode(node) {
            Ok(v) => Ok(Some(v)),
            Err(_) if blank => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A `soapenc:Array` (items of any name), or one element of a repeated member.
impl<T: Decode> Decode for Vec<T> {
    fn decode(node: &mut Node<'_, '_>) -> Result<Self, DecodeError> {
        if node.is_nil() {
            return Ok(Vec::new());
        }
        if node.needs_tree()? {
            return node.in_tree(Self::decode);
        }
        if !node.is_array() {
            return T::decode(node).map(|v| vec![v]);
        }
        // One allocation when the array says how many items it holds; what the server
        // over-announced is given back.
        let reserved = node.reserve_items(std::mem::size_of::<T>());
        let mut out = Vec::with_capacity(reserved);
        let mut items = node.children()?;
        while let Some(mut item) = items.next().map_err(|e| e.at_index(out.len()))? {
            let index = out.len();
            out.push(T::decode(&mut item).map_err(|e| e.at_index(index))?);
        }
        if out.len() < reserved {
            out.shrink_to_fit();
        }
        Ok(out)
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
    fn decode(node: &mut Node<'_, '_>) -> Result<Self, DecodeError> {
        if node.is_nil() {
            return Ok(Value::Nil);
        }
        if node.needs_tree()? {
            return node.in_tree(Value::decode);
        }
        if !node.has_children()? {
            return String::decode(node).map(Value::Text);
        }
        if node.is_array() {
            return Vec::<Value>::decode(node).map(Value::Array);
        }
        let mut members = Vec::new();
        let mut children = node.children()?;
        while let Some(mut child) = children.next()? {
            let name = child.name();
            let value = Value::decode(&mut child).map_err(|e| e.in_member(name))?;
            members.push((name.to_string(), value));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What quick-xml's own attribute parser gives, or its error.
    fn by_quick_xml(tag: &str) -> Result<Vec<(String, String)>, String> {
        let start = BytesStart::from_content(tag, tag.find(' ').unwrap_or(tag.len()));
        start
            .attributes()
            .with_checks(false)
            .map(|a| {
                a.map(|a| {
                    let key = String::from_utf8_lossy(a.key.into_inner()).into_owned();
                    (key, String::from_utf8_lossy(&a.value).into_owned())
                })
                .map_err(|e| e.to_string())
            })
            .collect()
    }

    fn by_us(tag: &str) -> Result<Vec<(String, String)>, String> {
        let start = BytesStart::from_content(tag, tag.find(' ').unwrap_or(tag.len()));
        let mut out = Vec::new();
        for_each_attribute(&start, |k, v| {
            out.push((
                String::from_utf8_lossy(k).into_owned(),
                String::from_utf8_lossy(v).into_owned(),
            ));
            Ok(())
        })
        .map_err(|e| e.to_string())?;
        Ok(out)
    }

    #[test]
    fn attributes_split_as_quick_xml_splits_them() {
        for tag in [
            "item",
            r#"item xsi:type="xsd:string""#,
            r#"item  xsi:nil='true'   "#,
            "item\txsi:type=\"a\"\n\r soapenc:arrayType=\"ns:T[100]\"",
            r#"item a="1" b="2" c="3" d="4" e="5" f="6""#,
            r#"item a="x&amp;y" b='say "hi"'"#,
            r#"item a="1"b="2""#,
            r#"item a = "1""#,
            r#"item a=1"#,
            r#"item a="1"#,
            r#"item ="1""#,
            r#"item a"#,
        ] {
            let ours = by_us(tag);
            let theirs = by_quick_xml(tag);
            match (&ours, &theirs) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{tag}"),
                (Err(_), Err(_)) => {}
                _ => panic!("{tag}: ours {ours:?}, quick-xml {theirs:?}"),
            }
        }
        assert_eq!(
            by_us(r#"item xsi:type="xsd:int""#).unwrap(),
            vec![("xsi:type".to_string(), "xsd:int".to_string())]
        );
    }
}
