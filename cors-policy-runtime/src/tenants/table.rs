//! The run-time tenant origin set: origins the application adds and removes while it serves.
//!
//! A policy names such a set with `{tenants: name}` in `allow_origins`, and every request's
//! `Origin` is looked up in it. Two types do the work:
//!
//! * [`OriginTable`], an immutable snapshot. The origin texts sit back to back in one byte
//!   *arena*; an open-addressing *index* of 64-bit slots points into it. A slot packs the text's
//!   offset (32 bits), its length (9 bits) and 23 bits of its hash, so a probe rejects almost
//!   every other key without reading the arena, and a miss usually reads nothing but the
//!   index. 12 bytes of index per origin, next to the text itself: no `String` header, no
//!   allocation per origin, no allocator rounding.
//! * [`SharedOrigins`], the live set. It holds one `ArcSwap<Snapshot>`: a lookup loads the
//!   current snapshot (no lock, no allocation) and sees exactly one version of the set. A
//!   snapshot is a large *base* table plus a small *overlay* (origins added since the base was
//!   built, origins of the base removed since), so a single insert copies the overlay, not a
//!   million-origin base; once the overlay outgrows about 4·√n entries, it is merged into a
//!   new base.
//!
//! Each [`SharedOrigins::replace_all`] draws a new random hash seed, which merges keep: whoever
//! chooses the origins (tenants pick their domains) cannot precompute colliding ones.
//!
//! Inserted origins are not validated here: the caller has already checked that each is one
//! exact, canonical serialized origin. What is refused is what no lookup could ever match
//! (empty, or longer than [`MAX_ORIGIN_LEN`]) and what the 32-bit offsets cannot address.

use std::boxed::Box;
use std::collections::hash_map::RandomState;
use std::collections::TryReserveError;
use std::fmt;
use std::hash::BuildHasher;
use std::string::String;
use std::sync::{Arc, Mutex, PoisonError};
use std::vec::Vec;

use arc_swap::ArcSwap;
use cors_policy_core::hash::{hash, reduce};
use cors_policy_core::MAX_ORIGIN_LEN;

/// The most bytes of origin text one set holds: the arena is addressed with 32-bit offsets.
///
/// That is about a hundred million origins of 40 bytes. Operations that would go past it fail
/// with [`TableError::TooLarge`] and change nothing.
pub const MAX_TABLE_BYTES: usize = u32::MAX as usize;

/// The fewest overlay entries (added plus removed origins) that trigger a merge into a new
/// base, so that small sets are not rebuilt on every few writes.
const OVERLAY_MIN: usize = 256;

/// Why a table or a set could not be built or changed. The set is left as it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TableError {
    /// An origin was empty or longer than [`MAX_ORIGIN_LEN`] bytes: it cannot be a serialized
    /// origin, and no lookup could match it.
    OriginLength {
        /// The origin's length in bytes.
        len: usize,
    },
    /// The origin texts would total more than [`MAX_TABLE_BYTES`].
    TooLarge,
    /// The allocator refused the memory (or the size overflowed `isize::MAX`).
    OutOfMemory,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableError::OriginLength { len } => {
                write!(f, "an origin of {len} bytes (an origin has 1 to {MAX_ORIGIN_LEN})")
            }
            TableError::TooLarge => write!(f, "more than {MAX_TABLE_BYTES} bytes of origins in one set"),
            TableError::OutOfMemory => f.write_str("out of memory for the origin set"),
        }
    }
}

impl std::error::Error for TableError {}

impl From<TryReserveError> for TableError {
    fn from(_: TryReserveError) -> Self {
        TableError::OutOfMemory
    }
}

// ---------------------------------------------------------------------------------------------
// Slots

/// A slot of the index: bits 0..32 hold the text's arena offset, bits 32..64 its *fingerprint*
/// (bits 32..41 the length, bits 41..64 the low 23 bits of its hash).
///
/// An empty slot is all ones. Its fingerprint would say "511 bytes", longer than any key, so
/// comparing fingerprints alone already skips empty slots.
const EMPTY: u64 = u64::MAX;
const LEN_BITS: u32 = 9;
const TAG_BITS: u32 = 32 - LEN_BITS;
const _: () = assert!(MAX_ORIGIN_LEN < (1 << LEN_BITS) - 1);

/// The upper half of the slot of a key of `len` bytes and hash `h`. The tag comes from the
/// hash's low bits; [`reduce`] places keys by the high bits, so the two are independent.
#[inline(always)]
fn fingerprint(h: u64, len: usize) -> u64 {
    let tag = h & ((1 << TAG_BITS) - 1);
    (tag << LEN_BITS) | (len as u64 & ((1 << LEN_BITS) - 1))
}

#[inline(always)]
fn slot_range(slot: u64) -> core::ops::Range<usize> {
    let offset = (slot & 0xFFFF_FFFF) as usize;
    let len = ((slot >> 32) & ((1 << LEN_BITS) - 1)) as usize;
    offset..offset + len
}

/// The number of index slots for `len` keys: the load stays at most 2/3, 12 bytes of index per
/// key.
///
/// With linear probing (8 slots to a cache line) a hit reads 2 slots on average and a miss 5.
/// At load 3/4 the index would be an eighth smaller, but the clusters grow fast: over a million
/// keys the longest walk measured 130 to 280 slots, against 80 to 120 at 2/3. Each table
/// records its longest ([`OriginTable::max_probe`]), which bounds every lookup.
fn slots_for(len: usize) -> usize {
    if len == 0 {
        0
    } else {
        len.saturating_mul(3) / 2 + 1
    }
}

