//! A deterministic finite automaton stored as plain tables, walked with no dependency.
//!
//! The compiler builds the automaton with `regex-automata` and re-encodes it into this form:
//!
//! * `classes` maps each byte to its equivalence class, so the transition table has one column
//!   per class instead of 256;
//! * `transitions` is row-major with a row per state; state identifiers are *premultiplied*
//!   (a state's id is its row index times the stride), so one step is a single indexed load;
//! * state id `0` is the dead state: once there, nothing can match, and the walk stops early;
//! * `accepting` is a bit set over row indexes: the input matches when the walk ends in a
//!   state whose bit is set. Matches are full matches: the compiler anchors every pattern at
//!   both ends;
//! * `prefix` ([`Dfa::with_prefix`]) is the literal every string of the language starts with,
//!   compared as bytes, and the walk starts after it;
//! * `suffix` ([`Dfa::with_suffix`]) is the literal every string ends with after the prefix,
//!   compared as bytes; the walk stops before it, and a second bit set says from which rows
//!   the suffix would have led to an accepting one;
//! * `loops` ([`Dfa::with_loops`]) gives each row a bit set of the classes on which the row
//!   leads back to itself (for a row of `[0-9]+`, the digits): the walk passes a run of such
//!   bytes without reading the transitions, so that one byte's check does not wait for the
//!   previous byte's load;
//! * `matcher` ([`Dfa::with_matcher`]) is a function generated code emits beside the tables:
//!   the walk of [`Dfa::is_match_by_tables`] over the same tables written as a `const`, which
//!   the optimizer specializes (the literals' lengths and bytes become constants), so that
//!   [`Dfa::is_match`] of a compiled policy runs it instead of reading the tables.
//!
//! Every table access is checked, so a malformed table can refuse a match but never panic.
//!
//! ```
//! use cors_policy_core::Dfa;
//!
//! // The language {"ab"}: 0 = dead, 1 = start, 2 = after `a`, 3 = after `ab` (accepting).
//! // Classes: 0 = any other byte, 1 = `a`, 2 = `b`; stride 4 (a power of two >= 3 classes).
//! static CLASSES: [u8; 256] = {
//!     let mut c = [0u8; 256];
//!     c[b'a' as usize] = 1;
//!     c[b'b' as usize] = 2;
//!     c
//! };
//! static TRANSITIONS: [u32; 16] = [
//!     0, 0, 0, 0, // dead
//!     0, 8, 0, 0, // start: `a` -> row 2 (id 8)
//!     0, 0, 12, 0, // after `a`: `b` -> row 3 (id 12)
//!     0, 0, 0, 0, // after `ab`: anything more is dead
//! ];
//! static ACCEPTING: [u64; 1] = [1 << 3];
//! static DFA: Dfa<'static> = Dfa::new(&CLASSES, 2, &TRANSITIONS, 4, &ACCEPTING);
//!
//! assert!(DFA.is_match(b"ab"));
//! assert!(!DFA.is_match(b"abb"));
//! assert!(!DFA.is_match(b"a"));
//! ```

use crate::words::{strip_prefix, strip_suffix};

/// A full-match DFA over bytes, borrowed from static or owned tables.
#[derive(Clone, Copy, Debug)]
pub struct Dfa<'a> {
    classes: &'a [u8; 256],
    stride_shift: u32,
    transitions: &'a [u32],
    start: u32,
    accepting: &'a [u64],
    /// Bytes every string of the language starts with, compared as bytes before the walk.
    prefix: &'a [u8],
    /// The state the walk from `start` over `prefix` reaches, where the walk begins.
    after_prefix: u32,
    /// Bytes every string of the language ends with after `prefix`, compared as bytes after
    /// the walk.
    suffix: &'a [u8],
    /// The rows from which the walk over `suffix` ends in an accepting row (`accepting`
    /// itself when there is no suffix): the walk stops before the suffix and reads this.
    accepting_before_suffix: &'a [u64],
    /// For each row, the classes (bit `c` for class `c`, so at most 64 of them) on which the
    /// row leads back to itself; empty when no row loops or there are more than 64 classes.
    loops: &'a [u64],
    /// The generated matcher, which decides what the walk of these tables decides.
    matcher: Option<fn(&[u8]) -> bool>,
}

impl<'a> Dfa<'a> {
    /// Assembles a DFA from its tables; see the module documentation for their layout.
    /// `stride_shift` is log2 of the row length; `start` is the premultiplied start state.
    /// The compiler emits this call; you normally never write it by hand.
    pub const fn new(
        classes: &'a [u8; 256],
        stride_shift: u32,
        transitions: &'a [u32],
        start: u32,
        accepting: &'a [u64],
    ) -> Self {
        Dfa {
            classes,
            stride_shift,
            transitions,
            start,
            accepting,
            prefix: &[],
            after_prefix: start,
            suffix: &[],
            accepting_before_suffix: accepting,
            loops: &[],
            matcher: None,
        }
    }

