//! A list of strings stored as one string plus end offsets.
//!
//! One `&str` and one `&[u32]` borrow the same way from static data and from owned buffers, so
//! the same `Policy<'a>` type serves tables emitted into a binary and tables built in memory.

/// A borrowed list of strings: `text` holds them back to back, `ends[i]` is where item `i` ends.
///
/// ```
/// use cors_policy_core::StrList;
/// static LIST: StrList<'static> = StrList::new("GETPUT", &[3, 6]);
/// assert_eq!(LIST.len(), 2);
/// assert_eq!(LIST.get(1), Some("PUT"));
/// assert!(LIST.iter().eq(["GET", "PUT"]));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct StrList<'a> {
    text: &'a str,
    ends: &'a [u32],
}

impl<'a> StrList<'a> {
    /// An empty list.
    pub const EMPTY: StrList<'static> = StrList { text: "", ends: &[] };

    /// Assembles a list from its concatenated text and end offsets.
    pub const fn new(text: &'a str, ends: &'a [u32]) -> Self {
        StrList { text, ends }
    }

    /// The number of items.
    #[inline]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// `true` if the list has no item.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Item `index`, or `None` when out of range (or when the offsets are malformed).
    #[inline]
    pub fn get(&self, index: usize) -> Option<&'a str> {
        let end = *self.ends.get(index)? as usize;
        let start = match index {
            0 => 0,
            _ => *self.ends.get(index - 1)? as usize,
        };
        self.text.get(start..end)
    }

    /// Item `index` as bytes: [`StrList::get`] without its check of UTF-8 boundaries, for the
    /// comparisons of the request path.
    #[inline]
    pub(crate) fn bytes(&self, index: usize) -> Option<&'a [u8]> {
        let end = *self.ends.get(index)? as usize;
        let start = match index {
            0 => 0,
            _ => *self.ends.get(index - 1)? as usize,
        };
        self.text.as_bytes().get(start..end)
    }

    /// The items in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len()).filter_map(move |i| self.get(i))
    }

    /// The concatenated text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The end offsets.
    pub fn ends(&self) -> &'a [u32] {
        self.ends
    }
}
