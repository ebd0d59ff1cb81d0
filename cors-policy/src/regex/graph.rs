//! Read-only analyses of one [`DfaTables`] graph: shortest accepted strings, whether every
//! accepted string has the shape of a serialized origin, and whether some accepted string is one
//! (each decided on the product with that language).

use std::collections::VecDeque;

use super::serialized::{kind, one_of_each_kind, SerializedTable};
use super::DfaTables;

/// Preference of a byte when a path must pick one: lowercase, digits, then `.-:/`, then the rest;
/// with `dot_first`, `.` comes first, so that `api.example.com` is sampled as the user wrote it
/// even where an unescaped `.` puts the dot in one class with every letter.
pub(super) fn rank(b: u8, dot_first: bool) -> (u8, u8) {
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
pub(super) fn bad_rank(b: u8) -> (u8, u8) {
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
pub(super) enum Phase {
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
    pub(super) fn step(self, b: u8) -> Option<Phase> {
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
pub(super) struct Witness {
    pub(super) example: Vec<u8>,
    /// The first byte no origin has at its position, or `None` when the string stops short.
    pub(super) byte: Option<u8>,
    pub(super) phase: Phase,
}

/// What [`Graph::shape`] found.
pub(super) struct Shape {
    /// Some accepted string has the form of an origin.
    pub(super) origin: bool,
    /// A shortest accepted string that has not.
    pub(super) witness: Option<Witness>,
}

/// Read-only analysis of [`DfaTables`] by row index.
pub(super) struct Graph<'a> {
    pub(super) tables: &'a DfaTables,
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
    pub(super) fn new(tables: &'a DfaTables, dot_first: bool) -> Self {
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

    pub(super) fn next(&self, row: usize, class: usize) -> usize {
        let shift = self.tables.stride_shift;
        self.tables.transitions.get((row << shift) + class).map_or(0, |&t| (t >> shift) as usize)
    }

    pub(super) fn step(&self, row: usize, byte: u8) -> usize {
        self.next(row, usize::from(self.tables.classes[usize::from(byte)]))
    }

    pub(super) fn accepting(&self, row: usize) -> bool {
        self.tables.accepting.get(row / 64).is_some_and(|w| w & (1 << (row % 64)) != 0)
    }

    pub(super) fn start(&self) -> usize {
        (self.tables.start >> self.tables.stride_shift) as usize
    }

    /// The longest string every accepted string starts with, and the row after it. From the
    /// start, while the row is not accepting and has exactly one live class, of exactly one
    /// byte, that byte is next. Exact: from such a row any other byte, or the end of input,
    /// leads to no match, and every live row can reach an accepting one.
    pub(super) fn literal_prefix(&self) -> (Vec<u8>, usize) {
        let (mut prefix, mut row) = (Vec::new(), self.start());
        // Origins are a few hundred bytes at most; the cap only bounds the loop.
        while row != 0 && !self.accepting(row) && prefix.len() < 256 {
            let mut live = self.order.iter().filter(|&&(_, class)| self.next(row, class) != 0);
            let (Some(&(byte, class)), None) = (live.next(), live.next()) else { break };
            if self.members[class].len() != 1 {
                break;
            }
            prefix.push(byte);
            row = self.next(row, class);
        }
        (prefix, row)
    }

    /// The longest string every string accepted from `from` ends with (empty when `from`
    /// accepts nothing). Backwards from the accepting rows: `level` holds the rows from which
    /// some accepted string has exactly the bytes found so far left, and the byte before them
    /// is the same for all the strings when every live transition into `level` from a row
    /// reachable from `from` is on one class of one byte, the same byte. It stops when `from`
    /// itself is in `level`: a shorter accepted string ends there.
    pub(super) fn literal_suffix(&self, from: usize) -> Vec<u8> {
        let reachable = self.reachable(from);
        let mut level: Vec<bool> = (0..self.rows).map(|row| reachable[row] && self.accepting(row)).collect();
        let mut suffix = Vec::new();
        while from != 0 && !level[from] && suffix.len() < 256 {
            let (mut before, mut byte) = (vec![false; self.rows], None);
            for row in (1..self.rows).filter(|&row| reachable[row]) {
                for &(_, class) in &self.order {
                    if !level[self.next(row, class)] {
                        continue;
                    }
                    let only = match self.members[class][..] {
                        [only] => only,
                        _ => return finish(suffix),
                    };
                    if *byte.get_or_insert(only) != only {
                        return finish(suffix);
                    }
                    before[row] = true;
                }
            }
            let Some(byte) = byte else { break };
            suffix.push(byte);
            level = before;
        }
        return finish(suffix);

        fn finish(mut reversed: Vec<u8>) -> Vec<u8> {
            reversed.reverse();
            reversed
        }
    }

    /// The rows reachable from `from` (row 0, the dead one, never counts).
    fn reachable(&self, from: usize) -> Vec<bool> {
        let mut seen = vec![false; self.rows];
        let mut stack = vec![from];
        while let Some(row) = stack.pop() {
            if row == 0 || seen[row] {
                continue;
            }
            seen[row] = true;
            stack.extend(self.order.iter().map(|&(_, class)| self.next(row, class)));
        }
        seen
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
    pub(super) fn suffix(&self, mut row: usize) -> Vec<u8> {
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
    pub(super) fn shortest(&self) -> Vec<u8> {
        self.suffix(self.start())
    }

    /// Explores the product of the DFA with the shape of a serialized origin: finds whether some
    /// accepted string is origin-shaped, and a shortest accepted string that is not. Every row
    /// but 0 is co-reachable, so any transition to a nonzero row extends to an accepted string:
    /// the answer is exact, not sampled.
    pub(super) fn shape(&self) -> Shape {
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

    /// A shortest accepted string that is an origin browsers send (see
    /// [`Serialized`](super::serialized::Serialized)), or `None` if the entry accepts none.
    /// Breadth-first over the product of the DFA with that language: exact, not sampled.
    pub(super) fn shortest_serialized(&self) -> Option<Vec<u8>> {
        let language = SerializedTable::get();
        let n = language.len();
        let start = self.start();
        if start == 0 {
            return None;
        }
        // One byte of each kind in each class: the others step alike. At most `rows * n`
        // pairs, each trying at most one byte per kind and class.
        let tried: Vec<Vec<u8>> =
            self.members.iter().map(|members| one_of_each_kind(members.iter().copied())).collect();
        // Each pair's predecessor (`UNSEEN` until reached; the start is its own) and the byte
        // from it: 5 bytes a pair, for at most `rows * n` pairs.
        const UNSEEN: u32 = u32::MAX;
        let key = |row: usize, state: usize| row * n + state;
        let mut parent = vec![UNSEEN; self.rows * n];
        let mut byte = vec![0u8; self.rows * n];
        let first = key(start, 0);
        parent[first] = first as u32;
        let mut queue = VecDeque::from([(start, 0usize)]);
        while let Some((row, state)) = queue.pop_front() {
            let here = key(row, state);
            if self.accepting(row) && language.accepting(state) {
                let (mut bytes, mut at) = (Vec::new(), here);
                while at != first {
                    bytes.push(byte[at]);
                    at = parent[at] as usize;
                }
                bytes.reverse();
                return Some(bytes);
            }
            for &(_, c) in &self.order {
                let t = self.next(row, c);
                if t == 0 {
                    continue;
                }
                for &b in &tried[c] {
                    let next = language.next(state, kind(b));
                    if next == SerializedTable::DEAD {
                        continue;
                    }
                    let k = key(t, usize::from(next));
                    if parent[k] == UNSEEN {
                        parent[k] = here as u32;
                        byte[k] = b;
                        queue.push_back((t, usize::from(next)));
                    }
                }
            }
        }
        None
    }

    /// Sample accepted strings covering every transition: for each reachable row and class, the
    /// shortest path to the row, the class's preferred byte, and the shortest way to acceptance.
    pub(super) fn samples(&self, cap: usize) -> Vec<Vec<u8>> {
        let start = self.start();
        let mut out = vec![self.shortest()];
        let mut seen: std::collections::HashSet<Vec<u8>> = out.iter().cloned().collect();
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