    /// The same DFA, told that every string of its language starts with `prefix` and that the
    /// walk from the start state over `prefix` ends in `after_prefix`: a match then compares
    /// the prefix eight bytes at a time instead of walking it a byte at a time (each step of a
    /// walk waits for the previous one's load). The compiler derives both from the tables.
    /// Values that do not hold make matches wrong, never a panic.
    ///
    /// ```
    /// use cors_policy_core::Dfa;
    ///
    /// // {"ab"} again, as in the module documentation: every string starts with `a`, after
    /// // which the walk is in row 2 (id 8).
    /// # static CLASSES: [u8; 256] = { let mut c = [0u8; 256]; c[b'a' as usize] = 1; c[b'b' as usize] = 2; c };
    /// # static TRANSITIONS: [u32; 16] = [0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 12, 0, 0, 0, 0, 0];
    /// # static ACCEPTING: [u64; 1] = [1 << 3];
    /// static DFA: Dfa<'static> = Dfa::new(&CLASSES, 2, &TRANSITIONS, 4, &ACCEPTING).with_prefix(b"a", 8);
    /// assert!(DFA.is_match(b"ab"));
    /// assert!(!DFA.is_match(b"b"));
    /// assert!(!DFA.is_match(b"a"));
    /// ```
    pub const fn with_prefix(self, prefix: &'a [u8], after_prefix: u32) -> Self {
        Dfa { prefix, after_prefix, ..self }
    }

    /// The same DFA, told that every string of its language ends with `suffix` after the
    /// prefix, and given `accepting_before_suffix`, the bit set (indexed by row, as
    /// `accepting`) of the rows from which the walk over `suffix` ends in an accepting row. A
    /// match then compares the suffix as bytes and walks only what lies between the two
    /// literals. The compiler derives both from the tables.
    ///
    /// The bit set is what decides, so values that do not hold can refuse a string of the
    /// language, never admit one outside it: an input that does not end with `suffix` is
    /// refused, and one that does is admitted only if the walk over it, `suffix` included,
    /// would have ended in an accepting row.
    ///
    /// ```
    /// use cors_policy_core::Dfa;
    ///
    /// // {"ab"} of the module documentation: every string ends with `b`, and only row 2
    /// // (after `a`) reaches an accepting row over it.
    /// # static CLASSES: [u8; 256] = { let mut c = [0u8; 256]; c[b'a' as usize] = 1; c[b'b' as usize] = 2; c };
    /// # static TRANSITIONS: [u32; 16] = [0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 12, 0, 0, 0, 0, 0];
    /// # static ACCEPTING: [u64; 1] = [1 << 3];
    /// static DFA: Dfa<'static> = Dfa::new(&CLASSES, 2, &TRANSITIONS, 4, &ACCEPTING).with_suffix(b"b", &[1 << 2]);
    /// assert!(DFA.is_match(b"ab"));
    /// assert!(!DFA.is_match(b"bb"));
    /// assert!(!DFA.is_match(b"a"));
    /// ```
    pub const fn with_suffix(self, suffix: &'a [u8], accepting_before_suffix: &'a [u64]) -> Self {
        Dfa { suffix, accepting_before_suffix, ..self }
    }

    /// The same DFA, given for each row the bit set of the classes on which the row leads
    /// back to itself (bit `c` of `loops[row]` for class `c`). The walk then passes a run of
    /// such bytes by testing each byte's class against the bit set, with no load that waits on
    /// the previous byte's. A bit set that claims a loop the transitions do not have changes
    /// the answers, so only the compiler, which reads the bits off the transitions, calls this.
    ///
    /// ```
    /// use cors_policy_core::Dfa;
    ///
    /// // `a+`: 0 = dead, 1 = start, 2 = after one or more `a` (accepting), which loops on `a`.
    /// # static CLASSES: [u8; 256] = { let mut c = [0u8; 256]; c[b'a' as usize] = 1; c };
    /// static TRANSITIONS: [u32; 6] = [0, 0, 0, 4, 0, 4];
    /// # static ACCEPTING: [u64; 1] = [1 << 2];
    /// static DFA: Dfa<'static> = Dfa::new(&CLASSES, 1, &TRANSITIONS, 2, &ACCEPTING).with_loops(&[0, 0, 1 << 1]);
    /// assert!(DFA.is_match(b"aaaa"));
    /// assert!(!DFA.is_match(b"aaba"));
    /// assert!(!DFA.is_match(b""));
    /// ```
    pub const fn with_loops(self, loops: &'a [u64]) -> Self {
        Dfa { loops, ..self }
    }

