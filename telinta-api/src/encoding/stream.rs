//! Reading a response as it is parsed: quick-xml events go straight into the generated types,
//! with one event of look-ahead and nothing else kept. Used for every response that holds no
//! `href` (SOAP::Lite sends none unless told to), which is all of PortaBilling's.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};

use super::{push_text, resolve_general_ref, slice_of, xml_error, DecodeError, MAX_DEPTH};

/// An element start as the stream saw it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Start<'a> {
    pub local: &'a str,
    /// Local part of `xsi:type`.
    pub xsi_type: Option<&'a str>,
    pub nil: bool,
    /// `soapenc:arrayType` was given.
    pub array_type: bool,
    /// The item count of `soapenc:arrayType="t[N]"`, a capacity hint.
    pub array_len: Option<usize>,
    /// `<x/>`: there is no content and no end event.
    pub empty: bool,
    /// Byte offset of the `<`.
    pub pos: usize,
    /// Elements open once this one is (the root is 1).
    pub depth: usize,
}

pub(crate) enum Item<'a> {
    Open(Start<'a>),
    Close,
    Text(Cow<'a, str>),
    Eof,
}

pub(crate) struct Stream<'a> {
    pub src: &'a str,
    reader: quick_xml::Reader<&'a [u8]>,
    /// Elements open after the items handed out so far.
    pub depth: usize,
    /// Byte offset after the last item handed out.
    pub pos: usize,
    /// The first child of the element whose head was read last, taken from the stream by
    /// `head` and not handed out yet.
    pub pending: Option<Start<'a>>,
    /// Bytes arrays may still reserve up front (see `Node::reserve_items`).
    pub reserve_budget: usize,
}

impl<'a> Stream<'a> {
    pub fn new(src: &'a str) -> Self {
        // quick-xml skips a byte order mark without counting it in its positions.
        let src = super::without_bom(src);
        let mut reader = quick_xml::Reader::from_str(src);
        reader.config_mut().trim_text(false);
        Stream {
            src,
            reader,
            depth: 0,
            pos: 0,
            pending: None,
            reserve_budget: src.len().saturating_mul(2),
        }
    }

    /// The next item.
    pub fn next(&mut self) -> Result<Item<'a>, DecodeError> {
        let item = self.read()?;
        self.pos = self.reader.buffer_position() as usize;
        match &item {
            Item::Open(s) if !s.empty => self.depth += 1,
            Item::Close => self.depth -= 1,
            _ => {}
        }
        Ok(item)
    }

    fn read(&mut self) -> Result<Item<'a>, DecodeError> {
        let src = self.src;
        loop {
            let start_pos = self.reader.buffer_position() as usize;
            let event = self
                .reader
                .read_event()
                .map_err(|e| xml_error(src, &self.reader, e))?;
            let depth = self.depth + 1;
            return Ok(match event {
                Event::Start(e) => Item::Open(start(src, &e, false, start_pos, depth)?),
                Event::Empty(e) => Item::Open(start(src, &e, true, start_pos, depth)?),
                Event::End(_) => Item::Close,
                // Outside the root element only XML whitespace may appear.
                Event::Text(t) if self.depth == 0 && !super::is_xml_space(&t) => {
                    return Err(super::outside_root())
                }
                Event::CData(_) | Event::GeneralRef(_) if self.depth == 0 => {
                    return Err(super::outside_root())
                }
                Event::Text(t) => Item::Text(Cow::Borrowed(slice_of(src, &t)?)),
                Event::CData(t) => Item::Text(Cow::Borrowed(slice_of(src, &t)?)),
                Event::GeneralRef(r) => Item::Text(Cow::Owned(resolve_general_ref(&r)?)),
                Event::DocType(_) => return Err(super::doctype_refused()),
                Event::Eof => Item::Eof,
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
            });
        }
    }

    /// Skips to the end of the element whose content is being read at `depth` (the element is
    /// closed when this returns).
    pub fn skip_to_close(&mut self, depth: usize) -> Result<(), DecodeError> {
        // A pending child is inside what is skipped (its start is counted in `depth`).
        self.pending = None;
        while self.depth >= depth {
            if let Item::Eof = self.next()? {
                return Err(truncated());
            }
        }
        Ok(())
    }

    /// After the response has been decoded: the rest of the document must be well-formed
    /// (a truncated body must not pass for a complete one).
    pub fn finish(&mut self) -> Result<(), DecodeError> {
        self.pending = None;
        loop {
            match self.next()? {
                Item::Eof if self.depth == 0 => return Ok(()),
                Item::Eof => return Err(truncated()),
                Item::Open(s) if s.depth == 1 => {
                    return Err(DecodeError::xml("more than one root element"))
                }
                _ => {}
            }
        }
    }

    /// The root element's start (text and declarations before it skipped).
    pub fn root(&mut self) -> Result<Start<'a>, DecodeError> {
        loop {
            match self.next()? {
                Item::Open(s) => return Ok(s),
                // Only whitespace gets here (`read` refuses the rest).
                Item::Text(_) => {}
                Item::Close => return Err(DecodeError::xml("an end tag before any element")),
                Item::Eof => return Err(DecodeError::xml("no root element")),
            }
        }
    }

    /// The text of an element's content (read at `depth`) up to its first child element or
    /// its end: the text, and whether a child follows (its start is then `pending`).
    pub fn head(&mut self, depth: usize) -> Result<(Cow<'a, str>, bool), DecodeError> {
        let mut text = Cow::Borrowed("");
        if self.depth < depth {
            return Ok((text, false));
        }
        loop {
            match self.next()? {
                Item::Open(child) => {
                    self.pending = Some(child);
                    return Ok((text, true));
                }
                Item::Text(t) => push_text(&mut text, t),
                Item::Close => return Ok((text, false)),
                Item::Eof => return Err(truncated()),
            }
        }
    }

    /// The next child's start in the content of the element read at `depth` (what the previous
    /// child's decoder left unread is skipped), or `None` at the element's end.
    pub fn next_child(&mut self, depth: usize) -> Result<Option<Start<'a>>, DecodeError> {
        if let Some(start) = self.take_pending(depth) {
            return Ok(Some(start));
        }
        self.skip_to_close(depth + 1)?;
        if self.depth < depth {
            return Ok(None);
        }
        loop {
            match self.next()? {
                Item::Open(start) => return Ok(Some(start)),
                Item::Text(_) => {}
                Item::Close => return Ok(None),
                Item::Eof => return Err(truncated()),
            }
        }
    }

    /// The pending child if it is a child of the element read at `depth`.
    pub fn take_pending(&mut self, depth: usize) -> Option<Start<'a>> {
        match self.pending {
            Some(p) if p.depth == depth + 1 => self.pending.take(),
            _ => None,
        }
    }
}

