//! The reverse automaton of a part of a forward DFA, for reading origins from their end.
//!
//! The trust analysis reads a host from the right, label by label, because that is the order in
//! which the Public Suffix List decides where the registrable domain begins. The reverse DFA is
//! built by the subset construction over the forward tables' transitions read backwards.
//! Because the forward tables are trimmed (every row reachable), the result is the *minimal* DFA
//! of the reversed language (Brzozowski), which the separator check relies on: two bytes lead to
//! the same reverse state exactly when they can stand in for each other before every suffix.
//!
//! The subset construction can blow up exponentially, so it stops at a state budget.

use std::collections::HashMap;

use super::DfaTables;

/// The minimal DFA of the reversed language of the forward tables, started at one forward row.
pub(crate) struct ReverseDfa {
    classes: [u8; 256],
    stride: usize,
    /// `next[state * stride + class]`; state 0 is dead.
    next: Vec<u32>,
    accepting: Vec<bool>,
    /// Shortest distance to an accepting state (`u32::MAX` if none).
    distance: Vec<u32>,
}

/// The reverse automaton would need more states than the budget allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OverBudget;

impl ReverseDfa {
    /// The reverse of the language accepted from forward row `from`: reading a string `w`
    /// backwards from [`ReverseDfa::START`] reaches an accepting state iff the forward tables
    /// accept `w` starting at `from`.
    pub(crate) fn build(tables: &DfaTables, from: usize, max_states: usize) -> Result<Self, OverBudget> {
        let stride = 1usize << tables.stride_shift;
        let rows = tables.states();
        let forward = |row: usize, class: usize| {
            (tables.transitions[(row << tables.stride_shift) + class] >> tables.stride_shift) as usize
        };
        let accepts = |row: usize| tables.accepting.get(row / 64).is_some_and(|w| w & (1 << (row % 64)) != 0);

        // Rows reachable from `from`; the reverse language only concerns them.
        let mut reach = vec![false; rows];
        let mut stack = vec![from];
        while let Some(row) = stack.pop() {
            if row == 0 || std::mem::replace(&mut reach[row], true) {
                continue;
            }
            stack.extend((0..stride).map(|c| forward(row, c)));
        }
        // Predecessors by class, within the reachable rows.
        let mut predecessors = vec![Vec::new(); rows * stride];
        for row in (1..rows).filter(|&r| reach[r]) {
            for class in 0..stride {
                let to = forward(row, class);
                if to != 0 {
                    predecessors[to * stride + class].push(row as u32);
                }
            }
        }

        let start: Vec<u32> = (1..rows).filter(|&r| reach[r] && accepts(r)).map(|r| r as u32).collect();
        let mut ids: HashMap<Vec<u32>, u32> = HashMap::new();
        let mut sets: Vec<Vec<u32>> = vec![Vec::new()]; // 0: dead
        let mut next: Vec<u32> = vec![0; stride];
        if !start.is_empty() {
            ids.insert(start.clone(), 1);
            sets.push(start);
            next.extend(std::iter::repeat_n(0, stride));
        }
        let mut i = 1;
        while i < sets.len() {
            for class in 0..stride {
                let mut target: Vec<u32> = sets[i]
                    .iter()
                    .flat_map(|&row| predecessors[row as usize * stride + class].iter().copied())
                    .collect();
                if target.is_empty() {
                    continue;
                }
                target.sort_unstable();
                target.dedup();
                let id = match ids.get(&target) {
                    Some(&id) => id,
                    None => {
                        if sets.len() >= max_states {
                            return Err(OverBudget);
                        }
                        let id = sets.len() as u32;
                        ids.insert(target.clone(), id);
                        sets.push(target);
                        next.extend(std::iter::repeat_n(0, stride));
                        id
                    }
                };
                next[i * stride + class] = id;
            }
            i += 1;
        }
        let accepting: Vec<bool> = sets.iter().map(|set| set.binary_search(&(from as u32)).is_ok()).collect();

        // Distances to acceptance, by reverse breadth-first search.
        let n = sets.len();
        let mut back = vec![Vec::new(); n];
        for s in 1..n {
            for class in 0..stride {
                let t = next[s * stride + class] as usize;
                if t != 0 {
                    back[t].push(s);
                }
            }
        }
        let mut distance = vec![u32::MAX; n];
        let mut queue: std::collections::VecDeque<usize> = (1..n).filter(|&s| accepting[s]).collect();
        for &s in &queue {
            distance[s] = 0;
        }
        while let Some(s) = queue.pop_front() {
            for &p in &back[s] {
                if distance[p] == u32::MAX {
                    distance[p] = distance[s] + 1;
                    queue.push_back(p);
                }
            }
        }
        Ok(ReverseDfa { classes: tables.classes, stride, next, accepting, distance })
    }

