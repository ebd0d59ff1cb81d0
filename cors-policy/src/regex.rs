//! Regex origins: checking each `regex:` entry of `allow_origins`, then compiling all of them into
//! one table DFA that the runtime walks in time linear in the `Origin` header.
//!
//! Every pattern is a *full match*: it is anchored at both ends whether or not the user wrote `^`
//! and `$`. Patterns are read byte-wise (`unicode(false)`), so `.` and negated classes match any
//! byte, non-ASCII included; that is what lets the checks see how loose a pattern really is.
//!
//! Each entry is compiled on its own to a minimal DFA, re-encoded into [`DfaTables`], and checked
//! on that graph:
//!
//! * `CORS049` — too long, does not parse, automaton over the [`Limits`], or no accepted string is
//!   shaped like an origin (`scheme://...`);
//! * `CORS002` — fixed probes: it accepts `https://attacker.invalid` and the like;
//! * `CORS010`, else `CORS011`, else `CORS009` — only the most specific of the three is reported,
//!   since they usually stem from the same loose spot and fixing it changes the others.
//!
//! `CORS011` is decided exactly on the graph. `CORS009`/`CORS010` test *probes* derived from
//! sample strings the pattern accepts; see `probe_samples` for the heuristics and their limits.

use std::collections::{HashMap, HashSet, VecDeque};

use cors_policy_core::Dfa;
use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::{primitives::StateID, start};
use regex_automata::{Anchored, MatchKind};
use regex_syntax::ast::{self, Ast, RepetitionKind, RepetitionRange};
use regex_syntax::hir::{self, Hir, Look};

use crate::ast::Spanned;
use crate::catalog::Check;
use crate::diagnostic::{has_errors, Diagnostic, Span};

/// The tables of one DFA, owned, for code generation and for in-memory evaluation.
///
/// The layout is the one [`cors_policy_core::Dfa`] reads: `classes` maps bytes to columns,
/// `transitions` holds one row of `1 << stride_shift` premultiplied state ids per state, row 0
/// is the dead state, and `accepting` is a bit set over rows. Every row other than 0 is reachable
/// from `start` and can still reach an accepting row, so a walk stops at the first byte that
/// rules out a match. `start` is 0 only when the language is empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DfaTables {
    /// Byte to class (column) index.
    pub classes: [u8; 256],
    /// log2 of the row length.
    pub stride_shift: u32,
    /// Row-major, premultiplied transitions; row 0 is the dead state.
    pub transitions: Vec<u32>,
    /// Premultiplied start state; 0 when nothing matches.
    pub start: u32,
    /// Accepting bit set, indexed by row.
    pub accepting: Vec<u64>,
}

impl DfaTables {
    /// A borrowed view for matching.
    pub fn dfa(&self) -> Dfa<'_> {
        Dfa::new(&self.classes, self.stride_shift, &self.transitions, self.start, &self.accepting)
    }

    /// Number of rows, the dead state included.
    pub fn states(&self) -> usize {
        self.transitions.len() >> self.stride_shift
    }

    /// Bytes of table data, as emitted.
    pub fn size_in_bytes(&self) -> usize {
        self.dfa().size_in_bytes()
    }

    /// The tables of the empty language: only the dead state.
    fn empty() -> Self {
        DfaTables { classes: [0; 256], stride_shift: 0, transitions: vec![0], start: 0, accepting: vec![0] }
    }
}

/// Limits on what one policy's regexes may cost, checked per entry and for the combined DFA.
///
/// Determinization can blow up exponentially (`(a|b)*a(a|b){30}` needs 2³¹ states); the
/// limits make such a pattern fail fast with `CORS049` instead of hanging or exhausting memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Longest pattern accepted, in bytes.
    pub max_pattern_len: usize,
    /// Most DFA states (rows, the dead state included) in one emitted DFA; the unminimized DFA
    /// may have up to four times as many.
    pub max_states: usize,
    /// Most bytes of emitted tables for one DFA; also bounds the intermediate automata
    /// (at most four times this much each for the NFA, the determinizer and the unminimized DFA).
    pub max_table_bytes: usize,
    /// Most regex entries in one policy, so that the work of checking them all is bounded
    /// whatever the file's size.
    pub max_entries: usize,
}

impl Default for Limits {
    /// 1024-byte patterns, 2 000 states, 1 MiB of tables, 64 entries. An origin regex needs a
    /// few dozen states (50 preview-deployment patterns together need 32).
    fn default() -> Self {
        Limits { max_pattern_len: 1024, max_states: 2_000, max_table_bytes: 1 << 20, max_entries: 64 }
    }
}

/// Checks every regex entry and, if none has an error, builds the single combined DFA.
///
/// Each entry is parsed, compiled and analysed on its own, so every diagnostic carries the span
/// of the entry it is about. When no diagnostic is an error, the union of all entries is compiled
/// into one DFA and returned; the union is subject to the same [`Limits`], and exceeding them is
/// reported as `CORS049` on the first entry. With no entries, the tables of the empty language
/// are returned. All diagnostics found are returned either way; this function never panics on
/// user input.
pub fn compile(entries: &[Spanned<String>], limits: &Limits) -> (Option<DfaTables>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    if let Some(extra) = entries.get(limits.max_entries) {
        let message = format!(
            "this policy has {} regex origins, over the limit of {}; each costs an automaton \
             construction at build time",
            entries.len(),
            limits.max_entries
        );
        diagnostics.push(Diagnostic::error(Check::InvalidRegex, extra.span, message).with_help(
            "merge them into fewer regexes, or list exact origins and `*.` patterns, which cost nothing",
        ));
        return (None, diagnostics);
    }
    let mut hirs = Vec::new();
    for entry in entries {
        if let Some(hir) = check_entry(&entry.value, entry.span, limits, &mut diagnostics) {
            hirs.push(hir);
        }
    }
    if has_errors(&diagnostics) {
        return (None, diagnostics);
    }
    let Some(first) = entries.first() else {
        return (Some(DfaTables::empty()), diagnostics);
    };
    match build(&Hir::alternation(hirs), limits) {
        Ok(tables) => (Some(tables), diagnostics),
        Err(failure) => {
            let message = format!(
                "the {} regex origins of this policy together compile to an automaton that is too \
                 large: {}",
                entries.len(),
                failure
            );
            diagnostics.push(
                Diagnostic::error(Check::InvalidRegex, first.span, message)
                    .with_help("use fewer or simpler regexes; exact origins and `*.` patterns cost nothing"),
            );
            (None, diagnostics)
        }
    }
}

