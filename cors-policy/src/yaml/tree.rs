//! Pass 1 of the YAML front end: `saphyr_parser` events to a small arena of located nodes,
//! iteratively (nesting costs no stack), within the [`Limits`], stopping at the first syntax
//! error since the parser cannot resume after one.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use super::{syntax, Limits};
use crate::diagnostic::{Diagnostic, Span};

/// One YAML node. Children are indices into the arena; an alias reuses its target's index.
pub(super) struct Node {
    pub(super) kind: Kind,
    pub(super) span: Span,
    /// Nodes in this subtree after alias expansion (itself included).
    pub(super) size: usize,
}

pub(super) enum Kind {
    Scalar(String, ScalarStyle),
    Seq(Vec<usize>),
    Map(Vec<(usize, usize)>),
}

/// A list or mapping whose end event has not come yet.
pub(super) struct Frame {
    /// Where it starts; the end is filled in when it closes.
    pub(super) start: Span,
    pub(super) anchor: usize,
    pub(super) size: usize,
    pub(super) items: Vec<usize>,
    /// `true` for a mapping: its entries are `items` taken two by two.
    pub(super) is_map: bool,
}

/// Marks a file given up on; its diagnostic is already recorded.
pub(super) struct Fatal;

pub(super) struct Builder<'t, 'd> {
    pub(super) text: &'t str,
    /// Whether character and byte indices coincide.
    pub(super) ascii: bool,
    pub(super) limits: &'t Limits,
    /// Last converted position, as (character index, byte index).
    pub(super) cursor: (usize, usize),
    pub(super) nodes: Vec<Node>,
    /// saphyr anchor id to node, registered once the anchored node is complete.
    pub(super) anchors: HashMap<usize, usize>,
    pub(super) stack: Vec<Frame>,
    /// Nodes so far, aliases expanded.
    pub(super) total: usize,
    pub(super) diags: &'d mut Vec<Diagnostic>,
}

