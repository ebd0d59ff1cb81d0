//! The one hash function of cors-policy.
//!
//! The compiler places every exact origin in a table with this function at build time and the
//! runtime probes the same table with it, so the two cannot drift apart (the arrangement of
//! `phf_shared` between `phf_generator` and `phf`).
//!
//! The hash reads the key eight bytes at a time and mixes each word with a *folded multiply*
//! (the 128-bit product's halves XORed together), which diffuses every input bit into the whole
//! word at the cost of one multiplication. Serialized origins are 10 to 60 bytes long, so a key
//! costs two to eight multiplications.

/// An odd 64-bit constant with well-spread bits (2^64 divided by the golden ratio).
const K: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline(always)]
const fn fold_mul(a: u64, b: u64) -> u64 {
    let product = (a as u128) * (b as u128);
    (product as u64) ^ ((product >> 64) as u64)
}

/// Hashes `bytes` under `seed`.
///
/// ```
/// use cors_policy_core::hash::hash;
/// assert_eq!(hash(7, b"https://a.example"), hash(7, b"https://a.example"));
/// assert_ne!(hash(7, b"https://a.example"), hash(8, b"https://a.example"));
/// ```
#[inline]
pub fn hash(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = fold_mul(seed ^ K, (bytes.len() as u64) ^ 0x2D35_8DCC_AA6C_78A5);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = fold_mul(h ^ u64::from_le_bytes(word), K);
    }
    let n = chunks.remainder().len();
    if n > 0 {
        h = fold_mul(h ^ tail(bytes, n), K);
    }
    h
}

/// The last `n` (1 to 7) bytes of `bytes` as a little-endian word, zero-extended: the value a
/// copy into a zeroed `[u8; 8]` would give, read with fixed-size loads instead of a `memcpy`
/// of variable length (which showed up as a third of a lookup's time).
#[inline(always)]
fn tail(bytes: &[u8], n: usize) -> u64 {
    let len = bytes.len();
    if len >= 8 {
        // The last eight bytes, shifted so that only the `n` not read yet remain.
        return word8(bytes, len - 8) >> (64 - 8 * n);
    }
    // The whole key is shorter than eight bytes: `n == len`. Overlapping loads agree on the
    // bytes they share, so OR-ing them is exact.
    match n {
        4..=7 => word4(bytes, 0) | (word4(bytes, n - 4) << (8 * (n - 4))),
        2 | 3 => (bytes[0] as u64) | ((bytes[1] as u64) << 8) | ((bytes[n - 1] as u64) << (8 * (n - 1))),
        _ => bytes[0] as u64,
    }
}

#[inline(always)]
fn word8(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

#[inline(always)]
fn word4(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(word) as u64
}

/// Maps `x` uniformly onto `0..n` with a multiply-shift instead of a division.
#[inline(always)]
pub fn reduce(x: u64, n: usize) -> usize {
    ((x as u128 * n as u128) >> 64) as usize
}

/// The bucket of a key hash, among `buckets` buckets. Uses the high half of the hash's
/// rotation so bucket and slot choices are independent.
#[inline(always)]
pub fn bucket(key_hash: u64, buckets: usize) -> usize {
    reduce(key_hash.rotate_left(32), buckets)
}

/// The slot of a key hash displaced by its bucket's pilot, among `slots` slots.
#[inline(always)]
pub fn slot(key_hash: u64, pilot: u16, slots: usize) -> usize {
    reduce(key_hash ^ fold_mul(pilot as u64 ^ 0xC3A5_C85C_97CB_3127, K), slots)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    /// The reference: the tail copied into a zeroed word.
    fn copied_tail(bytes: &[u8], n: usize) -> u64 {
        let mut word = [0u8; 8];
        word[..n].copy_from_slice(&bytes[bytes.len() - n..]);
        u64::from_le_bytes(word)
    }

    #[test]
    fn the_tail_loads_equal_a_zero_padded_copy() {
        let bytes: Vec<u8> = (0..64u8).map(|b| b.wrapping_mul(37).wrapping_add(11)).collect();
        for len in 1..bytes.len() {
            let key = &bytes[..len];
            let n = len % 8;
            if n > 0 {
                assert_eq!(tail(key, n), copied_tail(key, n), "len {len}");
            }
        }
    }

    /// The hash as first released, with a zero-padded copy of the tail: tables emitted by one
    /// version are read by another, so the values must never change.
    fn reference_hash(seed: u64, bytes: &[u8]) -> u64 {
        let mut h = fold_mul(seed ^ K, (bytes.len() as u64) ^ 0x2D35_8DCC_AA6C_78A5);
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            h = fold_mul(h ^ u64::from_le_bytes(chunk.try_into().unwrap()), K);
        }
        if !chunks.remainder().is_empty() {
            h = fold_mul(h ^ copied_tail(bytes, chunks.remainder().len()), K);
        }
        h
    }

    #[test]
    fn hashes_never_change() {
        let bytes: Vec<u8> = (0..200u8).map(|b| b.wrapping_mul(101).wrapping_add(3)).collect();
        for len in 0..bytes.len() {
            for seed in [0, 1, 0xDEAD_BEEF] {
                assert_eq!(hash(seed, &bytes[..len]), reference_hash(seed, &bytes[..len]), "len {len}");
            }
        }
    }
}
