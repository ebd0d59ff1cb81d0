//! Pattern to minimal table DFA: Thompson NFA and dense DFA from regex-automata, within
//! [`Limits`], then re-encoded into [`DfaTables`] (trimmed, Hopcroft-minimized, classes merged).

use std::collections::{HashMap, VecDeque};

use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::{primitives::StateID, start};
use regex_automata::{Anchored, MatchKind};
use regex_syntax::hir::Hir;

use super::minimize::hopcroft;
use super::{DfaTables, Limits};

/// Compiles one entry's anchored HIR to minimal tables within `limits`; the error says why it
/// cannot be.
pub(super) fn build(hir: &Hir, limits: &Limits) -> Result<DfaTables, String> {
    build_within(hir, limits, limits.max_nfa_bytes)
}

/// [`build`] for the union of a policy's entries, whose NFA may be as large as all of theirs
/// together, up to [`Limits::max_union_nfa_bytes`].
pub(super) fn build_union(hir: &Hir, limits: &Limits) -> Result<DfaTables, String> {
    build_within(hir, limits, limits.max_union_nfa_bytes)
}

/// The work of determinization grows with the NFA (each DFA state is a set of NFA states), so
/// the NFA's size is what bounds compile time: `([a-z]{1,9}){1,150}` has a small minimal DFA
/// but a 1,350-position NFA, and took seconds to determinize before this limit.
fn build_within(hir: &Hir, limits: &Limits, nfa_bytes: usize) -> Result<DfaTables, String> {
    let budget = limits.max_table_bytes.saturating_mul(4);
    let too_large = |what: &str| {
        format!(
            "its {what} is too large (limits: {} states, {} bytes of tables, {} KiB of NFA)",
            limits.max_states,
            limits.max_table_bytes,
            nfa_bytes / 1024
        )
    };
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new().which_captures(WhichCaptures::None).nfa_size_limit(Some(nfa_bytes)),
        )
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
            // Not `minimize(true)`: it gives the same state count (a test compares the two), but
            // the re-encoding below must run anyway (trimming, dead state 0, premultiplied rows,
            // merged classes), and minimizing that small trimmed graph there is cheaper than
            // minimizing the untrimmed dense DFA first; regex-automata's minimizer then serves
            // as the independent oracle of `tables_agree_with_reference_semantics`.
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
pub(super) fn encode(dfa: &dense::DFA<Vec<u32>>) -> Result<DfaTables, String> {
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
    let tables = DfaTables {
        classes,
        stride_shift: shift,
        transitions,
        start,
        accepting: accept_bits,
        // Read off the automaton by `with_literals`.
        prefix: Vec::new(),
        after_prefix: start,
        suffix: Vec::new(),
        accepting_before_suffix: Vec::new(),
        // Read off the transitions by `with_loops`.
        loops: Vec::new(),
    };
    Ok(tables.with_literals().with_loops())
}