impl Builder<'_, '_> {
    /// Reads the event stream; returns the root node of the (first) document, if any.
    pub(super) fn build(&mut self) -> Result<Option<usize>, Fatal> {
        let mut parser = Parser::new_from_str(self.text);
        let mut root = None;
        let mut documents = 0;
        while let Some(next) = parser.next_event() {
            let (event, span) = match next {
                Ok(next) => next,
                Err(e) => {
                    let at = saphyr_parser::Span::empty(*e.marker());
                    let span = self.span(at);
                    let diagnostic = match tab_in_indentation(self.text, span) {
                        Some(tab) => {
                            syntax(tab, "a tab indents this line, and YAML indents with spaces only")
                                .with_help("replace the tab with spaces")
                        }
                        None => syntax(span, format!("invalid YAML: {}", e.info())),
                    };
                    self.diags.push(diagnostic);
                    return Err(Fatal);
                }
            };
            match event {
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        let span = self.span(span);
                        self.diags.push(
                            syntax(span, "a policy file holds a single YAML document")
                                .with_help("put several policies under one `policies:` mapping"),
                        );
                        break;
                    }
                }
                Event::Scalar(value, style, anchor, tag) => {
                    let span = self.span(span);
                    self.check_tag(tag.as_deref(), span);
                    self.count(1, span)?;
                    let node = self.push(Kind::Scalar(value.into_owned(), style), span, 1);
                    self.finish(node, anchor, 1, &mut root);
                }
                Event::SequenceStart(anchor, tag) => self.open(span, anchor, tag.as_deref(), false)?,
                Event::MappingStart(anchor, tag) => self.open(span, anchor, tag.as_deref(), true)?,
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(frame) = self.stack.pop() else { continue };
                    let end = self.byte(span.end.index());
                    let span = match frame.start {
                        Span::File { start, line, column, .. } => {
                            Span::File { start, end: end.max(start), line, column }
                        }
                        tokens => tokens,
                    };
                    let kind = if frame.is_map {
                        Kind::Map(frame.items.chunks_exact(2).map(|kv| (kv[0], kv[1])).collect())
                    } else {
                        Kind::Seq(frame.items)
                    };
                    let node = self.push(kind, span, frame.size);
                    self.finish(node, frame.anchor, frame.size, &mut root);
                }
                Event::Alias(id) => {
                    let span = self.span(span);
                    let Some(&node) = self.anchors.get(&id) else {
                        self.diags.push(syntax(span, "this alias refers to a node that contains it"));
                        return Err(Fatal);
                    };
                    let size = self.nodes[node].size;
                    self.count(size, span)?;
                    self.finish(node, 0, size, &mut root);
                }
                Event::StreamEnd => break,
                Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
            }
        }
        Ok(root)
    }

    /// Starts a list or mapping, unless that nests too deep.
    fn open(
        &mut self,
        span: saphyr_parser::Span,
        anchor: usize,
        tag: Option<&Tag>,
        is_map: bool,
    ) -> Result<(), Fatal> {
        let file_span = self.span(span);
        self.check_tag(tag, file_span);
        if self.stack.len() >= self.limits.max_depth {
            let message = format!("lists and mappings are nested more than {} deep", self.limits.max_depth);
            self.diags.push(syntax(file_span, message));
            return Err(Fatal);
        }
        self.count(1, file_span)?;
        self.stack.push(Frame { start: file_span, anchor, size: 1, items: Vec::new(), is_map });
        Ok(())
    }

    fn push(&mut self, kind: Kind, span: Span, size: usize) -> usize {
        self.nodes.push(Node { kind, span, size });
        self.nodes.len() - 1
    }

    /// Registers a completed node's anchor and attaches it to its parent (or makes it the root).
    fn finish(&mut self, node: usize, anchor: usize, size: usize, root: &mut Option<usize>) {
        if anchor != 0 {
            self.anchors.insert(anchor, node);
        }
        match self.stack.last_mut() {
            Some(frame) => {
                frame.size = frame.size.saturating_add(size);
                frame.items.push(node);
            }
            None => *root = Some(node),
        }
    }

    fn count(&mut self, nodes: usize, span: Span) -> Result<(), Fatal> {
        self.total = self.total.saturating_add(nodes);
        if self.total <= self.limits.max_nodes {
            return Ok(());
        }
        self.diags.push(
            syntax(span, format!("the file expands to more than {} YAML nodes", self.limits.max_nodes))
                .with_help("aliases are expanded where they are used; nested aliases multiply"),
        );
        Err(Fatal)
    }

    fn check_tag(&mut self, tag: Option<&Tag>, span: Span) {
        let Some(tag) = tag else { return };
        let shown = if tag.is_yaml_core_schema() {
            format!("!!{}", tag.suffix)
        } else {
            format!("{}{}", tag.handle, tag.suffix)
        };
        self.diags.push(
            syntax(span, format!("YAML tags such as `{shown}` are not supported"))
                .with_help("remove the tag; every value's type follows from its key"),
        );
    }

    /// Converts a saphyr span (character indices, 1-based line, 0-based column) to a file span.
    fn span(&mut self, span: saphyr_parser::Span) -> Span {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index()).max(start);
        let line = u32::try_from(span.start.line()).unwrap_or(u32::MAX);
        let column = u32::try_from(span.start.col()).unwrap_or(u32::MAX).saturating_add(1);
        Span::File { start, end, line, column }
    }

    /// Byte offset of a character index. Events come nearly in order, so walking from the
    /// previous position keeps the total work linear.
    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        let (mut chars, mut bytes) = self.cursor;
        while chars < char_index {
            let Some(c) = self.text.get(bytes..).and_then(|s| s.chars().next()) else { break };
            bytes += c.len_utf8();
            chars += 1;
        }
        while chars > char_index {
            let Some(c) = self.text.get(..bytes).and_then(|s| s.chars().next_back()) else { break };
            bytes -= c.len_utf8();
            chars -= 1;
        }
        self.cursor = (chars, bytes);
        bytes
    }
}

/// The place of a tab in the indentation of the line an error is on, if there is one: the YAML
/// parser's own message for it ("tabs disallowed within this context") names no fix.
pub(super) fn tab_in_indentation(text: &str, at: Span) -> Option<Span> {
    let Span::File { line, .. } = at else { return None };
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1) as usize).map(str::len).sum();
    let indent =
        text.get(start..)?.bytes().take_while(|b| *b == b' ' || *b == b'\t').position(|b| b == b'\t')?;
    let column = u32::try_from(indent + 1).ok()?;
    Some(Span::File { start: start + indent, end: start + indent + 1, line, column })
}