/// Runs every check on one entry; returns its anchored HIR unless it cannot be compiled.
fn check_entry(pattern: &str, span: Span, limits: &Limits, out: &mut Vec<Diagnostic>) -> Option<Hir> {
    let invalid = |message: String, help: &str| {
        Diagnostic::error(Check::InvalidRegex, span, message).with_help(help.to_owned())
    };
    if pattern.len() > limits.max_pattern_len {
        out.push(invalid(
            format!(
                "regex is {} bytes long, over the limit of {} bytes",
                pattern.len(),
                limits.max_pattern_len
            ),
            "split it into several shorter regexes, or list exact origins instead",
        ));
        return None;
    }
    let (ast, hir) = match parse(pattern) {
        Ok(parsed) => parsed,
        Err(message) => {
            out.push(invalid(
                format!("regex `{pattern}` does not parse: {message}"),
                "fix the syntax; patterns use the `regex` crate syntax, matched byte-wise",
            ));
            return None;
        }
    };
    let hir = anchored(hir);
    let tables = match build(&hir, limits) {
        Ok(tables) => tables,
        Err(failure) => {
            out.push(invalid(
                format!("regex `{pattern}` cannot be compiled to a constant-time matcher: {}", failure),
                "avoid nested or counted repetitions of alternatives; spell out the hosts you mean",
            ));
            return None;
        }
    };
    let graph = Graph::new(&tables, false);
    if tables.start == 0 {
        out.push(invalid(
            format!("regex `{pattern}` matches nothing at all, so it can never allow an origin"),
            "write the origins it should match, e.g. `^https://app\\.example\\.com$`",
        ));
        return None;
    }
    let shape = graph.shape();
    if !shape.origin {
        let (example, why) = match &shape.witness {
            Some(witness) => (show(&witness.example), not_origin_reason(witness)),
            None => (show(&graph.shortest()), "it does not start with `scheme://`".to_owned()),
        };
        out.push(invalid(
            format!(
                "regex `{pattern}` can never match an `Origin` header: nothing it matches has the form \
                 `scheme://host[:port]` (lowercase, no path; the regex is always anchored at both \
                 ends); for example it matches `{example}`, but {why}"
            ),
            "write the whole origin as browsers send it, e.g. `^https://([a-z0-9-]+\\.)?example\\.com$`",
        ));
        return None;
    }

    let shortest = graph.shortest();
    if shortest.len() > cors_policy_core::MAX_ORIGIN_LEN {
        out.push(invalid(
            format!(
                "every origin regex `{pattern}` matches is longer than {} bytes, the most the runtime \
                 reads of an `Origin` header (a 253-byte host with a 64-byte scheme and a port)",
                cors_policy_core::MAX_ORIGIN_LEN
            ),
            "shorten the hosts it matches",
        ));
        return None;
    }
    // The shortest match spells digits as `0`; a `[0-9]{4}` port is fine if `1111` matches too.
    let port_start =
        shortest.iter().rposition(|&b| b == b':').filter(|&i| shortest.get(i + 1) != Some(&b'/'));
    let ones: Vec<u8> = shortest
        .iter()
        .enumerate()
        .map(|(i, &b)| if b == b'0' && port_start.is_some_and(|p| i > p) { b'1' } else { b })
        .collect();
    let serializable = |s: &[u8]| cors_policy_core::OriginParts::parse(s).is_some();
    let browsers_send = serializable(&shortest) || (tables.dfa().is_match(&ones) && serializable(&ones));
    let unserializable = (!browsers_send).then(|| {
        invalid(
            format!(
                "regex `{pattern}` matches `{}`, which browsers never send: ports are 1 to 65535 \
                 without leading zeros, hosts are lowercase",
                show(&shortest)
            ),
            "write the origins as browsers serialize them",
        )
    });

    let accepts = |s: &str| tables.dfa().is_match(s.as_bytes());
    let any_origin = ANY_ORIGIN_PROBES.iter().find(|p| accepts(p));
    if let Some(probe) = any_origin {
        out.push(
            Diagnostic::error(
                Check::ReflectAnyOrigin,
                span,
                format!(
                    "regex `{pattern}` matches `{probe}`: it accepts arbitrary unrelated origins, \
                     which is equivalent to reflecting any origin"
                ),
            )
            .with_help("match only hosts you control, e.g. `^https://([a-z0-9-]+\\.)?example\\.com$`"),
        );
    }

    let dots = bare_dots(&ast);
    let hits = probe_samples(&graph, &dots, explicit_port(pattern, &ast));
    let diagnostic = if let Some(Hit { probe, .. }) = &hits.dot {
        let owner = site(probe.split_once("://").map_or(probe.as_str(), |(_, rest)| rest));
        Diagnostic::error(
            Check::RegexUnescapedDot,
            span,
            format!(
                "regex `{pattern}` also matches `{probe}`: an unescaped `.` matches any character, \
                 and anyone can register {owner}"
            ),
        )
        .with_help(format!("escape the dot: `{}`", escape_dots(pattern, &dots)))
    } else if let Some(witness) = shape.witness {
        loose_host(pattern, span, &witness)
    } else if let Some(hit) = hits.other.as_ref().filter(|_| any_origin.is_none()) {
        over_match(pattern, span, hit)
    } else if let Some(diagnostic) = unserializable.filter(|_| any_origin.is_none()) {
        diagnostic
    } else {
        return Some(hir);
    };
    out.push(diagnostic);
    Some(hir)
}

/// Probes that only a regex accepting arbitrary origins matches (`CORS002`).
const ANY_ORIGIN_PROBES: &[&str] = &[
    "https://attacker.invalid",
    "http://attacker.invalid",
    "https://a.b.c.attacker.invalid",
    "https://attacker.com",
];

/// Parses byte-wise: `.`, `\d`, `\w` and negated classes are ASCII or byte classes.
fn parse(pattern: &str) -> Result<(Ast, Hir), String> {
    let ast = ast::parse::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| format!("{} (at byte {})", e.kind(), e.span().start.offset))?;
    let hir = hir::translate::TranslatorBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .translate(pattern, &ast)
        .map_err(|e| format!("{} (at byte {})", e.kind(), e.span().start.offset))?;
    Ok((ast, hir))
}

/// `\A(?:hir)\z`, built on the HIR so that flags or comments in the pattern cannot undo it.
fn anchored(hir: Hir) -> Hir {
    Hir::concat(vec![Hir::look(Look::Start), hir, Hir::look(Look::End)])
}

/// Compiles an anchored HIR to minimal tables within `limits`; the error says why it cannot be.
fn build(hir: &Hir, limits: &Limits) -> Result<DfaTables, String> {
    let budget = limits.max_table_bytes.saturating_mul(4);
    let too_large = |what: &str| {
        format!(
            "its {what} is too large (limits: {} states, {} bytes of tables)",
            limits.max_states, limits.max_table_bytes
        )
    };
    let nfa = thompson::Compiler::new()
        .configure(thompson::Config::new().which_captures(WhichCaptures::None).nfa_size_limit(Some(budget)))
        .build_from_hir(hir)
        .map_err(|e| match e.size_limit() {
            Some(_) => too_large("NFA"),
            None => e.to_string(),
        })?;
    // The dense DFA spends `stride * 4` bytes per state; allow four times `max_states` before
    // minimization, so that a blow-up stops after tens of thousands of states, not millions.
    let stride = nfa.byte_classes().alphabet_len().next_power_of_two();
    let dfa_budget = limits.max_states.saturating_mul(stride * 16).min(budget);
    let dfa = dense::Builder::new()
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Anchored)
                .match_kind(MatchKind::All)
                .minimize(false)
                .accelerate(false)
                .dfa_size_limit(Some(dfa_budget))
                .determinize_size_limit(Some(budget)),
        )
        .build_from_nfa(&nfa)
        .map_err(|e| if e.is_size_limit_exceeded() { too_large("DFA") } else { e.to_string() })?;
    let tables = encode(&dfa)?;
    if tables.states() > limits.max_states || tables.size_in_bytes() > limits.max_table_bytes {
        return Err(format!(
            "its DFA has {} states and {} bytes of tables (limits: {} states, {} bytes)",
            tables.states(),
            tables.size_in_bytes(),
            limits.max_states,
            limits.max_table_bytes
        ));
    }
    Ok(tables)
}

