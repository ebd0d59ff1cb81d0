//! Exact origins: a minimal perfect hash table, or a linear scan for a handful.
//!
//! The table is PtrHash-style: each key hash picks a *bucket*; each bucket stores a 16-bit
//! *pilot* chosen at build time so that, for every key of the bucket, `slot(hash, pilot)` lands
//! on a slot of its own. A lookup is one hash, two table reads and one string comparison,
//! whatever the number of origins. Below [`LINEAR_SCAN_MAX`] keys the table is left empty and
//! the keys are compared in turn, which is faster for a few short strings.

use crate::hash::{bucket, hash, slot};
use crate::StrList;

/// Up to this many keys, the compiler emits no hash table and lookups scan the list.
pub const LINEAR_SCAN_MAX: usize = 8;

/// Marks a slot that holds no key.
pub const EMPTY_SLOT: u32 = u32::MAX;

/// A set of exact serialized origins.
#[derive(Clone, Copy, Debug)]
pub struct OriginSet<'a> {
    keys: StrList<'a>,
    seed: u64,
    pilots: &'a [u16],
    slots: &'a [u32],
    /// The generated matcher, which decides what the keys and table decide.
    matcher: Option<fn(&[u8]) -> bool>,
}

impl<'a> OriginSet<'a> {
    /// The empty set.
    pub const EMPTY: OriginSet<'static> =
        OriginSet { keys: StrList::EMPTY, seed: 0, pilots: &[], slots: &[], matcher: None };

    /// Assembles a set from the compiler's tables. With empty `pilots`, lookups scan `keys`.
    pub const fn new(keys: StrList<'a>, seed: u64, pilots: &'a [u16], slots: &'a [u32]) -> Self {
        OriginSet { keys, seed, pilots, slots, matcher: None }
    }

    /// The same set, looked up by `matcher`, a function that decides what
    /// [`OriginSet::contains_by_table`] decides on this set. Generated code emits it for a set
    /// of at most [`LINEAR_SCAN_MAX`] keys as that function over the set written as a `const`:
    ///
    /// ```
    /// use cors_policy_core::{OriginSet, StrList};
    /// const KEYS: OriginSet<'static> =
    ///     OriginSet::new(StrList::new("https://app.example.com", &[23]), 0, &[], &[]);
    /// fn matcher(origin: &[u8]) -> bool {
    ///     KEYS.contains_by_table(origin)
    /// }
    /// static SET: OriginSet<'static> = KEYS.with_matcher(matcher);
    /// assert!(SET.contains(b"https://app.example.com"));
    /// assert!(!SET.contains(b"https://app.example.com.evil.net"));
    /// ```
    ///
    /// Over a `const`, the optimizer compiles each key's comparison with its length and bytes
    /// known, instead of a call to `memcmp` per key (BENCHMARKS.md, issue 11, eleventh round).
    /// A matcher that decides otherwise changes the answers, so only the compiler, which emits
    /// it from the same keys, calls this.
    pub const fn with_matcher(self, matcher: fn(&[u8]) -> bool) -> Self {
        OriginSet { matcher: Some(matcher), ..self }
    }

    /// `true` if generated code gave a matcher ([`OriginSet::with_matcher`]).
    pub fn has_matcher(&self) -> bool {
        self.matcher.is_some()
    }

    /// `true` if `origin` is byte-for-byte one of the keys: the generated matcher's answer if
    /// there is one ([`OriginSet::with_matcher`]), the keys' and table's otherwise.
    #[inline]
    pub fn contains(&self, origin: &[u8]) -> bool {
        match self.matcher {
            Some(matcher) => matcher(origin),
            None => self.contains_by_table(origin),
        }
    }

    /// [`OriginSet::contains`] as the keys and the table decide it, whether or not there is a
    /// generated matcher. Always inlined: the matcher generated code emits is this function
    /// over a `const`.
    #[inline(always)]
    pub fn contains_by_table(&self, origin: &[u8]) -> bool {
        if self.pilots.is_empty() {
            return self.keys.iter_bytes().any(|key| key == origin);
        }
        let h = hash(self.seed, origin);
        let Some(&pilot) = self.pilots.get(bucket(h, self.pilots.len())) else { return false };
        match self.slots.get(slot(h, pilot, self.slots.len())) {
            Some(&index) if index != EMPTY_SLOT => {
                self.keys.get(index as usize).is_some_and(|key| key.as_bytes() == origin)
            }
            _ => false,
        }
    }

    /// The keys.
    pub fn keys(&self) -> StrList<'a> {
        self.keys
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// `true` if the set has no key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The hash seed, the pilots and the slots (empty for a linear-scan set).
    pub fn table(&self) -> (u64, &'a [u16], &'a [u32]) {
        (self.seed, self.pilots, self.slots)
    }
}
