//! [`Node`]: the one view of a response element every decoder reads, whether the response is
//! being streamed or was parsed into a [`Tree`](super::Tree).

use std::borrow::Cow;
use std::fmt;

use super::stream::{Start, Stream};
use super::tree::{Tree, TreeNode};
use super::DecodeError;

/// An element of a response being decoded.
///
/// Read it in document order: its name and attributes first, then either its text
/// ([`text`](Node::text)) or its children ([`children`](Node::children)). A streamed node
/// is consumed as it is read; children left unread are skipped.
pub struct Node<'r, 'a> {
    repr: Repr<'r, 'a>,
}

enum Repr<'r, 'a> {
    Tree(TreeNode<'r>),
    Stream(StreamNode<'r, 'a>),
}

struct StreamNode<'r, 'a> {
    stream: &'r mut Stream<'a>,
    start: Start<'a>,
    /// Text before the first child (all the text of a scalar), once read; and whether a child
    /// follows it.
    head: Option<(Cow<'a, str>, bool)>,
}

impl fmt::Debug for Node<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Node")
            .field("name", &self.name())
            .field("xsi_type", &self.xsi_type())
            .finish()
    }
}

impl<'r, 'a: 'r> Node<'r, 'a> {
    pub(crate) fn tree(node: TreeNode<'r>) -> Self {
        Node {
            repr: Repr::Tree(node),
        }
    }

    pub(crate) fn stream(stream: &'r mut Stream<'a>, start: Start<'a>) -> Self {
        Node {
            repr: Repr::Stream(StreamNode {
                stream,
                start,
                head: None,
            }),
        }
    }

    /// The tree node, when the response was parsed into a tree.
    pub(crate) fn tree_node(&self) -> Option<TreeNode<'r>> {
        match &self.repr {
            Repr::Tree(n) => Some(*n),
            Repr::Stream(_) => None,
        }
    }

    /// Local name of the element (prefix and namespace ignored).
    pub fn name(&self) -> &'r str {
        match &self.repr {
            Repr::Tree(n) => n.name(),
            Repr::Stream(n) => n.start.local,
        }
    }

    /// Local part of the `xsi:type` the server wrote, if any.
    pub fn xsi_type(&self) -> Option<&'r str> {
        match &self.repr {
            Repr::Tree(n) => n.xsi_type(),
            Repr::Stream(n) => n.start.xsi_type,
        }
    }

    /// `xsi:nil="true"` (on the accessor or the element it references).
    pub fn is_nil(&self) -> bool {
        match &self.repr {
            Repr::Tree(n) => n.is_nil(),
            Repr::Stream(n) => n.start.nil,
        }
    }

    /// Marked as a SOAP array (`soapenc:arrayType`, or `xsi:type` `Array`). An untyped element
    /// whose children are all `item`s is an array too, which only a tree can tell: see
    /// [`needs_tree`](Node::needs_tree).
    pub fn is_array(&self) -> bool {
        match &self.repr {
            Repr::Tree(n) => n.is_array(),
            Repr::Stream(n) => n.start.array_type || n.start.xsi_type == Some("Array"),
        }
    }

    /// How many items of `item_size` bytes to reserve for this array: the count
    /// `soapenc:arrayType` announces, as far as the response's reservation budget (twice the
    /// body's size, shared by all its arrays) allows. The count is the server's word: nested
    /// arrays could otherwise each claim the whole body.
    pub fn reserve_items(&mut self, item_size: usize) -> usize {
        match &mut self.repr {
            Repr::Tree(_) => 0,
            Repr::Stream(n) => {
                let item_size = item_size.max(1);
                let items = n
                    .start
                    .array_len
                    .unwrap_or(0)
                    .min(n.stream.reserve_budget / item_size);
                n.stream.reserve_budget -= items * item_size;
                items
            }
        }
    }

    fn load_head(&mut self) -> Result<(), DecodeError> {
        if let Repr::Stream(n) = &mut self.repr {
            if n.head.is_none() {
                n.head = Some(if n.start.empty {
                    (Cow::Borrowed(""), false)
                } else {
                    n.stream.head(n.start.depth)?
                });
            }
        }
        Ok(())
    }

    /// Does the element have child elements?
    pub fn has_children(&mut self) -> Result<bool, DecodeError> {
        self.load_head()?;
        Ok(match &self.repr {
            Repr::Tree(n) => n.has_children(),
            Repr::Stream(n) => n.head.as_ref().is_some_and(|h| h.1),
        })
    }

    /// No child elements and only whitespace as text (`<x/>`, `<x> </x>`).
    pub fn is_blank(&mut self) -> Result<bool, DecodeError> {
        Ok(!self.has_children()? && self.raw_text().trim().is_empty())
    }

    /// Text before the first child (call `load_head` first).
    fn raw_text(&self) -> &str {
        match &self.repr {
            Repr::Tree(n) => n.text(),
            Repr::Stream(n) => n.head.as_ref().map_or("", |h| &h.0),
        }
    }

    /// Text content (entities resolved, whitespace kept); `expected` names the value wanted
    /// when the element is a structure instead.
    pub fn text(&mut self, expected: &'static str) -> Result<&str, DecodeError> {
        if self.has_children()? {
            return Err(DecodeError::expected(expected, "a structure"));
        }
        Ok(self.raw_text())
    }

    /// Text content, trimmed: for numbers, dates and other scalars.
    pub fn scalar(&mut self, expected: &'static str) -> Result<&str, DecodeError> {
        self.text(expected).map(str::trim)
    }

    /// An untyped element with children, while streaming: whether it is an array (all children
    /// `item`s) or a structure is only known at its end, so decode it from a tree of its own
    /// ([`in_tree`](Node::in_tree)).
    pub fn needs_tree(&mut self) -> Result<bool, DecodeError> {
        if !matches!(self.repr, Repr::Stream(_)) || self.is_array() || self.xsi_type().is_some() {
            return Ok(false);
        }
        self.has_children()
    }

    /// Decodes this element with `f` from a tree of the element alone (a streamed element is
    /// read to its end and parsed; a tree node is passed as it is).
    pub fn in_tree<T>(
        &mut self,
        f: impl FnOnce(&mut Node<'_, '_>) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        match self.repr {
            Repr::Tree(_) => f(self),
            Repr::Stream(_) => {
                let xml = self.raw_xml()?;
                let tree = Tree::parse(xml)?;
                f(&mut Node::tree(tree.root_node()))
            }
        }
    }

    /// The element's XML as received (a streamed element is read to its end).
    pub fn raw_xml(&mut self) -> Result<&'r str, DecodeError> {
        match &mut self.repr {
            Repr::Tree(n) => Ok(n.raw_xml()),
            Repr::Stream(n) => {
                let StreamNode { stream, start, .. } = n;
                if !start.empty {
                    stream.skip_to_close(start.depth)?;
                }
                // Right after the element's last item (an empty element's is its start).
                let end = stream.pos;
                Ok(stream.src.get(start.pos..end).unwrap_or_default())
            }
        }
    }

    /// The child elements, in order.
    pub fn children(&mut self) -> Result<Children<'_, 'a>, DecodeError> {
        self.load_head()?;
        Ok(match &mut self.repr {
            Repr::Tree(n) => Children {
                repr: ChildrenRepr::Tree(Box::new(n.children())),
            },
            Repr::Stream(n) => {
                let has_children = n.head.as_ref().is_some_and(|h| h.1);
                Children {
                    repr: ChildrenRepr::Stream {
                        stream: &mut *n.stream,
                        depth: n.start.depth,
                        done: !has_children,
                    },
                }
            }
        })
    }

    /// The first child element named `name` (the children before it are skipped).
    pub fn child(&mut self, name: &str) -> Result<Option<Node<'_, 'a>>, DecodeError> {
        self.load_head()?;
        match &mut self.repr {
            Repr::Tree(n) => Ok(n.child(name).map(Node::tree)),
            Repr::Stream(n) => {
                if !n.head.as_ref().is_some_and(|h| h.1) {
                    return Ok(None);
                }
                let depth = n.start.depth;
                let stream = &mut *n.stream;
                while let Some(start) = stream.next_child(depth)? {
                    if start.local == name {
                        return Ok(Some(Node::stream(stream, start)));
                    }
                }
                Ok(None)
            }
        }
    }
}