    /// The state before anything was read (the end of the string); 0 if nothing is accepted.
    pub(crate) const START: usize = 1;

    /// Number of states, the dead state included.
    pub(crate) fn states(&self) -> usize {
        self.accepting.len()
    }

    /// The state after reading `byte` (backwards) in `state`; 0 is dead.
    pub(crate) fn next(&self, state: usize, byte: u8) -> usize {
        if state == 0 || state >= self.states() {
            return 0;
        }
        self.next[state * self.stride + usize::from(self.classes[usize::from(byte)])] as usize
    }

    /// `true` if the string read so far, reversed, is accepted from the forward row.
    pub(crate) fn accepting(&self, state: usize) -> bool {
        self.accepting.get(state).copied().unwrap_or(false)
    }

    /// A shortest way to acceptance from `state`, in reading order (so reversed), preferring
    /// lowercase letters, then digits, then `.` and `-`, so that examples read naturally.
    pub(crate) fn completion(&self, mut state: usize) -> Vec<u8> {
        const PREFERRED: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789.-:/[]";
        let mut out = Vec::new();
        while let Some(&d) = self.distance.get(state).filter(|&&d| d != 0 && d != u32::MAX) {
            let step = PREFERRED
                .iter()
                .copied()
                .chain(0..=255u8)
                .map(|b| (b, self.next(state, b)))
                .find(|&(_, t)| t != 0 && self.distance[t] == d - 1);
            let Some((b, t)) = step else { break };
            out.push(b);
            state = t;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::{anchored, determinize::build, parse, Limits};
    use super::*;

    fn reverse_of(pattern: &str) -> (DfaTables, ReverseDfa) {
        let tables = build(&anchored(parse(pattern).expect("parses").1), &Limits::default()).expect("builds");
        let start = (tables.start >> tables.stride_shift) as usize;
        let reverse = ReverseDfa::build(&tables, start, 10_000).expect("within budget");
        (tables, reverse)
    }

    fn accepts_reversed(reverse: &ReverseDfa, input: &[u8]) -> bool {
        let state = input.iter().rev().fold(ReverseDfa::START, |s, &b| reverse.next(s, b));
        reverse.accepting(state)
    }

    #[test]
    fn reverse_accepts_exactly_the_reversed_language() {
        for pattern in [
            r"^https://(app|admin)\.example\.(com|org)(:[0-9]{2,4})?$",
            r"^https://([a-z0-9-]+\.)*example\.com$",
            r"^https?://[a-z]{1,3}\.com$",
        ] {
            let (tables, reverse) = reverse_of(pattern);
            let graph = super::super::graph::Graph::new(&tables, false);
            let mut inputs = graph.samples(200);
            for sample in inputs.clone() {
                for i in 0..sample.len() {
                    let mut mutated = sample.clone();
                    mutated[i] = b'x';
                    inputs.push(mutated.clone());
                    mutated.remove(i);
                    inputs.push(mutated);
                }
            }
            for input in inputs {
                assert_eq!(
                    accepts_reversed(&reverse, &input),
                    tables.dfa().is_match(&input),
                    "{pattern}: {input:?}"
                );
            }
        }
    }

    #[test]
    fn reverse_is_minimal() {
        // `(a|b)` before the same suffix: one reverse state after the suffix, whichever byte.
        let (_, reverse) = reverse_of(r"^https://(app\.|app-)example\.com$");
        let after = b"moc.elpmaxe".iter().fold(ReverseDfa::START, |s, &b| reverse.next(s, b));
        assert_ne!(after, 0);
        assert_eq!(reverse.next(after, b'.'), reverse.next(after, b'-'));
    }

    #[test]
    fn blow_up_stops_at_the_budget() {
        // The n-th byte from the start is fixed: small forward, exponential reverse.
        let tables = build(&anchored(parse(r"(a|b){12}a(a|b)*").expect("parses").1), &Limits::default())
            .expect("builds");
        let start = (tables.start >> tables.stride_shift) as usize;
        assert_eq!(ReverseDfa::build(&tables, start, 1_000).err(), Some(OverBudget));
        assert!(ReverseDfa::build(&tables, start, 100_000).is_ok());
    }

    #[test]
    fn completion_reaches_acceptance() {
        let (_, reverse) = reverse_of(r"^https://[a-z]+\.example\.com$");
        let mut path = reverse.completion(ReverseDfa::START);
        path.reverse();
        assert_eq!(path, b"https://a.example.com");
    }
}