pub(crate) fn truncated() -> DecodeError {
    DecodeError::xml("the document ends inside an element (truncated body?)")
}

fn start<'a>(
    src: &'a str,
    e: &BytesStart<'_>,
    empty: bool,
    pos: usize,
    depth: usize,
) -> Result<Start<'a>, DecodeError> {
    if depth > MAX_DEPTH {
        return Err(DecodeError::xml(format!(
            "elements nested deeper than {MAX_DEPTH}"
        )));
    }
    let mut s = Start {
        local: slice_of(src, super::local(e.name().into_inner()))?,
        xsi_type: None,
        nil: false,
        array_type: false,
        array_len: None,
        empty,
        pos,
        depth,
    };
    super::for_each_attribute(e, |key, value| {
        let prefixed = key.contains(&b':');
        match (super::local(key), prefixed) {
            (b"type", true) => s.xsi_type = Some(super::local_str(slice_of(src, value)?)),
            (b"nil", true) => s.nil = matches!(value, b"true" | b"1"),
            (b"arrayType", _) => {
                s.array_type = true;
                s.array_len = array_len(value);
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(s)
}

/// `ns:T[100]` → 100 (`T[]`, `T[2,3]` and junk give none).
fn array_len(value: &[u8]) -> Option<usize> {
    let open = value.iter().rposition(|b| *b == b'[')?;
    let digits = value.get(open + 1..value.len().checked_sub(1)?)?;
    if value.last() != Some(&b']') || digits.is_empty() || digits.len() > 9 {
        return None;
    }
    digits.iter().try_fold(0usize, |n, d| {
        d.is_ascii_digit().then(|| n * 10 + usize::from(d - b'0'))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn array_len_reads_the_count_and_nothing_else() {
        use super::array_len;
        assert_eq!(array_len(b"ns:DIDAPINumber[100]"), Some(100));
        assert_eq!(array_len(b"xsd:int[1]"), Some(1));
        assert_eq!(array_len(b"xsd:int[]"), None);
        assert_eq!(array_len(b"xsd:int[2,3]"), None);
        assert_eq!(array_len(b"xsd:int[9999999999]"), None);
        assert_eq!(array_len(b"xsd:int"), None);
        assert_eq!(array_len(b"]"), None);
    }
}