/// The children of a [`Node`], read one at a time: `while let Some(child) = children.next()? {}`.
pub struct Children<'r, 'a> {
    repr: ChildrenRepr<'r, 'a>,
}

type TreeChildren<'r> = Box<dyn Iterator<Item = Result<TreeNode<'r>, DecodeError>> + 'r>;

enum ChildrenRepr<'r, 'a> {
    Tree(TreeChildren<'r>),
    Stream {
        stream: &'r mut Stream<'a>,
        /// Depth of the parent: the stream is inside its content at this depth.
        depth: usize,
        done: bool,
    },
}

impl<'r, 'a: 'r> Children<'r, 'a> {
    /// The next child (what is left of the previous one is skipped), or `None` after the last.
    #[allow(clippy::should_implement_trait)] // a lending iterator: a child borrows the stream
    pub fn next(&mut self) -> Result<Option<Node<'_, 'a>>, DecodeError> {
        match &mut self.repr {
            ChildrenRepr::Tree(it) => it.next().transpose().map(|n| n.map(Node::tree)),
            ChildrenRepr::Stream {
                stream,
                depth,
                done,
            } => {
                if *done {
                    return Ok(None);
                }
                match stream.next_child(*depth)? {
                    Some(start) => Ok(Some(Node::stream(stream, start))),
                    None => {
                        *done = true;
                        Ok(None)
                    }
                }
            }
        }
    }
}
