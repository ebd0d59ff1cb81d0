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

    /// The items in order, as bytes: one running start instead of two offset reads and a
    /// UTF-8 boundary check per item, for the scans of the request path.
    #[inline]
    pub(crate) fn iter_bytes(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        let text = self.text.as_bytes();
        let mut start = 0;
        self.ends.iter().filter_map(move |&end| {
            let item = text.get(start..end as usize);
            start = end as usize;
            item
        })
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

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    /// The byte scan yields what `get` does, item by item, including the empty item and a list
    /// whose offsets run backwards or past the text (which `get` skips).
    #[test]
    fn iter_bytes_yields_what_get_does() {
        let lists = [
            StrList::new("GETPUT", &[3, 6]),
            StrList::new("ab", &[0, 1, 1, 2]),
            StrList::new("abcdef", &[4, 2, 6, 9]),
            StrList::EMPTY,
        ];
        for list in lists {
            let by_index: Vec<&[u8]> =
                (0..list.len()).filter_map(|i| list.get(i)).map(str::as_bytes).collect();
            assert_eq!(list.iter_bytes().collect::<Vec<_>>(), by_index, "{list:?}");
        }
    }
}