    /// The same DFA, matched by `matcher`, a function that decides what
    /// [`Dfa::is_match_by_tables`] decides on these tables. Generated code emits it as that
    /// walk over its tables written as a `const`:
    ///
    /// ```
    /// use cors_policy_core::Dfa;
    ///
    /// // {"ab"} of the module documentation.
    /// # static CLASSES: [u8; 256] = { let mut c = [0u8; 256]; c[b'a' as usize] = 1; c[b'b' as usize] = 2; c };
    /// const TABLES: Dfa<'static> = Dfa::new(
    ///     &CLASSES,
    ///     2,
    ///     &[0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 12, 0, 0, 0, 0, 0],
    ///     4,
    ///     &[1 << 3],
    /// );
    /// fn matcher(input: &[u8]) -> bool {
    ///     TABLES.is_match_by_tables(input)
    /// }
    /// static DFA: Dfa<'static> = TABLES.with_matcher(matcher);
    /// assert!(DFA.is_match(b"ab"));
    /// assert!(!DFA.is_match(b"abb"));
    /// ```
    ///
    /// Over a `const`, the optimizer compiles the walk with the literals' lengths and bytes
    /// known (the prefix and the suffix become comparisons with immediates), which a walk
    /// reading them from the tables cannot: 66 instructions fewer on a regex hit through the
    /// layer, 2 to 6 ns (BENCHMARKS.md, issue 11, eleventh round). A matcher that decides
    /// otherwise changes the answers, so only the compiler, which emits it from the same
    /// tables, calls this.
    pub const fn with_matcher(self, matcher: fn(&[u8]) -> bool) -> Self {
        Dfa { matcher: Some(matcher), ..self }
    }

    /// `true` if the whole of `input` is in the language: the generated matcher's answer if
    /// there is one ([`Dfa::with_matcher`]), the walk of the tables otherwise.
    #[inline]
    pub fn is_match(&self, input: &[u8]) -> bool {
        match self.matcher {
            Some(matcher) => matcher(input),
            None => self.is_match_by_tables(input),
        }
    }

    /// `true` if the whole of `input` is in the language, as the walk of the tables decides
    /// it, whether or not there is a generated matcher. Always inlined: the matcher generated
    /// code emits is this walk over a `const`.
    #[inline(always)]
    pub fn is_match_by_tables(&self, input: &[u8]) -> bool {
        let Some(rest) = strip_prefix(input, self.prefix) else { return false };
        let Some(mut rest) = strip_suffix(rest, self.suffix) else { return false };
        let mut state = self.after_prefix;
        loop {
            // The bytes on which `state` loops: each is tested on its own, not walked.
            if let Some(&loops) = self.loops.get((state >> self.stride_shift) as usize) {
                if loops != 0 {
                    let looping = |&&byte: &&u8| {
                        let class = u32::from(self.classes[byte as usize]);
                        loops.checked_shr(class).is_some_and(|bits| bits & 1 != 0)
                    };
                    let run = rest.iter().take_while(looping).count();
                    rest = rest.get(run..).unwrap_or_default();
                }
            }
            let Some((&byte, tail)) = rest.split_first() else { break };
            rest = tail;
            let class = self.classes[byte as usize] as u32;
            state = match self.transitions.get((state + class) as usize) {
                Some(&next) => next,
                None => return false,
            };
            if state == 0 {
                return false;
            }
        }
        let row = (state >> self.stride_shift) as usize;
        self.accepting_before_suffix.get(row / 64).is_some_and(|word| word & (1u64 << (row % 64)) != 0)
    }

    /// The byte-to-class map.
    pub fn classes(&self) -> &'a [u8; 256] {
        self.classes
    }

    /// log2 of the number of columns per row.
    pub fn stride_shift(&self) -> u32 {
        self.stride_shift
    }

    /// The premultiplied transition table.
    pub fn transitions(&self) -> &'a [u32] {
        self.transitions
    }

    /// The premultiplied start state.
    pub fn start(&self) -> u32 {
        self.start
    }

    /// The accepting-state bit set, indexed by row.
    pub fn accepting(&self) -> &'a [u64] {
        self.accepting
    }

    /// Bytes of table data, for reporting sizes.
    pub fn size_in_bytes(&self) -> usize {
        let bit_sets = self.accepting.len()
            + if self.suffix.is_empty() { 0 } else { self.accepting_before_suffix.len() }
            + self.loops.len();
        256 + self.transitions.len() * 4 + bit_sets * 8 + self.prefix.len() + self.suffix.len()
    }

    /// The literal prefix of every string of the language ([`Dfa::with_prefix`]).
    pub fn prefix(&self) -> &'a [u8] {
        self.prefix
    }

    /// The state after the prefix.
    pub fn after_prefix(&self) -> u32 {
        self.after_prefix
    }

    /// The literal every string of the language ends with after its prefix
    /// ([`Dfa::with_suffix`]).
    pub fn suffix(&self) -> &'a [u8] {
        self.suffix
    }

    /// The rows from which the walk over the suffix ends in an accepting row.
    pub fn accepting_before_suffix(&self) -> &'a [u64] {
        self.accepting_before_suffix
    }

    /// For each row, the classes on which it leads back to itself ([`Dfa::with_loops`]).
    pub fn loops(&self) -> &'a [u64] {
        self.loops
    }

    /// `true` if generated code gave a matcher ([`Dfa::with_matcher`]).
    pub fn has_matcher(&self) -> bool {
        self.matcher.is_some()
    }
}