/// Re-encodes the states reachable from the anchored start into minimal [`DfaTables`].
///
/// regex-automata reports a match one transition late, so a state accepts iff its end-of-input
/// transition leads to a match state. Dead and quit states (there are no quit bytes in this
/// configuration) and states that cannot reach acceptance all become row 0; the rest is
/// minimized (Hopcroft), and byte classes that behave alike on the remaining rows are merged.
fn encode(dfa: &dense::DFA<Vec<u32>>) -> Result<DfaTables, String> {
    const DEAD: usize = usize::MAX;
    let byte_classes = dfa.byte_classes();
    let n_classes = (byte_classes.alphabet_len() - 1).max(1); // the last class is end-of-input
    let reps: Vec<u8> = (0..n_classes)
        .map(|c| (0..=255u8).find(|&b| usize::from(byte_classes.get(b)) == c).unwrap_or(0))
        .collect();
    let start = dfa.start_state(&start::Config::new().anchored(Anchored::Yes)).map_err(|e| e.to_string())?;

    // Explore: `order[i]` is a raw state, `next[i * n_classes + c]` its successor index.
    let mut ids: HashMap<StateID, usize> = HashMap::new();
    let mut order = Vec::new();
    let mut next = Vec::new();
    let is_dead = |s: StateID| dfa.is_dead_state(s) || dfa.is_quit_state(s);
    if !is_dead(start) {
        ids.insert(start, 0);
        order.push(start);
    }
    let mut i = 0;
    while let Some(&state) = order.get(i) {
        for &b in &reps {
            let target = dfa.next_state(state, b);
            next.push(if is_dead(target) {
                DEAD
            } else {
                *ids.entry(target).or_insert_with(|| {
                    order.push(target);
                    order.len() - 1
                })
            });
        }
        i += 1;
    }
    let accepting: Vec<bool> = order.iter().map(|&s| dfa.is_match_state(dfa.next_eoi_state(s))).collect();

    // Keep only states that can still reach acceptance; row 0 is dead, the start is row 1.
    let mut reverse = vec![Vec::new(); order.len()];
    for (from, row) in next.chunks(n_classes).enumerate() {
        for &to in row.iter().filter(|&&to| to != DEAD) {
            reverse[to].push(from);
        }
    }
    let mut live = accepting.clone();
    let mut queue: VecDeque<usize> = (0..order.len()).filter(|&s| live[s]).collect();
    while let Some(s) = queue.pop_front() {
        for &p in &reverse[s] {
            if !live[p] {
                live[p] = true;
                queue.push_back(p);
            }
        }
    }
    let mut row_of = vec![0usize; order.len()];
    let mut live_states = Vec::new();
    for s in (0..order.len()).filter(|&s| live[s]) {
        live_states.push(s);
        row_of[s] = live_states.len();
    }
    let rows = live_states.len() + 1;
    let mut trimmed = vec![0usize; rows * n_classes];
    let mut trimmed_accepting = vec![false; rows];
    for &s in &live_states {
        let row = row_of[s];
        for c in 0..n_classes {
            let t = next[s * n_classes + c];
            trimmed[row * n_classes + c] = if t == DEAD { 0 } else { row_of[t] };
        }
        trimmed_accepting[row] = accepting[s];
    }

    // Minimize, numbering blocks so that the dead state stays 0 and the start, if live, is 1.
    let block_of = hopcroft(rows, n_classes, &trimmed, &trimmed_accepting);
    let mut number = vec![usize::MAX; rows];
    let mut representative = Vec::new();
    for row in 0..rows {
        if number[block_of[row]] == usize::MAX {
            number[block_of[row]] = representative.len();
            representative.push(row);
        }
    }
    let state = |row: usize| number[block_of[row]];

    // Merge classes with identical columns.
    let mut column_ids: HashMap<Vec<usize>, usize> = HashMap::new();
    let mut merged_reps = Vec::new(); // old class standing for each new class
    let mut new_of_old = Vec::with_capacity(n_classes);
    for c in 0..n_classes {
        let column: Vec<usize> = representative.iter().map(|&r| state(trimmed[r * n_classes + c])).collect();
        let id = *column_ids.entry(column).or_insert_with(|| {
            merged_reps.push(c);
            merged_reps.len() - 1
        });
        new_of_old.push(id);
    }
    let shift = merged_reps.len().next_power_of_two().trailing_zeros();
    let mut classes = [0u8; 256];
    for (b, class) in (0..=255u8).zip(classes.iter_mut()) {
        let old = usize::from(byte_classes.get(b));
        *class = new_of_old.get(old).and_then(|&c| u8::try_from(c).ok()).ok_or("too many byte classes")?;
    }
    let premultiply = |row: usize| u32::try_from(row << shift).map_err(|_| "too many states".to_owned());
    let mut transitions = vec![0u32; representative.len() << shift];
    let mut accept_bits = vec![0u64; representative.len().div_ceil(64)];
    for (new, &row) in representative.iter().enumerate() {
        for (j, &c) in merged_reps.iter().enumerate() {
            transitions[(new << shift) + j] = premultiply(state(trimmed[row * n_classes + c]))?;
        }
        if trimmed_accepting[row] {
            accept_bits[new / 64] |= 1 << (new % 64);
        }
    }
    let start = if rows > 1 { premultiply(state(1))? } else { 0 };
    Ok(DfaTables { classes, stride_shift: shift, transitions, start, accepting: accept_bits })
}

/// Hopcroft's partition refinement on a complete DFA given as `next[state * k + class]`:
/// returns the block (equivalence class) of each state. O(k·n·log n).
fn hopcroft(n: usize, k: usize, next: &[usize], accepting: &[bool]) -> Vec<usize> {
    // Predecessors by (class, target), in CSR form.
    let mut offsets = vec![0usize; k * n + 1];
    for s in 0..n {
        for c in 0..k {
            offsets[c * n + next[s * k + c] + 1] += 1;
        }
    }
    for i in 1..offsets.len() {
        offsets[i] += offsets[i - 1];
    }
    let mut fill = offsets.clone();
    let mut sources = vec![0usize; k * n];
    for s in 0..n {
        for c in 0..k {
            let key = c * n + next[s * k + c];
            sources[fill[key]] = s;
            fill[key] += 1;
        }
    }

    let mut block_of: Vec<usize> = accepting.iter().map(|&a| usize::from(a)).collect();
    let mut blocks: Vec<Vec<usize>> = vec![Vec::new(), Vec::new()];
    let mut position = vec![0usize; n];
    for s in 0..n {
        position[s] = blocks[block_of[s]].len();
        blocks[block_of[s]].push(s);
    }
    let mut in_work = vec![true, true];
    let mut work = vec![0, 1];
    let (mut marked, mut count, mut split_into) = (vec![false; n], vec![0usize; 2], vec![usize::MAX; 2]);
    while let Some(b) = work.pop() {
        in_work[b] = false;
        let splitter = blocks[b].clone();
        for c in 0..k {
            let mut hit = Vec::new();
            for &t in &splitter {
                for &s in &sources[offsets[c * n + t]..offsets[c * n + t + 1]] {
                    if !marked[s] {
                        marked[s] = true;
                        hit.push(s);
                    }
                }
            }
            let mut touched = Vec::new();
            for &s in &hit {
                let bl = block_of[s];
                if count[bl] == 0 {
                    touched.push(bl);
                }
                count[bl] += 1;
            }
            for &bl in &touched {
                if count[bl] < blocks[bl].len() {
                    split_into[bl] = blocks.len();
                    blocks.push(Vec::new());
                    in_work.push(false);
                    count.push(0);
                    split_into.push(usize::MAX);
                }
            }
            for &s in &hit {
                marked[s] = false;
                let bl = block_of[s];
                let nb = split_into[bl];
                if nb == usize::MAX {
                    continue;
                }
                // Move `s` from `bl` to `nb`.
                let at = position[s];
                blocks[bl].swap_remove(at);
                if let Some(&moved) = blocks[bl].get(at) {
                    position[moved] = at;
                }
                position[s] = blocks[nb].len();
                blocks[nb].push(s);
                block_of[s] = nb;
            }
            for &bl in &touched {
                count[bl] = 0;
                let nb = std::mem::replace(&mut split_into[bl], usize::MAX);
                if nb == usize::MAX {
                    continue;
                }
                let add = if in_work[bl] || blocks[nb].len() <= blocks[bl].len() { nb } else { bl };
                if !in_work[add] {
                    in_work[add] = true;
                    work.push(add);
                }
            }
        }
    }
    block_of
}

