//! Eight bytes at a time: the word tricks of the request path, for the short strings header
//! names and hosts are. Each is exact on every byte value (its tests go through them all), and
//! none needs `unsafe`: words are read with `first_chunk`.

/// The high bit of each byte.
pub(crate) const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
/// The low bit of each byte.
const ONES: u64 = u64::from_ne_bytes([0x01; 8]);

/// The high bit of every byte of `word` in `lo..=hi`, and no other bit, for a `word` with no
/// byte above `0x7f` (the caller checks `word & HIGH == 0`).
#[inline(always)]
pub(crate) fn bytes_within(word: u64, lo: u8, hi: u8) -> u64 {
    // For bytes below 0x80, neither difference borrows across bytes: the high bit of each
    // byte of `(b | 0x80) - lo` says `b >= lo`, of `(0x80 + hi) - b` says `b <= hi`.
    ((word | HIGH) - ONES * lo as u64) & ((HIGH + ONES * hi as u64) - word) & HIGH
}

/// The high bit of every byte of `word` that is zero, and no other bit (exact, unlike the
/// shorter `(x - 0x01..) & !x & 0x80..`, which also marks some bytes above a zero one).
#[inline(always)]
pub(crate) fn zero_bytes(word: u64) -> u64 {
    const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);
    !(((word & LOW7).wrapping_add(LOW7)) | word | LOW7)
}

/// `a == b`, lengths first, then eight bytes at a time, the last word overlapping the one
/// before it (a 12-byte name is two loads a side, not one load and four byte compares), with no
/// call to `memcmp`, which costs more than the comparison itself on strings this short. Not
/// `allow_headers`' `cmp_bytes(a, b).is_eq()`: equality alone measured 40 to 60 ns less on a
/// preflight of 64 names.
#[inline(always)]
pub(crate) fn eq_bytes(a: &[u8], b: &[u8]) -> bool {
    let len = a.len();
    if len != b.len() {
        return false;
    }
    let word = |bytes: &[u8], at: usize| {
        bytes.get(at..).and_then(|rest| rest.first_chunk::<8>()).map(|w| u64::from_ne_bytes(*w))
    };
    if len < 8 {
        // 4 to 7 bytes: two 4-byte loads a side, overlapping (a scheme such as `https`).
        let half = |bytes: &[u8], at: usize| {
            bytes.get(at..).and_then(|rest| rest.first_chunk::<4>()).map(|w| u32::from_ne_bytes(*w))
        };
        if len >= 4 {
            return half(a, 0) == half(b, 0) && half(a, len - 4) == half(b, len - 4);
        }
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let mut at = 0;
    while at + 8 < len {
        // Both words are there (`at + 8 < len`); a missing one would refuse, not panic.
        let (Some(x), Some(y)) = (word(a, at), word(b, at)) else { return false };
        if x != y {
            return false;
        }
        at += 8;
    }
    let (Some(x), Some(y)) = (word(a, len - 8), word(b, len - 8)) else { return false };
    x == y
}

/// `bytes` without `prefix`, as `strip_prefix` gives it, compared with [`eq_bytes`]: the
/// literal parts of origin patterns and regexes are short, and a call to `memcmp` for each
/// costs more than the comparison.
#[inline(always)]
pub(crate) fn strip_prefix<'b>(bytes: &'b [u8], prefix: &[u8]) -> Option<&'b [u8]> {
    let (head, tail) = bytes.split_at_checked(prefix.len())?;
    eq_bytes(head, prefix).then_some(tail)
}

