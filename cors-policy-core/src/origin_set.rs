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
}

impl<'a> OriginSet<'a> {
    /// The empty set.
    pub const EMPTY: OriginSet<'static> =
        OriginSet { keys: StrList::EMPTY, seed: 0, pilots: &[], slots: &[] };

    /// Assembles a set from the compiler's tables. With empty `pilots`, lookups scan `keys`.
    pub const fn new(keys: StrList<'a>, seed: u64, pilots: &'a [u16], slots: &'a [u32]) -> Self {
        OriginSet { keys, seed, pilots, slots }
    }

    /// `true` if `origin` is byte-for-byte one of the keys.
    #[inline]
    pub fn contains(&self, origin: &[u8]) -> bool {
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
