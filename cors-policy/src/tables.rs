//! The owned tables of a compiled policy that need building: string lists in the core's
//! `StrList` layout, and the perfect-hash placement of exact origins (PtrHash-style pilots).
//! Their views and tokens are in `compiled`, next to those of the other parts.

use cors_policy_core::hash::{bucket, hash, slot};
use cors_policy_core::{OriginSet, StrList, EMPTY_SLOT, LINEAR_SCAN_MAX};

/// Owned strings in the layout of `cors_policy_core::StrList`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OwnedStrList {
    /// The strings back to back.
    pub text: String,
    /// The end offset of each string.
    pub ends: Vec<u32>,
}

impl OwnedStrList {
    /// Concatenates `items`.
    pub fn new<S: AsRef<str>>(items: &[S]) -> Self {
        let mut list = OwnedStrList::default();
        for item in items {
            list.text.push_str(item.as_ref());
            list.ends.push(list.text.len() as u32);
        }
        list
    }

    /// The borrowed view.
    pub fn view(&self) -> StrList<'_> {
        StrList::new(&self.text, &self.ends)
    }
}

/// A perfect hash table over exact origins (empty `pilots` for a linear-scan set).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OriginTable {
    /// The origins.
    pub keys: OwnedStrList,
    /// The hash seed that placed every key.
    pub seed: u64,
    /// One pilot per bucket.
    pub pilots: Vec<u16>,
    /// For each slot, the index of its key, or `EMPTY_SLOT`.
    pub slots: Vec<u32>,
}

/// Keys per bucket, on average.
const KEYS_PER_BUCKET: usize = 4;
/// Slots per key: a load factor of 80%.
const SLOTS_PER_KEY: f64 = 1.25;
/// Seeds tried before giving up (each try succeeds with high probability).
const SEED_TRIES: u64 = 64;

impl OriginTable {
    /// Places `keys` (which must be distinct) in a table. Sets of at most
    /// [`LINEAR_SCAN_MAX`] keys get no table: scanning them is faster.
    pub fn build(keys: &[String]) -> Self {
        let list = OwnedStrList::new(keys);
        if keys.len() <= LINEAR_SCAN_MAX {
            return OriginTable { keys: list, ..OriginTable::default() };
        }
        for attempt in 0..SEED_TRIES {
            let seed = hash(attempt, b"cors-policy origin table");
            if let Some((pilots, slots)) = place(keys, seed) {
                return OriginTable { keys: list, seed, pilots, slots };
            }
        }
        // Only reachable with duplicate keys; a scan is still correct.
        OriginTable { keys: list, ..OriginTable::default() }
    }

    /// The borrowed view.
    pub fn view(&self) -> OriginSet<'_> {
        OriginSet::new(self.keys.view(), self.seed, &self.pilots, &self.slots)
    }
}

/// Finds a pilot for every bucket, largest buckets first, so that all keys land on distinct slots.
fn place(keys: &[String], seed: u64) -> Option<(Vec<u16>, Vec<u32>)> {
    let buckets = keys.len().div_ceil(KEYS_PER_BUCKET);
    let slot_count = (keys.len() as f64 * SLOTS_PER_KEY).ceil() as usize;
    let hashes: Vec<u64> = keys.iter().map(|k| hash(seed, k.as_bytes())).collect();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); buckets];
    for (index, h) in hashes.iter().enumerate() {
        members[bucket(*h, buckets)].push(index);
    }
    let mut order: Vec<usize> = (0..buckets).collect();
    order.sort_by_key(|&b| std::cmp::Reverse(members[b].len()));

    let mut pilots = vec![0u16; buckets];
    let mut slots = vec![EMPTY_SLOT; slot_count];
    let mut chosen = Vec::with_capacity(KEYS_PER_BUCKET * 4);
    for b in order {
        if members[b].is_empty() {
            continue;
        }
        let pilot = (0..=u16::MAX).find(|&pilot| {
            chosen.clear();
            members[b].iter().all(|&key| {
                let s = slot(hashes[key], pilot, slot_count);
                let free = slots[s] == EMPTY_SLOT && !chosen.contains(&s);
                chosen.push(s);
                free
            })
        })?;
        pilots[b] = pilot;
        for &key in &members[b] {
            slots[slot(hashes[key], pilot, slot_count)] = key as u32;
        }
    }
    Some((pilots, slots))
}