/// Preference of a byte when a path must pick one: lowercase, digits, then `.-:/`, then the rest;
/// with `dot_first`, `.` comes first, so that `api.example.com` is sampled as the user wrote it
/// even where an unescaped `.` puts the dot in one class with every letter.
fn rank(b: u8, dot_first: bool) -> (u8, u8) {
    let tier = match b {
        b'.' if dot_first => 0,
        b'a'..=b'z' => 1,
        b'0'..=b'9' => 2,
        b'.' => 3,
        b'-' => 4,
        b':' => 5,
        b'/' => 6,
        0x21..=0x7e => 7,
        _ => 8,
    };
    (tier, b)
}

/// Preference of a byte to show as the offending one in `CORS011`: the most telling first.
fn bad_rank(b: u8) -> (u8, u8) {
    let tier = match b {
        b'_' => 0,
        b'/' => 1,
        b'@' => 2,
        b'A'..=b'Z' => 4,
        0x21..=0x7e => 3,
        b' ' => 5,
        0x80..=0xff => 6,
        _ => 7,
    };
    (tier, b)
}

/// Where a string stands in `scheme://host[:port]`, for [`Graph::shape`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Start,
    Scheme,
    Colon,
    Slash,
    Slashes,
    Host,
}

impl Phase {
    const ALL: [Phase; 6] =
        [Phase::Start, Phase::Scheme, Phase::Colon, Phase::Slash, Phase::Slashes, Phase::Host];

    /// The phase after `b`, or `None` if no serialized origin has `b` here.
    fn step(self, b: u8) -> Option<Phase> {
        let scheme_byte = b.is_ascii_lowercase() || b.is_ascii_digit() || b"+.-".contains(&b);
        let host_byte = b.is_ascii_lowercase() || b.is_ascii_digit() || b".-:[]".contains(&b);
        match self {
            Phase::Start if b.is_ascii_lowercase() => Some(Phase::Scheme),
            Phase::Scheme if scheme_byte => Some(Phase::Scheme),
            Phase::Scheme if b == b':' => Some(Phase::Colon),
            Phase::Colon if b == b'/' => Some(Phase::Slash),
            Phase::Slash if b == b'/' => Some(Phase::Slashes),
            Phase::Slashes | Phase::Host if host_byte => Some(Phase::Host),
            _ => None,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// An accepted string that is no serialized origin (`CORS011`).
struct Witness {
    example: Vec<u8>,
    /// The first byte no origin has at its position, or `None` when the string stops short.
    byte: Option<u8>,
    phase: Phase,
}

/// What [`Graph::shape`] found.
struct Shape {
    /// Some accepted string has the form of an origin.
    origin: bool,
    /// A shortest accepted string that has not.
    witness: Option<Witness>,
}

/// Read-only analysis of [`DfaTables`] by row index.
struct Graph<'a> {
    tables: &'a DfaTables,
    rows: usize,
    /// Bytes of each class, preferred first.
    members: Vec<Vec<u8>>,
    /// `(representative, class)`, best representative first.
    order: Vec<(u8, usize)>,
    /// Length of the shortest accepted suffix from each row (`usize::MAX` for row 0).
    distance: Vec<usize>,
}

impl<'a> Graph<'a> {
    /// Analysis of `tables`; `dot_first` picks `.` as the representative of its class (see [`rank`]).
    fn new(tables: &'a DfaTables, dot_first: bool) -> Self {
        let stride = 1usize << tables.stride_shift;
        let mut members = vec![Vec::new(); stride];
        for b in 0..=255u8 {
            if let Some(m) = members.get_mut(usize::from(tables.classes[usize::from(b)])) {
                m.push(b);
            }
        }
        for m in &mut members {
            m.sort_by_key(|&b| rank(b, dot_first));
        }
        let mut order: Vec<(u8, usize)> = members
            .iter()
            .enumerate()
            .filter_map(|(c, m)| m.iter().copied().min_by_key(|&b| rank(b, dot_first)).map(|b| (b, c)))
            .collect();
        order.sort_by_key(|&(b, _)| rank(b, dot_first));
        let mut graph = Graph { tables, rows: tables.states(), members, order, distance: Vec::new() };
        graph.distance = graph.distances();
        graph
    }

    fn next(&self, row: usize, class: usize) -> usize {
        let shift = self.tables.stride_shift;
        self.tables.transitions.get((row << shift) + class).map_or(0, |&t| (t >> shift) as usize)
    }

    fn step(&self, row: usize, byte: u8) -> usize {
        self.next(row, usize::from(self.tables.classes[usize::from(byte)]))
    }

    fn accepting(&self, row: usize) -> bool {
        self.tables.accepting.get(row / 64).is_some_and(|w| w & (1 << (row % 64)) != 0)
    }

    fn start(&self) -> usize {
        (self.tables.start >> self.tables.stride_shift) as usize
    }

    /// Shortest distance from each row to acceptance, by reverse BFS.
    fn distances(&self) -> Vec<usize> {
        let mut reverse = vec![Vec::new(); self.rows];
        for row in 1..self.rows {
            for &(_, c) in &self.order {
                let t = self.next(row, c);
                if t != 0 {
                    reverse[t].push(row);
                }
            }
        }
        let mut distance = vec![usize::MAX; self.rows];
        let mut queue = VecDeque::new();
        for row in (1..self.rows).filter(|&r| self.accepting(r)) {
            distance[row] = 0;
            queue.push_back(row);
        }
        while let Some(row) = queue.pop_front() {
            for &p in &reverse[row] {
                if distance[p] == usize::MAX {
                    distance[p] = distance[row] + 1;
                    queue.push_back(p);
                }
            }
        }
        distance
    }

    /// The shortest accepted suffix from `row`, with preferred bytes; empty if none.
    fn suffix(&self, mut row: usize) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some(&d) = self.distance.get(row).filter(|&&d| d != 0 && d != usize::MAX) {
            let step = self.order.iter().find_map(|&(b, c)| {
                let t = self.next(row, c);
                (self.distance.get(t) == Some(&(d - 1))).then_some((b, t))
            });
            let Some((b, t)) = step else { break };
            out.push(b);
            row = t;
        }
        out
    }

    /// The shortest accepted string (preferred bytes on ties).
    fn shortest(&self) -> Vec<u8> {
        self.suffix(self.start())
    }

    /// Explores the product of the DFA with the shape of a serialized origin: finds whether some
    /// accepted string is origin-shaped, and a shortest accepted string that is not. Every row
    /// but 0 is co-reachable, so any transition to a nonzero row extends to an accepted string:
    /// the answer is exact, not sampled.
    fn shape(&self) -> Shape {
        let n = Phase::ALL.len();
        let key = |row: usize, phase: Phase| row * n + phase.index();
        let mut parent: Vec<Option<(usize, u8)>> = vec![None; self.rows * n];
        let mut seen = vec![false; self.rows * n];
        let mut queue = VecDeque::new();
        let start = self.start();
        if start == 0 {
            return Shape { origin: false, witness: None };
        }
        seen[key(start, Phase::Start)] = true;
        queue.push_back((start, Phase::Start));
        let mut origin = false;
        let mut witness = None;
        let mut incomplete = None;
        let path = |mut k: usize, parent: &[Option<(usize, u8)>]| {
            let mut bytes = Vec::new();
            while let Some((p, b)) = parent[k] {
                bytes.push(b);
                k = p;
            }
            bytes.reverse();
            bytes
        };
        while let Some((row, phase)) = queue.pop_front() {
            let here = key(row, phase);
            if self.accepting(row) {
                if phase == Phase::Host {
                    origin = true;
                } else if incomplete.is_none() {
                    incomplete = Some(Witness { example: path(here, &parent), byte: None, phase });
                }
            }
            let mut offending: Option<(u8, usize)> = None;
            for &(_, c) in &self.order {
                let t = self.next(row, c);
                if t == 0 {
                    continue;
                }
                for &b in &self.members[c] {
                    match phase.step(b) {
                        Some(p) => {
                            let k = key(t, p);
                            if !seen[k] {
                                seen[k] = true;
                                parent[k] = Some((here, b));
                                queue.push_back((t, p));
                            }
                        }
                        None => {
                            if offending.is_none_or(|(o, _)| bad_rank(b) < bad_rank(o)) {
                                offending = Some((b, t));
                            }
                        }
                    }
                }
            }
            if let (None, Some((b, t))) = (&witness, offending) {
                let mut example = path(here, &parent);
                example.push(b);
                example.extend(self.suffix(t));
                witness = Some(Witness { example, byte: Some(b), phase });
            }
        }
        Shape { origin, witness: witness.or(incomplete) }
    }

    /// The schemes the pattern spells out, or `None` when it admits an open set (a class or a
    /// loop in scheme position, or more than a handful).
    fn schemes(&self) -> Option<Vec<Vec<u8>>> {
        const MAX_SCHEMES: usize = 8;
        const MAX_LEN: usize = 16;
        const BUDGET: usize = 512;
        let mut found = Vec::new();
        let mut stack = vec![(self.start(), Vec::new())];
        let mut visited = 0;
        while let Some((row, word)) = stack.pop() {
            visited += 1;
            if visited > BUDGET || word.len() > MAX_LEN || found.len() > MAX_SCHEMES {
                return None;
            }
            if !word.is_empty()
                && b"://".iter().try_fold(row, |r, &b| Some(self.step(r, b)).filter(|&t| t != 0)).is_some()
            {
                found.push(word.clone());
            }
            for b in (b'a'..=b'z').chain(b'0'..=b'9').chain(*b"+.-") {
                if word.is_empty() && !b.is_ascii_lowercase() {
                    continue;
                }
                let t = self.step(row, b);
                if t != 0 {
                    let mut w = word.clone();
                    w.push(b);
                    stack.push((t, w));
                }
            }
        }
        Some(found)
    }

    /// Sample accepted strings covering every transition: for each reachable row and class, the
    /// shortest path to the row, the class's preferred byte, and the shortest way to acceptance.
    fn samples(&self, cap: usize) -> Vec<Vec<u8>> {
        let start = self.start();
        let mut out = vec![self.shortest()];
        let mut seen: HashSet<Vec<u8>> = out.iter().cloned().collect();
        let mut prefix: Vec<Option<Vec<u8>>> = vec![None; self.rows];
        let Some(slot) = prefix.get_mut(start).filter(|_| start != 0) else {
            return Vec::new();
        };
        *slot = Some(Vec::new());
        let mut queue = VecDeque::from([start]);
        while let Some(row) = queue.pop_front().filter(|_| out.len() < cap) {
            let here = prefix[row].clone().unwrap_or_default();
            for &(b, c) in &self.order {
                let t = self.next(row, c);
                if t == 0 {
                    continue;
                }
                let mut to_t = here.clone();
                to_t.push(b);
                if prefix[t].is_none() {
                    prefix[t] = Some(to_t.clone());
                    queue.push_back(t);
                }
                to_t.extend(self.suffix(t));
                if seen.insert(to_t.clone()) {
                    out.push(to_t);
                }
            }
        }
        out
    }
}

/// A serialized origin split into its parts.
struct Origin<'a> {
    scheme: &'a str,
    host: &'a str,
    port: Option<&'a str>,
}