/// `true` if `len` keys in `slots` slots exceed the load of [`slots_for`].
fn over_loaded(len: usize, slots: usize) -> bool {
    len.saturating_mul(3) > slots.saturating_mul(2)
}

/// `true` if `origin` (of hash `h`) is a key of the index: a walk from its home slot over at
/// most `max_probe + 1` slots, stopping at the first empty one.
#[inline]
fn index_contains(slots: &[u64], arena: &[u8], max_probe: usize, h: u64, origin: &[u8]) -> bool {
    let n = slots.len();
    if n == 0 {
        return false;
    }
    let want = fingerprint(h, origin.len());
    let mut i = reduce(h, n);
    for _ in 0..=max_probe {
        let Some(&slot) = slots.get(i) else { return false };
        if slot == EMPTY {
            return false;
        }
        if slot >> 32 == want && arena.get(slot_range(slot)) == Some(origin) {
            return true;
        }
        i = if i + 1 == n { 0 } else { i + 1 };
    }
    false
}

/// Puts `slot` (of hash `h`) into the first empty slot of its probe sequence and returns its
/// distance from home, or `None` if there is no empty slot (never, at the loads kept here).
fn place(slots: &mut [u64], h: u64, slot: u64) -> Option<usize> {
    let n = slots.len();
    let mut i = reduce(h, n);
    for distance in 0..n {
        let cell = slots.get_mut(i)?;
        if *cell == EMPTY {
            *cell = slot;
            return Some(distance);
        }
        i = if i + 1 == n { 0 } else { i + 1 };
    }
    None
}

/// A fresh hash seed: `RandomState` is keyed from the OS once per thread and stepped for every
/// new instance, so each table gets its own seed, unknown to whoever chooses the origins.
fn random_seed() -> u64 {
    RandomState::new().hash_one(0x7465_6E61_6E74_u64)
}

// ---------------------------------------------------------------------------------------------
// OriginTable

/// An immutable set of origins: one snapshot of a tenant origin set.
///
/// Built once from a list ([`OriginTable::build`]); duplicates collapse. Lookups compare the
/// full bytes, in O(1): one hash of the probe (under this table's random seed), then a walk of
/// at most [`max_probe`](Self::max_probe) + 1 consecutive index slots.
///
/// ```
/// # use cors_policy_runtime::__private::tenants::OriginTable;
/// let table = OriginTable::build(["https://acme.example", "https://shop.acme.example:8443"])?;
/// assert!(table.contains(b"https://acme.example"));
/// assert!(!table.contains(b"https://acme.example:443"));
/// assert_eq!(table.len(), 2);
/// # Ok::<(), cors_policy_runtime::__private::tenants::TableError>(())
/// ```
#[derive(Clone)]
pub struct OriginTable {
    seed: u64,
    /// The origin texts, back to back, each once.
    arena: Box<str>,
    /// The open-addressing index over `arena` (see [`EMPTY`] for the layout of a slot).
    slots: Box<[u64]>,
    len: usize,
    /// The longest distance of a key from its home slot.
    max_probe: usize,
}

impl OriginTable {
    /// The empty table.
    pub fn new() -> Self {
        Self::empty(0)
    }

    fn empty(seed: u64) -> Self {
        OriginTable { seed, arena: Box::default(), slots: Box::default(), len: 0, max_probe: 0 }
    }

    /// Builds a table of `origins` under a fresh random seed. Duplicates collapse.
    ///
    /// Fails, building nothing, if an origin is empty or longer than [`MAX_ORIGIN_LEN`], if the
    /// texts total more than [`MAX_TABLE_BYTES`], or if memory runs out.
    pub fn build<I, S>(origins: I) -> Result<Self, TableError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let origins = origins.into_iter();
        let reserve = Reserve { origins: origins.size_hint().0, bytes: 0 };
        Self::build_seeded(random_seed(), reserve, origins, MAX_TABLE_BYTES)
    }

    /// Builds a table under `seed`, with room for `reserve` made up front.
    fn build_seeded<I, S>(
        seed: u64,
        reserve: Reserve,
        origins: I,
        max_bytes: usize,
    ) -> Result<Self, TableError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut builder = TableBuilder::new(seed, reserve, max_bytes)?;
        for origin in origins {
            builder.insert(origin.as_ref())?;
        }
        builder.finish(true)
    }

    /// `true` if `origin` is byte for byte one of the table's origins. Any bytes are accepted;
    /// values longer than [`MAX_ORIGIN_LEN`] are refused unread.
    #[inline]
    pub fn contains(&self, origin: &[u8]) -> bool {
        self.len != 0
            && origin.len() <= MAX_ORIGIN_LEN
            && self.contains_hashed(hash(self.seed, origin), origin)
    }

    /// [`OriginTable::contains`] for an origin already hashed under this table's seed.
    #[inline]
    fn contains_hashed(&self, h: u64, origin: &[u8]) -> bool {
        self.len != 0 && index_contains(&self.slots, self.arena.as_bytes(), self.max_probe, h, origin)
    }

    /// The number of origins.
    pub fn len(&self) -> usize {
        self.len
    }

    /// `true` if the table has no origin.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The origins, each once, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.slots.iter().filter(|&&slot| slot != EMPTY).filter_map(|&slot| self.arena.get(slot_range(slot)))
    }

    /// The bytes the table holds on the heap: the arena and the index.
    pub fn heap_bytes(&self) -> usize {
        self.arena.len() + core::mem::size_of_val::<[u64]>(&self.slots)
    }

    /// The longest distance of an origin from its home slot: no lookup reads more than this
    /// many slots past the first.
    pub fn max_probe(&self) -> usize {
        self.max_probe
    }

    /// The total length of the origin texts.
    fn text_bytes(&self) -> usize {
        self.arena.len()
    }

    /// A copy with `origin` added (under the same seed). Costs a copy of this table.
    fn with(&self, origin: &str) -> Result<Self, TableError> {
        let mut builder = TableBuilder::extending(self, origin.len())?;
        builder.insert(origin)?;
        // Not shrunk: the index grew by doubling and will fill again as the overlay grows.
        builder.finish(false)
    }

    /// A copy without `origin` (under the same seed). Rebuilds the index: costs a hash of
    /// every origin, which is fine for the small overlays it serves.
    fn without(&self, origin: &str) -> Result<Self, TableError> {
        let rest = self.iter().filter(|&o| o != origin);
        let reserve = Reserve {
            origins: self.len.saturating_sub(1),
            bytes: self.text_bytes().saturating_sub(origin.len()),
        };
        Self::build_seeded(self.seed, reserve, rest, MAX_TABLE_BYTES)
    }
}

