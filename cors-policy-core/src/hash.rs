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
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = fold_mul(h ^ u64::from_le_bytes(word), K);
    }
    h
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