impl<'a> Origin<'a> {
    /// Parses `scheme://host[:port]` in lowercase ASCII; `None` for anything else.
    fn parse(s: &'a [u8]) -> Option<Self> {
        let s = std::str::from_utf8(s).ok()?;
        let (scheme, rest) = s.split_once("://")?;
        let mut bytes = scheme.bytes();
        if !bytes.next()?.is_ascii_lowercase()
            || !bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+.-".contains(&b))
        {
            return None;
        }
        let (host, port) = match rest.strip_prefix('[') {
            Some(inner) => {
                let end = inner.find(']')? + 2;
                (rest.get(..end)?, rest.get(end..)?)
            }
            None => rest.rfind(':').map_or((rest, ""), |i| (&rest[..i], &rest[i..])),
        };
        let valid_host = if host.starts_with('[') {
            host.bytes().all(|b| (b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) || b"[]:.".contains(&b))
        } else {
            !host.starts_with('.')
                && !host.contains("..")
                && host.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-".contains(&b))
        };
        let port = match port.strip_prefix(':') {
            None if port.is_empty() => None,
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => Some(p),
            _ => return None,
        };
        valid_host.then_some(Origin { scheme, host, port })
    }

    fn with(&self, scheme: &str, host: &str, port: Option<&str>) -> String {
        match port {
            Some(p) => format!("{scheme}://{host}:{p}"),
            None => format!("{scheme}://{host}"),
        }
    }

    fn is_ip(&self) -> bool {
        self.host.starts_with('[') || self.host.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    }
}

/// The registrable domain (eTLD+1) of a host, or the host itself when it has none.
fn site(host: &str) -> &str {
    psl::domain_str(host).unwrap_or(host)
}

/// What a probe changed, for the wording of the diagnostic.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ProbeKind {
    /// `evil` glued before the registrable label.
    Suffix,
    /// Text appended after the host.
    Prefix,
    /// Another public suffix.
    Tld,
    /// A `.` of the host replaced by a letter.
    Dot,
    /// A port the sample did not have.
    Port,
    /// Another scheme.
    Scheme,
}

/// A probe the pattern accepted.
struct Hit {
    probe: String,
    kind: ProbeKind,
    /// The accepted sample the probe was derived from.
    sample: String,
}

/// First accepted probes: a dot replacement, and any other over-match.
#[derive(Default)]
struct Hits {
    dot: Option<Hit>,
    other: Option<Hit>,
}

/// Tests probes derived from sample strings the pattern accepts (`CORS009`, `CORS010`).
///
/// Samples cover every transition of the DFA (see [`Graph::samples`]); those that parse as
/// `scheme://host[:port]` yield these probes, each counted only if accepted:
///
/// * `evil` glued before the registrable label (`evilexample.com`, `evilxample.com`, ...,
///   `evil.com`), the host's other labels kept;
/// * `.evil.net` and `evil.net` appended to the host; the public suffix swapped for `evil`;
/// * each `.` of the host replaced by `x`, one at a time.
///
///   These count only when the registrable domain (public suffix list) of the probe differs from
///   the sample's: `evila.example.com` for `[a-z]+\.example\.com` is a subdomain the user chose
///   to allow, not an attack. IP hosts get only the appended-text probes.
/// * `:1` and `:65535` when the sample has no port, unless the pattern has a literal `:` other
///   than the one of `://` (a port written on purpose, such as `(:[0-9]+)?` or `(:8080)?`);
/// * `http`, `https`, `ws`, `wss` for the scheme, unless the pattern spells out a small finite
///   set of schemes (`https?`, `(http|https)`), which is taken as intended.
///
/// Known limits: a probe is a guess, so an over-match that none of these shapes exercises
/// (for instance a loose class deep inside a label that keeps the registrable domain) is missed;
/// a pattern that deliberately allows any port via a character class (`[0-9:]`) gets `CORS009`.
fn probe_samples(graph: &Graph<'_>, dots: &[usize], explicit_port: bool) -> Hits {
    const SAMPLES: usize = 1024;
    let accepts = |s: &str| graph.tables.dfa().is_match(s.as_bytes());
    let open_schemes = graph.schemes().is_none();
    let mut hits = Hits::default();
    let mut samples = Graph::new(graph.tables, true).samples(SAMPLES / 2);
    samples.extend(graph.samples(SAMPLES / 2));
    for sample in samples {
        let Some(origin) = Origin::parse(&sample) else { continue };
        let (host, port, scheme) = (origin.host, origin.port, origin.scheme);
        let sample_site = site(host);
        let mut probes: Vec<(ProbeKind, String)> = Vec::new();
        if !origin.is_ip() {
            let site_start = host.len() - sample_site.len();
            let label = sample_site.find('.').unwrap_or(sample_site.len());
            for i in (0..=label).rev() {
                probes.push((ProbeKind::Suffix, format!("{}evil{}", &host[..site_start], &sample_site[i..])));
            }
            if let Some(suffix) = psl::suffix_str(host).filter(|s| s.len() < host.len()) {
                probes.push((ProbeKind::Tld, format!("{}evil", &host[..host.len() - suffix.len()])));
            }
            for (i, _) in host.match_indices('.') {
                probes.push((ProbeKind::Dot, format!("{}x{}", &host[..i], &host[i + 1..])));
            }
        }
        probes.push((ProbeKind::Prefix, format!("{host}.evil.net")));
        probes.push((ProbeKind::Prefix, format!("{host}evil.net")));
        for (kind, probe_host) in probes {
            let slot =
                if kind == ProbeKind::Dot && !dots.is_empty() { &mut hits.dot } else { &mut hits.other };
            if slot.is_some() || site(&probe_host) == sample_site {
                continue;
            }
            let probe = origin.with(scheme, &probe_host, port);
            if accepts(&probe) {
                *slot = Some(Hit { probe, kind, sample: String::from_utf8_lossy(&sample).into_owned() });
            }
        }
        if hits.other.is_none() {
            let ports: &[&str] = if port.is_none() && !explicit_port { &["1", "65535"] } else { &[] };
            let schemes: &[&str] = if open_schemes { &["http", "ws", "https", "wss"] } else { &[] };
            let candidates =
                ports.iter().map(|p| (ProbeKind::Port, origin.with(scheme, host, Some(p)))).chain(
                    schemes
                        .iter()
                        .filter(|&&s| s != scheme)
                        .map(|s| (ProbeKind::Scheme, origin.with(s, host, port))),
                );
            hits.other = candidates.into_iter().find(|(_, probe)| accepts(probe)).map(|(kind, probe)| Hit {
                probe,
                kind,
                sample: String::from_utf8_lossy(&sample).into_owned(),
            });
        }
        if hits.dot.is_some() && hits.other.is_some() {
            break;
        }
    }
    hits
}