impl Default for OriginTable {
    fn default() -> Self {
        Self::new()
    }
}

/// Shows the size, not the origins (which may be many) nor the seed (which is a secret).
impl fmt::Debug for OriginTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OriginTable")
            .field("len", &self.len)
            .field("heap_bytes", &self.heap_bytes())
            .finish_non_exhaustive()
    }
}

/// The room a [`TableBuilder`] makes up front: a hint, not a limit.
#[derive(Clone, Copy, Debug)]
struct Reserve {
    origins: usize,
    bytes: usize,
}

/// An [`OriginTable`] under construction: a growable arena and index.
struct TableBuilder {
    seed: u64,
    arena: String,
    slots: Vec<u64>,
    len: usize,
    max_probe: usize,
    max_bytes: usize,
}

impl TableBuilder {
    fn new(seed: u64, reserve: Reserve, max_bytes: usize) -> Result<Self, TableError> {
        // A hint larger than `max_bytes` cannot be right: every origin takes a byte at least.
        let slot_count = slots_for(reserve.origins.min(max_bytes));
        let mut arena = String::new();
        arena.try_reserve_exact(reserve.bytes.min(max_bytes))?;
        Ok(TableBuilder { seed, arena, slots: empty_slots(slot_count)?, len: 0, max_probe: 0, max_bytes })
    }

    /// A builder holding `table`'s origins and seed, with room for one more origin of
    /// `extra_bytes` bytes: the arena is copied once, at its final size.
    fn extending(table: &OriginTable, extra_bytes: usize) -> Result<Self, TableError> {
        let mut arena = String::new();
        arena.try_reserve_exact(table.arena.len().saturating_add(extra_bytes))?;
        arena.push_str(&table.arena);
        let mut builder = TableBuilder {
            seed: table.seed,
            arena,
            slots: Vec::new(),
            len: table.len,
            max_probe: table.max_probe,
            max_bytes: MAX_TABLE_BYTES,
        };
        if over_loaded(table.len + 1, table.slots.len()) {
            let count = slots_for(table.len.max(8).saturating_mul(2));
            (builder.slots, builder.max_probe) =
                reindexed(table.seed, table.arena.as_bytes(), &table.slots, count)?;
        } else {
            builder.slots.try_reserve_exact(table.slots.len())?;
            builder.slots.extend_from_slice(&table.slots);
        }
        Ok(builder)
    }

    /// Adds `origin`; `Ok(false)` if it was there already.
    fn insert(&mut self, origin: &str) -> Result<bool, TableError> {
        let bytes = origin.as_bytes();
        if bytes.is_empty() || bytes.len() > MAX_ORIGIN_LEN {
            return Err(TableError::OriginLength { len: bytes.len() });
        }
        let h = hash(self.seed, bytes);
        if index_contains(&self.slots, self.arena.as_bytes(), self.max_probe, h, bytes) {
            return Ok(false);
        }
        if self.arena.len().saturating_add(bytes.len()) > self.max_bytes {
            return Err(TableError::TooLarge);
        }
        // The offset is below `MAX_TABLE_BYTES` (so never the `u32::MAX` of an empty slot).
        let offset = u32::try_from(self.arena.len()).map_err(|_| TableError::TooLarge)?;
        if over_loaded(self.len + 1, self.slots.len()) {
            self.grow()?;
        }
        self.arena.try_reserve(bytes.len())?;
        self.arena.push_str(origin);
        let slot = (fingerprint(h, bytes.len()) << 32) | u64::from(offset);
        // `over_loaded` leaves a third of the slots empty: `place` finds one.
        let distance = place(&mut self.slots, h, slot).ok_or(TableError::OutOfMemory)?;
        self.max_probe = self.max_probe.max(distance);
        self.len += 1;
        Ok(true)
    }

    /// Doubles the room of the index.
    fn grow(&mut self) -> Result<(), TableError> {
        self.reindex(slots_for(self.len.max(8).saturating_mul(2)))
    }

    /// Rebuilds the index with `slot_count` slots.
    fn reindex(&mut self, slot_count: usize) -> Result<(), TableError> {
        (self.slots, self.max_probe) = reindexed(self.seed, self.arena.as_bytes(), &self.slots, slot_count)?;
        Ok(())
    }

    /// The table. With `shrink`, an index sized for more keys than it got (a generous size
    /// hint, duplicates, doubling) is rebuilt at the load of [`slots_for`].
    fn finish(mut self, shrink: bool) -> Result<OriginTable, TableError> {
        let ideal = slots_for(self.len);
        if shrink && self.slots.len() > ideal + ideal / 4 {
            self.reindex(ideal)?;
        }
        Ok(OriginTable {
            seed: self.seed,
            arena: self.arena.into_boxed_str(),
            slots: self.slots.into_boxed_slice(),
            len: self.len,
            max_probe: self.max_probe,
        })
    }
}

