//! A response parsed whole into elements borrowed from the body, for the responses that carry
//! `href`/`id` multi-references (a reference may point forward, so they cannot be streamed).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use quick_xml::events::Event;

use super::{
    for_each_attribute, local, local_str, push_text, resolve_general_ref, slice_of, xml_error,
    DecodeError, DecodeErrorKind, MAX_DEPTH,
};

/// Longest `href` chain followed before it is called a cycle.
const MAX_HREF_HOPS: usize = 32;
/// Elements decoded per element of the document (shared references decode a subtree again for
/// each reference), plus a floor for small documents.
const VISITS_PER_ELEMENT: usize = 4;
const MIN_VISITS: usize = 100_000;
/// References followed in one response, beyond one per element (multi-references are for
/// shared values; a few per element is plenty).
const MAX_HREF_FOLLOWS: usize = 10_000;

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

impl<'a> Tree<'a> {
    /// Parses a whole document. DTDs are refused: a SOAP message may not carry one, and
    /// refusing them rules out entity expansion attacks.
    pub fn parse(src: &'a str) -> Result<Self, DecodeError> {
        // quick-xml skips a byte order mark without counting it in its positions.
        let src = super::without_bom(src);
        let mut reader = quick_xml::Reader::from_str(src);
        reader.config_mut().trim_text(false);
        // SOAP::Lite elements take at least ~40 bytes each: one allocation instead of copying
        // the tree at each doubling.
        let mut elems: Vec<Elem<'a>> = Vec::with_capacity(src.len() / 40 + 1);
        let mut ids = HashMap::new();
        let mut stack: Vec<usize> = Vec::new();
        loop {
            let start_pos = reader.buffer_position() as usize;
            let event = reader
                .read_event()
                .map_err(|e| xml_error(src, &reader, e))?;
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
                    } else if !super::is_xml_space(&t) {
                        return Err(super::outside_root());
                    }
                    continue;
                }
                Event::CData(t) => {
                    let &idx = stack.last().ok_or_else(super::outside_root)?;
                    let raw = slice_of(src, &t)?;
                    push_text(&mut elems[idx].text, Cow::Borrowed(raw));
                    continue;
                }
                Event::GeneralRef(r) => {
                    let &idx = stack.last().ok_or_else(super::outside_root)?;
                    let resolved = resolve_general_ref(&r)?;
                    push_text(&mut elems[idx].text, Cow::Owned(resolved));
                    continue;
                }
                Event::DocType(_) => return Err(super::doctype_refused()),
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
            for_each_attribute(&start, |key, value| {
                let prefixed = key.contains(&b':');
                match (local(key), prefixed) {
                    (b"type", true) => elem.xsi_type = Some(local_str(slice_of(src, value)?)),
                    (b"nil", true) => elem.nil = matches!(value, b"true" | b"1"),
                    (b"arrayType", _) => elem.array_type = true,
                    (b"href", false) => {
                        let v = slice_of(src, value)?;
                        elem.href = Some(Cow::Borrowed(v.strip_prefix('#').unwrap_or(v)));
                    }
                    (b"id", false) => {
                        ids.insert(Cow::Borrowed(slice_of(src, value)?), idx);
                    }
                    _ => {}
                }
                Ok(())
            })?;
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
    pub(crate) fn root_node(&self) -> TreeNode<'_> {
        TreeNode {
            tree: self,
            accessor: 0,
            content: 0,
            depth: 0,
        }
    }
}

/// An element of a parsed tree seen through its accessor: the name is the accessor's, the
/// content is that of the element an `href` points to (or the accessor itself).
#[derive(Clone, Copy)]
pub(crate) struct TreeNode<'t> {
    tree: &'t Tree<'t>,
    accessor: usize,
    content: usize,
    /// Nesting depth as decoded (references included): an `href` to an ancestor would
    /// otherwise recurse forever.
    depth: usize,
}

impl fmt::Debug for TreeNode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Node")
            .field("name", &self.name())
            .field("xsi_type", &self.xsi_type())
            .finish()
    }
}

impl<'t> TreeNode<'t> {
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
    pub fn children(&self) -> impl Iterator<Item = Result<TreeNode<'t>, DecodeError>> + 't {
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
    pub fn child(&self, name: &str) -> Option<TreeNode<'t>> {
        self.children()
            .filter_map(Result::ok)
            .find(|c| c.name() == name)
    }
}

fn resolve<'t>(
    tree: &'t Tree<'t>,
    accessor: usize,
    depth: usize,
) -> Result<TreeNode<'t>, DecodeError> {
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
            return Ok(TreeNode {
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
