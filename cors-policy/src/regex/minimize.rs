//! DFA minimization: Hopcroft's partition refinement over the trimmed, re-encoded graph.

/// Hopcroft's partition refinement on a complete DFA given as `next[state * k + class]`:
/// returns the block (equivalence class) of each state. O(k·n·log n).
pub(super) fn hopcroft(n: usize, k: usize, next: &[usize], accepting: &[bool]) -> Vec<usize> {
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