/// The keys of the index `source` (over `arena`) in a new index of `slot_count` slots, each
/// rehashed from its text, and the new index's longest probe.
fn reindexed(
    seed: u64,
    arena: &[u8],
    source: &[u64],
    slot_count: usize,
) -> Result<(Vec<u64>, usize), TableError> {
    let mut slots = empty_slots(slot_count)?;
    let mut max_probe = 0;
    for &slot in source.iter().filter(|&&slot| slot != EMPTY) {
        let Some(text) = arena.get(slot_range(slot)) else { continue };
        // `slot_count` always leaves empty slots, so `place` never fails here.
        let distance = place(&mut slots, hash(seed, text), slot).ok_or(TableError::OutOfMemory)?;
        max_probe = max_probe.max(distance);
    }
    Ok((slots, max_probe))
}

fn empty_slots(count: usize) -> Result<Vec<u64>, TableError> {
    let mut slots = Vec::new();
    slots.try_reserve_exact(count)?;
    slots.resize(count, EMPTY);
    Ok(slots)
}

// ---------------------------------------------------------------------------------------------
// SharedOrigins

/// One version of a [`SharedOrigins`]: `base` minus `removed`, plus `added`.
///
/// Invariants: `removed` ⊆ `base`, `added` ∩ `base` = ∅, and all three tables share `base`'s
/// seed, so a lookup hashes the origin once.
struct Snapshot {
    base: Arc<OriginTable>,
    added: Arc<OriginTable>,
    removed: Arc<OriginTable>,
}

impl Snapshot {
    fn of(base: OriginTable) -> Self {
        let seed = base.seed;
        Snapshot {
            base: Arc::new(base),
            added: Arc::new(OriginTable::empty(seed)),
            removed: Arc::new(OriginTable::empty(seed)),
        }
    }

    /// At most two table lookups: the base, then `removed` for a hit or `added` for a miss
    /// (each skipped while empty).
    #[inline]
    fn contains(&self, origin: &[u8]) -> bool {
        if origin.is_empty() || origin.len() > MAX_ORIGIN_LEN {
            return false;
        }
        let h = hash(self.base.seed, origin);
        if self.base.contains_hashed(h, origin) {
            !self.removed.contains_hashed(h, origin)
        } else {
            self.added.contains_hashed(h, origin)
        }
    }

    fn len(&self) -> usize {
        (self.base.len + self.added.len).saturating_sub(self.removed.len)
    }

    fn text_bytes(&self) -> usize {
        (self.base.text_bytes() + self.added.text_bytes()).saturating_sub(self.removed.text_bytes())
    }

    fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        let removed = &self.removed;
        let kept = self.base.iter().filter(move |o| !removed.contains(o.as_bytes()));
        kept.chain(self.added.iter())
    }

    /// This snapshot with `added` and `removed` replaced, merged into a new base (under the same
    /// seed) once the overlay holds more than `overlay_limit` entries.
    fn with_overlay(
        &self,
        added: Arc<OriginTable>,
        removed: Arc<OriginTable>,
        overlay_limit: usize,
    ) -> Result<Self, TableError> {
        let next = Snapshot { base: Arc::clone(&self.base), added, removed };
        if next.added.len + next.removed.len <= overlay_limit {
            return Ok(next);
        }
        // Under the same seed, the old base's slots come in the order of their new homes, so
        // both indexes (and, after the first merge, both arenas) are walked front to back.
        let reserve = Reserve { origins: next.len(), bytes: next.text_bytes() };
        let base = OriginTable::build_seeded(self.base.seed, reserve, next.iter(), MAX_TABLE_BYTES)?;
        Ok(Snapshot::of(base))
    }
}

/// A live set of origins: lookups are lock-free, writers take turns.
///
/// Every operation is atomic for readers: a lookup loads the current snapshot with one
/// `ArcSwap` load (no lock, no allocation once a thread has made its first load) and answers
/// from it alone, and each write publishes its whole result with one atomic store. Writers
/// serialize on a mutex, which readers never touch, so concurrent inserts are not lost.
///
/// Costs, for a set of n origins:
/// * [`contains`](Self::contains): one hash and at most two table lookups, O(1).
/// * [`replace_all`](Self::replace_all): O(m) for m new origins, built before the writer lock is
///   taken; readers switch from the old set to the new one at once.
/// * [`insert`](Self::insert) and [`remove`](Self::remove): a copy of the overlay (at most
///   k = max(256, 4·√n) entries) and, every k writes or so, a merge into a new base, O(n):
///   O(√n) amortized. At n = 1,000,000 that is a 4,000-entry overlay and a merge every 4,000
///   writes, where a copy-on-write table would copy the million on every write. The merge
///   runs under the writer lock, so it delays the next writer, never a reader.
///
/// The memory of a replaced snapshot is freed by whichever thread drops the last reference
/// to it: usually the writer, rarely a reader still holding it.
///
/// ```
/// # use cors_policy_runtime::__private::tenants::SharedOrigins;
/// let tenants = SharedOrigins::new();
/// tenants.replace_all(["https://acme.example", "https://globex.example"])?;
/// assert!(tenants.insert("https://initech.example")?);
/// assert!(tenants.remove("https://acme.example")?);
/// assert!(tenants.contains(b"https://initech.example"));
/// assert!(!tenants.contains(b"https://acme.example"));
/// assert_eq!(tenants.to_vec(), ["https://globex.example", "https://initech.example"]);
/// # Ok::<(), cors_policy_runtime::__private::tenants::TableError>(())
/// ```
pub struct SharedOrigins {
    current: ArcSwap<Snapshot>,
    /// Held by writers from their load of `current` to their store, so that no write is
    /// lost. Nothing is guarded but the order of writes, so a poisoned lock is just taken.
    writer: Mutex<()>,
    overlay_min: usize,
    max_bytes: usize,
}