/// `CORS009` for an accepted probe.
fn over_match(pattern: &str, span: Span, hit: &Hit) -> Diagnostic {
    let Hit { probe, kind, sample } = hit;
    let probe_host = probe.split_once("://").map_or(probe.as_str(), |(_, rest)| rest);
    let owner = site(probe_host.rsplit_once(':').map_or(probe_host, |(h, _)| h));
    let sample_host = sample.split_once("://").map_or(sample.as_str(), |(_, rest)| rest);
    let (why, help) = match kind {
        ProbeKind::Suffix => (
            format!(
                "nothing forces a label boundary (an escaped `.`) before the fixed part of the host, \
                 and anyone can register {owner}"
            ),
            "make the variable part whole labels ending in an escaped dot, e.g. \
             `^https://([a-z0-9-]+\\.)?example\\.com$`",
        ),
        ProbeKind::Prefix => (
            format!("the host may continue past `{sample_host}`, and anyone can register {owner}"),
            "end the pattern with the literal domain, e.g. `\\.example\\.com$`, with nothing variable after it",
        ),
        ProbeKind::Tld => (
            format!("the top-level domain is left open, and anyone can register {owner}"),
            "spell out the top-level domain, e.g. `\\.com$` or `\\.(com|org)$`",
        ),
        ProbeKind::Dot => (
            format!("a character class admits a letter where `{sample_host}` has a dot, and anyone can register {owner}"),
            "match the dot alone, as `\\.`",
        ),
        ProbeKind::Port => (
            format!(
                "`{sample}` matches with any port added, so any service on that host, on any port, \
                 is trusted too"
            ),
            "spell out the ports you mean, e.g. `(:8443)?`, or leave the port out",
        ),
        ProbeKind::Scheme => (
            "the scheme is left open instead of spelled out, so other schemes match too; anyone on \
             the network path can forge a plain-http origin"
                .to_owned(),
            "write the scheme literally, e.g. `^https://`, or list the ones you mean, e.g. `^(https|wss)://`",
        ),
    };
    Diagnostic::error(Check::RegexOverMatch, span, format!("regex `{pattern}` also matches `{probe}`: {why}"))
        .with_help(help)
}

/// `CORS011` for an accepted string that no browser sends.
fn loose_host(pattern: &str, span: Span, witness: &Witness) -> Diagnostic {
    let example = show(&witness.example);
    let why = not_origin_reason(witness);
    let help = match witness.byte {
        Some(b'/') => "an `Origin` header never has a path: drop everything after the host and port",
        Some(b'A'..=b'Z') => "write the host in lowercase: browsers lowercase hosts before sending them",
        _ => {
            "restrict every part to what origins contain, e.g. host labels as `[a-z0-9-]+` and dots as `\\.`"
        }
    };
    Diagnostic::error(
        Check::RegexLooseHost,
        span,
        format!("regex `{pattern}` matches `{example}`, which is not a serialized origin: {why}"),
    )
    .with_help(help)
}

/// Why the witness is no serialized origin, as a clause.
fn not_origin_reason(witness: &Witness) -> String {
    match (witness.byte, witness.phase) {
        (None, _) => "it stops before a complete `scheme://host`".to_owned(),
        (Some(b'/'), Phase::Host | Phase::Slashes) => {
            "it continues with `/`, a path, which no `Origin` header has".to_owned()
        }
        (Some(b @ b'A'..=b'Z'), Phase::Host | Phase::Slashes) => {
            format!("its host contains {}, and browsers send hosts in lowercase", show_byte(b))
        }
        (Some(b), Phase::Host | Phase::Slashes) => format!(
            "its host contains {}, which no serialized origin host contains (only lowercase \
             `a-z 0-9 . - : [ ]`); `.`, `\\w`, `.*` and negated classes such as `[^/]` admit such bytes",
            show_byte(b)
        ),
        (Some(b), Phase::Start) => {
            format!(
                "it starts with {}, and an origin starts with a lowercase scheme such as `https`",
                show_byte(b)
            )
        }
        (Some(b), _) => {
            format!("{} cannot appear there: an origin starts with a lowercase `scheme://`", show_byte(b))
        }
    }
}

/// `true` if the pattern writes a `:` that is not the one of `://`: a port on purpose.
fn explicit_port(pattern: &str, ast: &Ast) -> bool {
    let mut colons = Vec::new();
    visit(ast, &mut |node| {
        if let Ast::Literal(lit) = node {
            if lit.c == ':' {
                colons.push(lit.span.end.offset);
            }
        }
    });
    colons.into_iter().any(|end| {
        let after = pattern.get(end..).unwrap_or("");
        !(after.starts_with("//") || after.starts_with("\\/\\/"))
    })
}