/// `bytes` without `suffix`, as `strip_suffix` gives it, compared with [`eq_bytes`].
#[inline(always)]
pub(crate) fn strip_suffix<'b>(bytes: &'b [u8], suffix: &[u8]) -> Option<&'b [u8]> {
    let (head, tail) = bytes.split_at_checked(bytes.len().checked_sub(suffix.len())?)?;
    eq_bytes(tail, suffix).then_some(head)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    /// `bytes_within` marks exactly the bytes in range: every byte value below `0x80` at every
    /// place, among fillers at the edges of the ranges, for the ranges the request path asks
    /// about and the extremes.
    #[test]
    fn bytes_within_marks_exactly_the_bytes_in_range() {
        for (lo, hi) in [(b'a', b'z'), (b'0', b'9'), (b',', b'.'), (b'_', b'_'), (0, 0x7f), (0x7f, 0x7f)] {
            for place in 0..8 {
                for byte in 0..0x80u8 {
                    for filler in [0u8, b'a', b'z', b'0', b'9', b',', b'.', b'-', b'_', b'`', b'{', 0x7f] {
                        let mut word = [filler; 8];
                        word[place] = byte;
                        let want =
                            u64::from_le_bytes(word.map(|b| if (lo..=hi).contains(&b) { 0x80 } else { 0 }));
                        assert_eq!(
                            bytes_within(u64::from_le_bytes(word), lo, hi),
                            want,
                            "{lo} {hi} {word:?}"
                        );
                    }
                }
            }
        }
    }

    /// `zero_bytes` marks exactly the zero bytes.
    #[test]
    fn zero_bytes_marks_exactly_the_zero_bytes() {
        for pattern in 0..=255u8 {
            // Bit `i` of `pattern`: byte `i` is zero; the others take values near the edges.
            for filler in [0x01u8, 0x7f, 0x80, 0x81, 0xff, b','] {
                let bytes: [u8; 8] = core::array::from_fn(|i| if pattern >> i & 1 == 1 { 0 } else { filler });
                let want = u64::from_le_bytes(core::array::from_fn(|i| if bytes[i] == 0 { 0x80 } else { 0 }));
                assert_eq!(zero_bytes(u64::from_le_bytes(bytes)), want, "{bytes:?}");
            }
        }
    }

    /// `eq_bytes` is slice equality.
    #[test]
    fn eq_bytes_is_slice_equality() {
        let words: [&[u8]; 8] =
            [b"", b"a", b"abcdefgh", b"abcdefgi", b"abcdefgh1", b"abcdefgh2", b"abcdefghijklmnopq", b"b"];
        for a in words {
            for b in words {
                assert_eq!(eq_bytes(a, b), a == b, "{a:?} {b:?}");
            }
        }
        // Every length up to three words, and one byte changed in every place, where the
        // overlapping loads read it once or twice.
        let text = b"abcdefghijklmnopqrstuvwxyz";
        for len in 0..=text.len() {
            let a = &text[..len];
            assert!(eq_bytes(a, a), "{len}");
            for place in 0..len {
                let mut b = a.to_vec();
                b[place] ^= 0x20;
                assert!(!eq_bytes(a, &b), "{len} {place}");
            }
            if len > 0 {
                assert!(!eq_bytes(a, &text[..len - 1]), "{len}");
            }
        }
    }

    /// `strip_prefix` and `strip_suffix` are the slice methods of the same names, for every
    /// prefix and suffix of a text, each with one byte changed in every place, and longer ones.
    #[test]
    fn strips_are_the_slice_methods() {
        let text = b"https://pr-1.preview.example.com";
        for len in 0..=text.len() + 1 {
            let mut candidates = std::vec![
                text[..len.min(text.len())].to_vec(),
                text[text.len() - len.min(text.len())..].to_vec()
            ];
            if len > text.len() {
                candidates.push([&text[..], b"x"].concat());
            }
            for candidate in candidates.clone() {
                for place in 0..candidate.len() {
                    let mut changed = candidate.clone();
                    changed[place] ^= 0x01;
                    candidates.push(changed);
                }
            }
            for affix in &candidates {
                assert_eq!(strip_prefix(text, affix), text.strip_prefix(&affix[..]), "{affix:?}");
                assert_eq!(strip_suffix(text, affix), text.strip_suffix(&affix[..]), "{affix:?}");
            }
        }
    }
}