impl SharedOrigins {
    /// The empty set.
    pub fn new() -> Self {
        Self::with_limits(OVERLAY_MIN, MAX_TABLE_BYTES)
    }

    fn with_limits(overlay_min: usize, max_bytes: usize) -> Self {
        SharedOrigins {
            current: ArcSwap::from_pointee(Snapshot::of(OriginTable::empty(random_seed()))),
            writer: Mutex::new(()),
            overlay_min,
            max_bytes,
        }
    }

    /// `true` if `origin` is byte for byte in the set. Lock-free and allocation-free; any
    /// bytes are accepted, values longer than [`MAX_ORIGIN_LEN`] are refused unread.
    #[inline]
    pub fn contains(&self, origin: &[u8]) -> bool {
        self.current.load().contains(origin)
    }

    /// Replaces every origin of the set by `origins`, in one atomic switch: a reader sees the
    /// old set or the new one, never a mix. Duplicates collapse.
    ///
    /// On error (see [`OriginTable::build`]) the set is unchanged.
    pub fn replace_all<I, S>(&self, origins: I) -> Result<(), TableError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let origins = origins.into_iter();
        let reserve = Reserve { origins: origins.size_hint().0, bytes: 0 };
        // Built outside the lock: a long build delays no other writer. The write takes effect
        // at the store; a write stored before it is replaced, as it should be.
        let base = OriginTable::build_seeded(random_seed(), reserve, origins, self.max_bytes)?;
        let _writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        self.current.store(Arc::new(Snapshot::of(base)));
        Ok(())
    }

    /// Adds `origin`: `Ok(true)` if it was not in the set, `Ok(false)` if it was.
    ///
    /// On error (an empty or over-long origin, more than [`MAX_TABLE_BYTES`] in the set, no
    /// memory) the set is unchanged.
    pub fn insert(&self, origin: &str) -> Result<bool, TableError> {
        if origin.is_empty() || origin.len() > MAX_ORIGIN_LEN {
            return Err(TableError::OriginLength { len: origin.len() });
        }
        let _writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let snapshot = self.current.load_full();
        if snapshot.contains(origin.as_bytes()) {
            return Ok(false);
        }
        if snapshot.text_bytes().saturating_add(origin.len()) > self.max_bytes {
            return Err(TableError::TooLarge);
        }
        let next = if snapshot.removed.contains(origin.as_bytes()) {
            // Back in the base again: no longer removed.
            let removed = Arc::new(snapshot.removed.without(origin)?);
            snapshot.with_overlay(Arc::clone(&snapshot.added), removed, self.overlay_limit(&snapshot))?
        } else {
            let added = Arc::new(snapshot.added.with(origin)?);
            snapshot.with_overlay(added, Arc::clone(&snapshot.removed), self.overlay_limit(&snapshot))?
        };
        self.current.store(Arc::new(next));
        Ok(true)
    }

    /// Removes `origin`: `Ok(true)` if it was in the set, `Ok(false)` if not.
    ///
    /// Fails only if memory runs out, leaving the set unchanged.
    pub fn remove(&self, origin: &str) -> Result<bool, TableError> {
        let _writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let snapshot = self.current.load_full();
        if !snapshot.contains(origin.as_bytes()) {
            return Ok(false);
        }
        let next = if snapshot.added.contains(origin.as_bytes()) {
            let added = Arc::new(snapshot.added.without(origin)?);
            snapshot.with_overlay(added, Arc::clone(&snapshot.removed), self.overlay_limit(&snapshot))?
        } else {
            let removed = Arc::new(snapshot.removed.with(origin)?);
            snapshot.with_overlay(Arc::clone(&snapshot.added), removed, self.overlay_limit(&snapshot))?
        };
        self.current.store(Arc::new(next));
        Ok(true)
    }

    /// The number of origins.
    pub fn len(&self) -> usize {
        self.current.load().len()
    }

    /// `true` if the set has no origin.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The origins, sorted: for tools and tests, not the request path.
    pub fn to_vec(&self) -> Vec<String> {
        let snapshot = self.current.load_full();
        let mut origins: Vec<String> = snapshot.iter().map(String::from).collect();
        origins.sort_unstable();
        origins
    }

    /// The bytes the current snapshot holds on the heap: its three tables and their
    /// reference-counted boxes.
    pub fn heap_bytes(&self) -> usize {
        let snapshot = self.current.load();
        let arc_header = 2 * core::mem::size_of::<usize>();
        let table = arc_header + core::mem::size_of::<OriginTable>();
        (arc_header + core::mem::size_of::<Snapshot>())
            + 3 * table
            + snapshot.base.heap_bytes()
            + snapshot.added.heap_bytes()
            + snapshot.removed.heap_bytes()
    }

    /// The overlay entries above which a write merges the overlay into a new base.
    fn overlay_limit(&self, snapshot: &Snapshot) -> usize {
        self.overlay_min.max(4 * snapshot.base.len.isqrt())
    }
}

impl Default for SharedOrigins {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for SharedOrigins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedOrigins").field("len", &self.len()).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::format;
    use std::string::ToString;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::thread;
    use std::time::{Duration, Instant};
    use std::vec;