/// Offsets of every `.` that stands for exactly one byte (not under `*`, `+` or `{n,}`).
fn bare_dots(ast: &Ast) -> Vec<usize> {
    fn walk(ast: &Ast, out: &mut Vec<usize>) {
        match ast {
            Ast::Dot(span) => out.push(span.start.offset),
            Ast::Repetition(rep) => {
                let at_most_once = matches!(
                    rep.op.kind,
                    RepetitionKind::ZeroOrOne
                        | RepetitionKind::Range(
                            RepetitionRange::Exactly(0 | 1) | RepetitionRange::Bounded(_, 0 | 1)
                        )
                );
                if at_most_once {
                    walk(&rep.ast, out);
                }
            }
            Ast::Group(group) => walk(&group.ast, out),
            Ast::Alternation(alt) => alt.asts.iter().for_each(|a| walk(a, out)),
            Ast::Concat(concat) => concat.asts.iter().for_each(|a| walk(a, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(ast, &mut out);
    out
}

/// Calls `f` on every node of the AST.
fn visit(ast: &Ast, f: &mut impl FnMut(&Ast)) {
    f(ast);
    match ast {
        Ast::Repetition(rep) => visit(&rep.ast, f),
        Ast::Group(group) => visit(&group.ast, f),
        Ast::Alternation(alt) => alt.asts.iter().for_each(|a| visit(a, f)),
        Ast::Concat(concat) => concat.asts.iter().for_each(|a| visit(a, f)),
        _ => {}
    }
}

/// The pattern with the given dots escaped.
fn escape_dots(pattern: &str, dots: &[usize]) -> String {
    let mut out = String::with_capacity(pattern.len() + dots.len());
    for (i, ch) in pattern.char_indices() {
        if dots.contains(&i) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// A byte string for a message: printable ASCII as is, other bytes as `\xNN`.
fn show(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| if (0x20..0x7f).contains(&b) { char::from(b).to_string() } else { format!("\\x{b:02x}") })
        .collect()
}

/// One byte for a message.
fn show_byte(b: u8) -> String {
    match b {
        b'A'..=b'Z' => format!("the uppercase letter `{}`", char::from(b)),
        0x21..=0x7e => format!("`{}`", char::from(b)),
        _ => format!("the byte 0x{b:02x}"),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::time::{Duration, Instant};

    use regex_syntax::hir::{Class, HirKind};

    use super::*;

    fn span() -> Span {
        Span::File { start: 0, end: 0, line: 1, column: 1 }
    }

    fn entries(patterns: &[&str]) -> Vec<Spanned<String>> {
        patterns.iter().map(|p| Spanned::new(p.to_string(), span())).collect()
    }

    fn check(pattern: &str) -> (Option<DfaTables>, Vec<Diagnostic>) {
        compile(&entries(&[pattern]), &Limits::default())
    }

    fn codes(pattern: &str) -> Vec<&'static str> {
        check(pattern).1.iter().map(|d| d.check.code()).collect()
    }

    /// Reference full-match semantics, straight on the HIR: the set of end positions reachable
    /// from `from`. Independent of regex-automata; exponential nowhere, quadratic at worst.
    fn ends(hir: &Hir, input: &[u8], from: &BTreeSet<usize>) -> BTreeSet<usize> {
        match hir.kind() {
            HirKind::Empty => from.clone(),
            HirKind::Literal(lit) => {
                from.iter().filter(|&&p| input[p..].starts_with(&lit.0)).map(|&p| p + lit.0.len()).collect()
            }
            HirKind::Class(Class::Bytes(class)) => from
                .iter()
                .filter(|&&p| {
                    input
                        .get(p)
                        .is_some_and(|&b| class.ranges().iter().any(|r| r.start() <= b && b <= r.end()))
                })
                .map(|&p| p + 1)
                .collect(),
            HirKind::Class(Class::Unicode(class)) => from
                .iter()
                .filter_map(|&p| {
                    (1..=4).find_map(|len| {
                        let c = std::str::from_utf8(input.get(p..p + len)?).ok()?.chars().next()?;
                        class.ranges().iter().any(|r| r.start() <= c && c <= r.end()).then_some(p + len)
                    })
                })
                .collect(),
            HirKind::Look(Look::Start) => from.iter().copied().filter(|&p| p == 0).collect(),
            HirKind::Look(Look::End) => from.iter().copied().filter(|&p| p == input.len()).collect(),
            HirKind::Look(look) => panic!("unsupported look-around {look:?}"),
            HirKind::Repetition(rep) => {
                let (mut result, mut current, mut k) = (BTreeSet::new(), from.clone(), 0);
                loop {
                    if k >= rep.min {
                        let before = result.len();
                        result.extend(current.iter().copied());
                        if k > rep.min && result.len() == before {
                            break;
                        }
                    }
                    if rep.max == Some(k) || current.is_empty() {
                        break;
                    }
                    current = ends(&rep.sub, input, &current);
                    k += 1;
                }
                result
            }
            HirKind::Capture(capture) => ends(&capture.sub, input, from),
            HirKind::Concat(subs) => subs.iter().fold(from.clone(), |at, sub| ends(sub, input, &at)),
            HirKind::Alternation(subs) => subs.iter().flat_map(|sub| ends(sub, input, from)).collect(),
        }
    }

    fn reference(pattern: &str, input: &[u8]) -> bool {
        let hir = anchored(parse(pattern).expect("pattern parses").1);
        ends(&hir, input, &BTreeSet::from([0])).contains(&input.len())
    }

    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Samples of the pattern and a few hundred mutations of them.
    fn inputs(tables: &DfaTables, rng: &mut Rng) -> Vec<Vec<u8>> {
        const EXTRA: &[u8] = b"az09.-:/_A[]~\n\x80\xff";
        let samples = Graph::new(tables, false).samples(64);
        let mut out = samples.clone();
        out.push(Vec::new());
        for _ in 0..400 {
            let mut s = samples.get(rng.below(samples.len().max(1))).cloned().unwrap_or_default();
            for _ in 0..=rng.below(3) {
                let byte = if rng.below(2) == 0 || s.is_empty() {
                    EXTRA[rng.below(EXTRA.len())]
                } else {
                    s[rng.below(s.len())]
                };
                let at = rng.below(s.len() + 1);
                match rng.below(3) {
                    0 => s.insert(at, byte),
                    1 if at < s.len() => {
                        s.remove(at);
                    }
                    _ if at < s.len() => s[at] = byte,
                    _ => s.push(byte),
                }
            }
            out.push(s);
        }
        out
    }

    #[test]
    fn tables_agree_with_reference_semantics() {
        let patterns = [
            r"^https://pr-[0-9]+\.preview\.example\.com$",
            r"^https://[a-z0-9-]+\.tenant\.example\.com$",
            r"^https://(app|admin)\.example\.com$",
            r"^http://localhost:(3000|8080)$",
            r"https://app\.example\.com",
            r"^https://api.example.com$",
            r"^https?://(www\.)?ex(am|em)ple\.(com|org)(:[0-9]{2,4})?$",
            r"(?i)^https://APP\.example\.com$",
            r"^https://[^.]+\.example\.com$",
            r"^https://(a|b)*a(a|b){3}\.com$",
            r".*\.example\.com",
            r"a+b*|",
            r"^$",
            r"[^\x00-\xff]",
        ];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for pattern in patterns {
            let hir = anchored(parse(pattern).expect("parses").1);
            let tables = build(&hir, &Limits::default()).unwrap_or_else(|e| panic!("{pattern}: {}", e));
            let nfa = thompson::Compiler::new().build_from_hir(&hir).expect("NFA");
            let minimal = dense::Builder::new()
                .configure(
                    dense::Config::new()
                        .start_kind(StartKind::Anchored)
                        .match_kind(MatchKind::All)
                        .minimize(true),
                )
                .build_from_nfa(&nfa)
                .expect("DFA");
            assert_eq!(
                tables.states(),
                encode(&minimal).expect("encodes").states(),
                "{pattern}: not minimal"
            );
            for input in inputs(&tables, &mut rng) {
                assert_eq!(
                    tables.dfa().is_match(&input),
                    reference(pattern, &input),
                    "pattern {pattern:?}, input {:?}",
                    show(&input)
                );
            }
        }
    }

    #[test]
    fn tables_are_trimmed_and_valid() {
        let tables = check(r"^https://(app|admin)\.example\.com$").0.expect("compiles");
        assert_ne!(tables.start, 0);
        assert_eq!(tables.transitions.len() % (1 << tables.stride_shift), 0);
        assert!(tables.transitions[..1 << tables.stride_shift].iter().all(|&t| t == 0), "row 0 is dead");
        assert!(tables.transitions.iter().all(|&t| (t as usize) < tables.transitions.len()));
        let dfa = tables.dfa();
        assert!(dfa.is_match(b"https://admin.example.com"));
        assert!(!dfa.is_match(b"https://admin.example.com/"));
        assert!(!dfa.is_match(b"https://adm.example.com"));

        let empty = build(&anchored(parse(r"[^\x00-\xff]").expect("parses").1), &Limits::default())
            .unwrap_or_else(|e| panic!("{}", e));
        assert_eq!(empty, DfaTables::empty());
        assert!(!empty.dfa().is_match(b""));
    }

    #[test]
    fn no_entries_is_the_empty_language() {
        let (tables, diagnostics) = compile(&[], &Limits::default());
        assert!(diagnostics.is_empty());
        let tables = tables.expect("valid tables");
        assert_eq!(tables.start, 0);
        assert!(!tables.dfa().is_match(b"") && !tables.dfa().is_match(b"https://a.com"));
    }

    #[test]
    fn legitimate_regexes_pass() {
        for pattern in [
            r"^https://pr-[0-9]+\.preview\.example\.com$",
            r"^https://[a-z0-9-]+\.tenant\.example\.com$",
            r"^https://(app|admin)\.example\.com$",
            r"^http://localhost:(3000|8080)$",
            r"https://app\.example\.com",
            r"^https://example\.com",
            r"^https?://app\.example\.com$",
            r"^(http|https)://app\.example\.com(:8080)?$",
            r"^https://([a-z0-9-]+\.)*example\.com$",
            r"^https://app\.example\.com(:[0-9]+)?$",
            r"^http://127\.0\.0\.1:[0-9]{4}$",
            r"^https://[a-z0-9-]+\.example\.co\.uk$",
        ] {
            let (tables, diagnostics) = check(pattern);
            assert!(diagnostics.is_empty(), "{pattern}: {diagnostics:#?}");
            assert!(tables.is_some(), "{pattern}");
        }
    }

    #[test]
    fn insecure_regexes_fail_with_the_right_code() {
        let cases: &[(&str, &[&str])] = &[
            (r"example\.com$", &["CORS049"]),
            (r".*\.example\.com", &["CORS011"]),
            (r"^https://api.example.com$", &["CORS010"]),
            (r"^https://(www.)?example\.com$", &["CORS010"]),
            (r"^https://.*example\.com$", &["CORS011"]),
            (r"^https://[^/]*\.example\.com$", &["CORS011"]),
            (r"^https://[a-z]+example\.com$", &["CORS009"]),
            (r"^https://example\.com[a-z.]*$", &["CORS009"]),
            (r"^https://example\.[a-z]+$", &["CORS009"]),
            (r"^https://app\.example\.com[:0-9]*$", &["CORS009"]),
            (r"^[a-z]+://app\.example\.com$", &["CORS009"]),
            (r"^https://app\.example\.com/.*$", &["CORS049"]),
            (r"^https://app\.example\.com(/.*)?$", &["CORS011"]),
            (r"^https://App\.example\.com$", &["CORS049"]),
            (r"^https://(App|app)\.example\.com$", &["CORS011"]),
            (r"^https://app\.example\.com|foo$", &["CORS011"]),
            (r"^https?://.*$", &["CORS002", "CORS011"]),
            (r"^https://[a-z0-9.-]+$", &["CORS002"]),
            (r"(a|b)*a(a|b){30}", &["CORS049"]),
            (r"https://(", &["CORS049"]),
            (r"[^\x00-\xff]", &["CORS049"]),
            (r"", &["CORS049"]),
        ];
        for (pattern, expected) in cases {
            let (tables, diagnostics) = check(pattern);
            let got: Vec<_> = diagnostics.iter().map(|d| d.check.code()).collect();
            assert_eq!(&got, expected, "{pattern}: {diagnostics:#?}");
            assert!(tables.is_none(), "{pattern}");
            assert!(diagnostics.iter().all(|d| d.is_error() && d.help.is_some()), "{pattern}");
        }
    }

    #[test]
    fn messages_name_the_example() {
        let message =
            |p: &str| check(p).1.first().map(|d| (d.message.clone(), d.help.clone())).expect("diagnostic");
        let (m, h) = message(r"^https://api.example.com$");
        assert!(m.contains("`https://apixexample.com`"), "{m}");
        assert_eq!(h.as_deref(), Some(r"escape the dot: `^https://api\.example\.com$`"));
        let (m, _) = message(r"^https://[a-z]+example\.com$");
        assert!(m.contains("`https://evilexample.com`"), "{m}");
        let (m, _) = message(r"^https://.*example\.com$");
        assert!(m.contains("`https://_example.com`") && m.contains("`_`"), "{m}");
        let (m, _) = message(r"^https://app\.example\.com(/.*)?$");
        assert!(m.contains("`https://app.example.com/`") && m.contains("path"), "{m}");
        let (m, _) = message(r"^https?://.*$");
        assert!(m.contains("https://attacker.invalid") && m.contains("reflecting any origin"), "{m}");
        let (m, _) = message(r"https://(");
        assert!(m.contains("unclosed group"), "{m}");
        let (m, _) = message(r"(a|b)*a(a|b){30}");
        assert!(m.contains("too large"), "{m}");
    }

    #[test]
    fn blow_up_fails_fast() {
        for pattern in [r"(a|b)*a(a|b){30}", r"(?:(?:a{100}){100}){100}"] {
            let began = Instant::now();
            let diagnostics = check(pattern).1;
            let elapsed = began.elapsed();
            eprintln!("{pattern}: {elapsed:?} {diagnostics:?}");
            assert_eq!(diagnostics.iter().map(|d| d.check.code()).collect::<Vec<_>>(), ["CORS049"]);
            assert!(elapsed < Duration::from_secs(if cfg!(debug_assertions) { 5 } else { 1 }));
        }
    }

    #[test]
    fn limits_apply_to_patterns_and_to_the_union() {
        let long = format!("^https://{}\\.example\\.com$", "a".repeat(2000));
        assert_eq!(codes(&long), ["CORS049"]);

        let patterns: Vec<String> =
            (0..20).map(|i| format!(r"^https://x{i}-{i}-{i}\.example\.com$")).collect();
        let list: Vec<&str> = patterns.iter().map(String::as_str).collect();
        let largest = list
            .iter()
            .filter_map(|p| build(&anchored(parse(p).ok()?.1), &Limits::default()).ok())
            .map(|t| t.states())
            .max()
            .unwrap_or(0);
        let small = Limits { max_states: largest, ..Limits::default() };
        let (tables, diagnostics) = compile(&entries(&list), &small);
        assert!(tables.is_none());
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert!(diagnostics[0].message.contains("together"), "{}", diagnostics[0].message);
    }

    #[test]
    fn union_of_fifty_patterns() {
        let patterns: Vec<String> =
            (0..50).map(|i| format!(r"^https://pr-[0-9]+\.app{i}\.example\.com$")).collect();
        let list: Vec<&str> = patterns.iter().map(String::as_str).collect();
        let began = Instant::now();
        let (tables, diagnostics) = compile(&entries(&list), &Limits::default());
        let elapsed = began.elapsed();
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        let tables = tables.expect("compiles");
        eprintln!(
            "50 patterns: {} states, {} classes (stride {}), {} bytes of tables, compiled and checked in {elapsed:?}",
            tables.states(),
            tables.classes.iter().copied().max().map_or(0, |c| c + 1),
            1 << tables.stride_shift,
            tables.size_in_bytes()
        );
        let dfa = tables.dfa();
        for i in 0..50 {
            assert!(dfa.is_match(format!("https://pr-1.app{i}.example.com").as_bytes()), "{i}");
            assert!(dfa.is_match(format!("https://pr-0042.app{i}.example.com").as_bytes()), "{i}");
            for miss in [
                format!("https://pr-.app{i}.example.com"),
                format!("https://pr-1.app{}.example.com", i + 50),
                format!("https://pr-1.app{i}xexample.com"),
                format!("https://pr-1.app{i}.example.co"),
                format!("http://pr-1.app{i}.example.com"),
                format!("https://pr-1.app{i}.example.com:443"),
                format!("https://evil.pr-1.app{i}.example.com"),
            ] {
                assert!(!dfa.is_match(miss.as_bytes()), "{miss}");
            }
        }
    }
}