    /// xorshift64*: deterministic, dependency-free randomness for the model tests.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            reduce(self.next(), n)
        }
    }

    /// Origins of varied lengths and shapes: `https://t{i}.example`, some with a port, some
    /// with a long label.
    fn origin(i: usize) -> String {
        match i % 3 {
            0 => format!("https://t{i}.example"),
            1 => format!("https://shop.t{i}.example:8443"),
            _ => format!("http://{}{i}.customers.example", "x".repeat(i % 40)),
        }
    }

    fn table(origins: &[&str]) -> OriginTable {
        OriginTable::build(origins).unwrap()
    }

    #[test]
    fn a_table_holds_exactly_its_origins() {
        let t = table(&["https://acme.example", "https://shop.acme.example:8443"]);
        assert!(t.contains(b"https://acme.example"));
        assert!(t.contains(b"https://shop.acme.example:8443"));
        for miss in
            ["https://acme.example/", "https://acme.exampl", "http://acme.example", "https://ACME.example"]
        {
            assert!(!t.contains(miss.as_bytes()), "{miss}");
        }
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn duplicates_collapse() {
        let t = table(&["https://a.example", "https://b.example", "https://a.example", "https://a.example"]);
        assert_eq!(t.len(), 2);
        let mut all: Vec<&str> = t.iter().collect();
        all.sort_unstable();
        assert_eq!(all, ["https://a.example", "https://b.example"]);
        assert_eq!(t.heap_bytes(), 2 * 17 + 8 * slots_for(2), "each text stored once");
    }

    #[test]
    fn the_empty_table_and_set_contain_nothing() {
        let t = OriginTable::new();
        assert!(t.is_empty() && !t.contains(b"https://a.example") && t.iter().next().is_none());
        assert_eq!(t.heap_bytes(), 0);
        let built = OriginTable::build(Vec::<String>::new()).unwrap();
        assert!(built.is_empty() && !built.contains(b""));
        let set = SharedOrigins::new();
        assert!(set.is_empty() && !set.contains(b"https://a.example") && set.to_vec().is_empty());
    }

    #[test]
    fn hostile_lookups_are_misses() {
        let origins: Vec<String> = (0..1000).map(origin).collect();
        let t = OriginTable::build(&origins).unwrap();
        let set = SharedOrigins::new();
        set.replace_all(&origins).unwrap();
        set.insert("https://added.example").unwrap();
        let huge = vec![b'a'; 100 * 1024];
        let mut just_too_long = origins[0].clone().into_bytes();
        just_too_long.resize(MAX_ORIGIN_LEN + 1, b'a');
        let hostile: [&[u8]; 7] = [
            b"",
            &huge,
            &just_too_long,
            b"\xff\xfe\x00https://t0.example",
            b"https://t0.example\0",
            &origins[0].as_bytes()[..origins[0].len() - 1],
            b"\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89",
        ];
        for probe in hostile {
            assert!(!t.contains(probe), "{probe:?}");
            assert!(!set.contains(probe), "{probe:?}");
        }
        // A probe of the maximum length is read, and found if present.
        let longest = format!("https://{}.example", "a".repeat(MAX_ORIGIN_LEN - 16));
        assert_eq!(longest.len(), MAX_ORIGIN_LEN);
        assert!(!set.contains(longest.as_bytes()));
        assert_eq!(set.insert(&longest), Ok(true));
        assert!(set.contains(longest.as_bytes()));
    }

    #[test]
    fn origins_no_lookup_could_match_are_refused() {
        let too_long = "a".repeat(MAX_ORIGIN_LEN + 1);
        assert_eq!(OriginTable::build([""]).unwrap_err(), TableError::OriginLength { len: 0 });
        assert_eq!(
            OriginTable::build(["https://a.example", &too_long]).unwrap_err(),
            TableError::OriginLength { len: MAX_ORIGIN_LEN + 1 }
        );
        let set = SharedOrigins::new();
        set.replace_all(["https://a.example"]).unwrap();
        assert_eq!(set.insert(""), Err(TableError::OriginLength { len: 0 }));
        assert_eq!(set.insert(&too_long), Err(TableError::OriginLength { len: too_long.len() }));
        assert_eq!(set.remove(&too_long), Ok(false));
        // All or nothing: a failed replace_all leaves the old set.
        assert!(set.replace_all(["https://b.example", ""]).is_err());
        assert_eq!(set.to_vec(), ["https://a.example"]);
    }

    #[test]
    fn the_byte_limit_is_enforced_all_or_nothing() {
        let nine = |i: usize| format!("https://{i}");
        assert_eq!(nine(0).len(), 9);
        let t = OriginTable::build_seeded(1, Reserve { origins: 0, bytes: 0 }, (0..4).map(nine), 36).unwrap();
        assert_eq!(t.len(), 4);
        assert_eq!(
            OriginTable::build_seeded(1, Reserve { origins: 0, bytes: 0 }, (0..5).map(nine), 36).unwrap_err(),
            TableError::TooLarge
        );
        // Duplicates take no room.
        assert!(OriginTable::build_seeded(
            1,
            Reserve { origins: 0, bytes: 0 },
            [0, 1, 2, 3, 3, 3].map(nine),
            36
        )
        .is_ok());

        let set = SharedOrigins::with_limits(OVERLAY_MIN, 36);
        assert_eq!(set.replace_all((0..5).map(nine)), Err(TableError::TooLarge));
        set.replace_all((0..3).map(nine)).unwrap();
        assert_eq!(set.insert(&nine(3)), Ok(true));
        assert_eq!(set.insert(&nine(4)), Err(TableError::TooLarge));
        assert_eq!(set.len(), 4);
        assert_eq!(set.remove(&nine(0)), Ok(true));
        assert_eq!(set.insert(&nine(4)), Ok(true), "room again after a remove");
        assert_eq!(set.to_vec(), [1, 2, 3, 4].map(nine));
    }

    #[test]
    fn size_hints_of_any_kind_build_the_same_set() {
        let origins: Vec<String> = (0..3000).map(origin).collect();
        // Exact, none (a filter: the index grows by doubling), far too large.
        let exact = OriginTable::build(&origins).unwrap();
        let grown = OriginTable::build(origins.iter().filter(|_| true)).unwrap();
        let generous = OriginTable::build_seeded(
            9,
            Reserve { origins: 1 << 20, bytes: 1 << 20 },
            &origins,
            MAX_TABLE_BYTES,
        )
        .unwrap();
        for t in [&exact, &grown, &generous] {
            assert_eq!(t.len(), origins.len());
            assert!(origins.iter().all(|o| t.contains(o.as_bytes())));
            assert!(!t.contains(b"https://t3000.example"));
            // Shrunk back to the load of `slots_for`, give or take a quarter.
            assert!(t.slots.len() <= slots_for(t.len()) * 5 / 4, "{}", t.slots.len());
            assert_eq!(t.iter().count(), origins.len());
        }
    }

    #[test]
    fn every_table_gets_its_own_seed() {
        let a = table(&["https://a.example"]);
        let b = table(&["https://a.example"]);
        assert_ne!(a.seed, b.seed);
        let set = SharedOrigins::new();
        set.replace_all(["https://a.example"]).unwrap();
        let first = set.current.load().base.seed;
        set.replace_all(["https://a.example"]).unwrap();
        assert_ne!(set.current.load().base.seed, first);
    }

    #[test]
    fn overlays_share_the_base_seed() {
        let set = SharedOrigins::new();
        set.replace_all((0..1000).map(origin)).unwrap();
        set.insert("https://new.example").unwrap();
        set.remove(&origin(5)).unwrap();
        let snapshot = set.current.load();
        assert_eq!(snapshot.added.seed, snapshot.base.seed);
        assert_eq!(snapshot.removed.seed, snapshot.base.seed);
        assert_eq!((snapshot.added.len(), snapshot.removed.len()), (1, 1));
    }

    /// One random operation sequence against a `HashSet<String>`.
    fn against_the_model(seed: u64, overlay_min: usize, universe: usize, operations: usize) {
        let mut rng = Rng(seed);
        let set = SharedOrigins::with_limits(overlay_min, MAX_TABLE_BYTES);
        let mut model: HashSet<String> = HashSet::new();
        let mut merges = 0;
        for step in 0..operations {
            let o = origin(rng.below(universe));
            let base_before = Arc::as_ptr(&set.current.load().base);
            match rng.below(100) {
                0..=44 => assert_eq!(set.insert(&o), Ok(model.insert(o.clone())), "step {step}: insert {o}"),
                45..=89 => assert_eq!(set.remove(&o), Ok(model.remove(&o)), "step {step}: remove {o}"),
                90..=97 => assert_eq!(set.contains(o.as_bytes()), model.contains(&o), "step {step}: {o}"),
                _ => {
                    let size = rng.below(universe);
                    let fresh: Vec<String> = (0..size).map(|_| origin(rng.below(universe))).collect();
                    set.replace_all(&fresh).unwrap();
                    model = fresh.into_iter().collect();
                }
            }
            if !core::ptr::eq(base_before, Arc::as_ptr(&set.current.load().base)) {
                merges += 1;
            }
            assert_eq!(set.len(), model.len(), "step {step}");
            if step % 97 == 0 {
                for i in 0..universe {
                    let o = origin(i);
                    assert_eq!(set.contains(o.as_bytes()), model.contains(&o), "step {step}: {o}");
                }
                let mut sorted: Vec<String> = model.iter().cloned().collect();
                sorted.sort_unstable();
                assert_eq!(set.to_vec(), sorted, "step {step}");
            }
        }
        assert!(merges > 10, "the sequence exercised {merges} merges and replacements");
    }

    #[test]
    fn random_operations_agree_with_a_hash_set() {
        for seed in 1..=4u64 {
            // Tiny overlays (a merge every few writes), then the real minimum.
            against_the_model(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15), 4, 300, 3000);
            against_the_model(seed.wrapping_mul(0xD1B5_4A32_D192_ED03), OVERLAY_MIN, 2000, 6000);
        }
    }

    #[test]
    fn reinserting_a_removed_origin_and_removing_an_added_one_empty_the_overlay() {
        let set = SharedOrigins::new();
        set.replace_all((0..100).map(origin)).unwrap();
        assert_eq!(set.remove(&origin(7)), Ok(true));
        assert_eq!(set.remove(&origin(7)), Ok(false));
        assert_eq!(set.insert(&origin(7)), Ok(true));
        assert_eq!(set.insert(&origin(7)), Ok(false));
        assert_eq!(set.insert("https://new.example"), Ok(true));
        assert_eq!(set.remove("https://new.example"), Ok(true));
        let snapshot = set.current.load();
        assert_eq!((snapshot.added.len(), snapshot.removed.len(), snapshot.len()), (0, 0, 100));
    }

    #[test]
    fn the_overlay_is_merged_past_its_limit() {
        let set = SharedOrigins::new();
        let n = 10_000;
        set.replace_all((0..n).map(origin)).unwrap();
        let seed = set.current.load().base.seed;
        let limit = set.overlay_limit(&set.current.load());
        assert_eq!(limit, 400);
        for i in n..n + limit {
            set.insert(&origin(i)).unwrap();
        }
        assert_eq!(set.current.load().added.len(), limit, "not merged at the limit");
        set.insert(&origin(n + limit)).unwrap();
        let snapshot = set.current.load();
        assert_eq!((snapshot.base.len(), snapshot.added.len()), (n + limit + 1, 0), "merged past it");
        assert_eq!(snapshot.base.seed, seed, "merges keep the seed");
        assert!((0..=n + limit).all(|i| set.contains(origin(i).as_bytes())));
    }

    /// About 1.5 s in a debug build.
    #[test]
    fn a_million_origins_build_and_look_up() {
        let n = 1_000_000;
        let tenant = |i: usize| format!("https://tenant{i}.customers.example");
        let t = OriginTable::build((0..n).map(tenant)).unwrap();
        assert_eq!(t.len(), n);
        assert!((0..n).all(|i| t.contains(tenant(i).as_bytes())));
        assert!(!(n..2 * n).any(|i| t.contains(tenant(i).as_bytes())));
        // Linear probing at load 3/4 over n keys: the longest cluster walk stays short.
        // Linear probing at load 2/3: the longest walk measured 80 to 120 slots over a million
        // keys, and the chance of a longer one falls exponentially with its length.
        assert!(t.max_probe() < 400, "max probe {}", t.max_probe());
        // The texts plus 12 bytes of index per origin.
        let text: usize = (0..n).map(|i| tenant(i).len()).sum();
        assert_eq!(t.heap_bytes(), text + 8 * slots_for(n));
    }

    #[test]
    fn concurrent_inserts_are_all_kept() {
        let set = SharedOrigins::with_limits(16, MAX_TABLE_BYTES);
        let per_thread = 300;
        thread::scope(|scope| {
            for t in 0..4 {
                let set = &set;
                scope.spawn(move || {
                    for i in 0..per_thread {
                        assert_eq!(set.insert(&origin(t * per_thread + i)), Ok(true));
                    }
                });
            }
        });
        assert_eq!(set.len(), 4 * per_thread);
        assert!((0..4 * per_thread).all(|i| set.contains(origin(i).as_bytes())));
    }

    /// Readers loop while a writer switches between two sets, A and B, that share `common`
    /// origins. Every snapshot a reader loads must be exactly A or exactly B: the pair of
    /// A-only origins in or out together, the B-only pair the opposite, the length to match,
    /// and the common origins always found (through the public `contains` as well).
    #[test]
    fn readers_see_whole_snapshots_while_a_writer_switches() {
        let common: Vec<String> = (0..500).map(origin).collect();
        let only_a = ["https://only-a-1.example", "https://only-a-2.example"];
        let only_b = ["https://only-b-1.example", "https://only-b-2.example"];
        const TRANSIENT: &str = "https://transient.example";
        let a: Vec<&str> = common.iter().map(String::as_str).chain(only_a).collect();
        let b: Vec<&str> = common.iter().map(String::as_str).chain(only_b).collect();
        let set = SharedOrigins::new();
        set.replace_all(&a).unwrap();
        let done = AtomicBool::new(false);
        let seen_a = AtomicUsize::new(0);
        let seen_b = AtomicUsize::new(0);
        thread::scope(|scope| {
            for reader in 0..2 {
                let (set, done, common, seen_a, seen_b) = (&set, &done, &common, &seen_a, &seen_b);
                scope.spawn(move || {
                    let mut i = reader;
                    while !done.load(Ordering::Relaxed) {
                        let snapshot = set.current.load();
                        let in_a = snapshot.contains(only_a[0].as_bytes());
                        assert_eq!(snapshot.contains(only_a[1].as_bytes()), in_a);
                        assert_eq!(snapshot.contains(only_b[0].as_bytes()), !in_a);
                        assert_eq!(snapshot.contains(only_b[1].as_bytes()), !in_a);
                        let transient = snapshot.contains(TRANSIENT.as_bytes());
                        assert_eq!(snapshot.len(), common.len() + 2 + usize::from(transient));
                        assert!(snapshot.contains(common[i % common.len()].as_bytes()));
                        drop(snapshot);
                        assert!(set.contains(common[(i * 7) % common.len()].as_bytes()));
                        (if in_a { seen_a } else { seen_b }).fetch_add(1, Ordering::Relaxed);
                        i += 1;
                    }
                });
            }
            // At least 400 switches, and on until both versions were seen often (a fast
            // writer may otherwise finish before a reader thread is even scheduled).
            let deadline = Instant::now() + Duration::from_secs(10);
            let seen_both = || seen_a.load(Ordering::Relaxed) > 1000 && seen_b.load(Ordering::Relaxed) > 1000;
            let mut round = 0;
            while round < 400 || (!seen_both() && Instant::now() < deadline) {
                set.replace_all(if round % 2 == 0 { &b } else { &a }).unwrap();
                round += 1;
                // Single writes in between, which must not disturb either the pairs or `common`.
                set.insert(TRANSIENT).unwrap();
                set.remove(TRANSIENT).unwrap();
            }
            done.store(true, Ordering::Relaxed);
        });
        assert!(
            seen_a.load(Ordering::Relaxed) > 0 && seen_b.load(Ordering::Relaxed) > 0,
            "both versions seen"
        );
    }

    #[test]
    fn shared_origins_are_send_and_sync() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<SharedOrigins>();
        send_sync::<OriginTable>();
    }

    #[test]
    fn errors_and_debug_say_what_they_are() {
        assert_eq!(
            TableError::OriginLength { len: 0 }.to_string(),
            format!("an origin of 0 bytes (an origin has 1 to {MAX_ORIGIN_LEN})")
        );
        let t = table(&["https://a.example"]);
        let shown = format!("{t:?}");
        assert!(shown.starts_with("OriginTable { len: 1,") && !shown.contains("seed"), "{shown}");
        assert_eq!(format!("{:?}", SharedOrigins::new()), "SharedOrigins { len: 0, .. }");
    }
}
