//! The contraction planner: which pair of operands to contract first, by estimated FLOPs.
//!
//! Costs are opt_einsum's (and `numpy.einsum_path`'s): contracting two tensors costs the
//! product of the sizes of all their labels, doubled when a label is summed away. For up to
//! [`OPTIMAL_MAX`] operands the optimal order is found by dynamic programming over subsets
//! (every contraction tree, including non-linear ones, in O(3ⁿ)); beyond, greedily: the
//! cheapest pair that shares a label, or the two smallest operands when none does.

use std::fmt;

use super::parse::{bit, labels_of, letter, Bound, Mask, ELLIPSIS_BASE, MAX_LABELS};

/// Operand counts up to which the planner searches every contraction tree.
pub(crate) const OPTIMAL_MAX: usize = 10;

/// A contraction order in `numpy.einsum_path`'s format: each pair is two positions in the
/// current operand list; both are removed and their result appended at the end.
pub(crate) type Steps = Vec<(usize, usize)>;

/// The product of the sizes of the labels in `m`, as a float (FLOP estimates).
fn fsize(m: Mask, sizes: &[usize; MAX_LABELS]) -> f64 {
    labels_of(m).map(|l| sizes[l as usize] as f64).product()
}

/// numpy's `_flop_count` for a contraction over `idx` of `terms` operands, `inner` when some
/// label is summed away.
fn flop_count(idx: Mask, inner: bool, terms: usize, sizes: &[usize; MAX_LABELS]) -> f64 {
    let factor = terms.saturating_sub(1).max(1) + usize::from(inner);
    fsize(idx, sizes) * factor as f64
}

/// The planned pairwise order for the operands of `b` (two or more).
pub(crate) fn search(b: &Bound) -> Steps {
    let masks: Vec<Mask> = b.ops.iter().map(|o| o.labels.mask()).collect();
    let out = b.output.mask();
    if masks.len() <= OPTIMAL_MAX {
        optimal(&masks, out, &b.sizes)
    } else {
        greedy(&masks, out, &b.sizes)
    }
}

/// Dynamic programming over subsets of operands.
fn optimal(masks: &[Mask], out: Mask, sizes: &[usize; MAX_LABELS]) -> Steps {
    let n = masks.len();
    let full: usize = (1 << n) - 1;
    let mut union = vec![0 as Mask; full + 1];
    for s in 1..=full {
        union[s] = union[s & (s - 1)] | masks[s.trailing_zeros() as usize];
    }
    // The labels of the tensor a subset contracts into: an input keeps all of its own.
    let lab = |s: usize| -> Mask {
        if s.count_ones() == 1 {
            union[s]
        } else {
            union[s] & (out | union[full ^ s])
        }
    };
    let mut cost = vec![f64::INFINITY; full + 1];
    let mut split = vec![0_usize; full + 1];
    for s in 1..=full {
        if s.count_ones() == 1 {
            cost[s] = 0.0;
            continue;
        }
        let low = s & s.wrapping_neg();
        let kept = lab(s);
        // Sub-subsets holding the lowest member: each split once.
        let mut s1 = (s - 1) & s;
        while s1 > 0 {
            if s1 & low != 0 {
                let s2 = s ^ s1;
                let idx = lab(s1) | lab(s2);
                let c = cost[s1] + cost[s2] + flop_count(idx, idx & !kept != 0, 2, sizes);
                if c < cost[s] {
                    cost[s] = c;
                    split[s] = s1;
                }
            }
            s1 = (s1 - 1) & s;
        }
    }
    let mut list: Vec<usize> = (0..n).map(|i| 1 << i).collect();
    let mut steps = Vec::with_capacity(n - 1);
    emit(full, &split, &mut list, &mut steps);
    steps
}

/// Appends the steps that contract subset `s` (post-order), tracking the operand list.
fn emit(s: usize, split: &[usize], list: &mut Vec<usize>, steps: &mut Steps) {
    if s.count_ones() <= 1 {
        return;
    }
    let s1 = split[s];
    let s2 = s ^ s1;
    emit(s1, split, list, steps);
    emit(s2, split, list, steps);
    let p1 = list.iter().position(|&x| x == s1).unwrap_or(0);
    let p2 = list.iter().position(|&x| x == s2).unwrap_or(0);
    let (i, j) = (p1.min(p2), p1.max(p2));
    list.remove(j);
    list.remove(i);
    list.push(s);
    steps.push((i, j));
}

/// Greedy: repeatedly the cheapest pair sharing a label (ties: the smaller result), else the
/// two smallest operands. O(n²) pairs per step, each costed in O(1) from label counts.
fn greedy(masks: &[Mask], out: Mask, sizes: &[usize; MAX_LABELS]) -> Steps {
    let mut list: Vec<Mask> = masks.to_vec();
    let mut counts = [0_u32; MAX_LABELS];
    for &m in &list {
        labels_of(m).for_each(|l| counts[l as usize] += 1);
    }
    let mut steps = Vec::with_capacity(masks.len().saturating_sub(1));
    while list.len() > 1 {
        // Labels held by exactly two operands, and by three or more.
        let (mut twice, mut more): (Mask, Mask) = (0, 0);
        for (l, &c) in counts.iter().enumerate() {
            match c {
                2 => twice |= bit(l as u8),
                3.. => more |= bit(l as u8),
                _ => {}
            }
        }
        // What contracting i and j keeps: labels of the output or of any other operand.
        let kept = |i: usize, j: usize| {
            let idx = list[i] | list[j];
            idx & (out | more | (twice & !(list[i] & list[j])))
        };
        let mut best: Option<((bool, f64, f64), usize, usize)> = None;
        for i in 0..list.len() {
            for j in i + 1..list.len() {
                let idx = list[i] | list[j];
                let key = if list[i] & list[j] != 0 {
                    let k = kept(i, j);
                    (false, flop_count(idx, idx != k, 2, sizes), fsize(k, sizes))
                } else {
                    (true, fsize(list[i], sizes) + fsize(list[j], sizes), 0.0)
                };
                if best.as_ref().is_none_or(|(b, _, _)| key < *b) {
                    best = Some((key, i, j));
                }
            }
        }
        let Some((_, i, j)) = best else { break };
        let k = kept(i, j);
        for m in [list[i], list[j]] {
            labels_of(m).for_each(|l| counts[l as usize] -= 1);
        }
        labels_of(k).for_each(|l| counts[l as usize] += 1);
        list.remove(j);
        list.remove(i);
        list.push(k);
        steps.push((i, j));
    }
    steps
}

/// One row of the report.
struct StepInfo {
    scaling: usize,
    current: String,
    remaining: String,
}

/// The report `numpy.einsum_path` prints, computed for a bound spec and its steps.
pub(crate) struct Report {
    overall: String,
    naive_scaling: usize,
    naive_flops: f64,
    opt_flops: f64,
    largest: f64,
    rows: Vec<StepInfo>,
}

impl Report {
    /// numpy's report for contracting `b`'s operands by `steps` (a single operand: one step
    /// over it alone).
    pub(crate) fn new(b: &Bound, steps: &[(usize, usize)]) -> Report {
        let sizes = &b.sizes;
        // `...` axes are shown as unused letters, as numpy does.
        let mut chars = ['?'; MAX_LABELS];
        let mut unused = (0..ELLIPSIS_BASE).filter(|&l| b.all & bit(l) == 0);
        for (l, c) in chars.iter_mut().enumerate() {
            if (l as u8) < ELLIPSIS_BASE {
                *c = letter(l as u8);
            } else if let Some(u) = unused.next() {
                *c = letter(u);
            }
        }
        let word =
            |ls: &mut dyn Iterator<Item = u8>| ls.map(|l| chars[l as usize]).collect::<String>();
        let inputs: Vec<String> = b
            .ops
            .iter()
            .map(|o| word(&mut o.axes[..o.ndim as usize].iter().copied()))
            .collect();
        let output = word(&mut b.output.as_slice().iter().copied());
        // numpy names an intermediate's labels by increasing (size, letter).
        let inter = |m: Mask| {
            let mut ls: Vec<u8> = labels_of(m).collect();
            ls.sort_by_key(|&l| (sizes[l as usize], chars[l as usize]));
            word(&mut ls.into_iter())
        };
        let out_mask = b.output.mask();
        let mut masks: Vec<Mask> = b.ops.iter().map(|o| o.labels.mask()).collect();
        let mut names = inputs.clone();
        let mut rows = Vec::new();
        let (mut opt, mut largest) = (0.0, 0.0_f64);
        let single = [(0, 0)];
        let steps = if b.ops.len() == 1 { &single[..] } else { steps };
        for (si, &(i, j)) in steps.iter().enumerate() {
            let pos: Vec<usize> = if i == j { vec![i] } else { vec![j, i] };
            let idx = pos.iter().fold(0, |m, &p| m | masks[p]);
            let rest = masks
                .iter()
                .enumerate()
                .filter(|(p, _)| !pos.contains(p))
                .fold(out_mask, |m, (_, &x)| m | x);
            let kept = idx & rest;
            opt += flop_count(idx, idx != kept, pos.len(), sizes);
            largest = largest.max(fsize(kept, sizes));
            let taken: Vec<String> = pos.iter().map(|&p| names.remove(p)).collect();
            pos.iter().for_each(|&p| {
                masks.remove(p);
            });
            let result = if si + 1 == steps.len() {
                output.clone()
            } else {
                inter(kept)
            };
            rows.push(StepInfo {
                scaling: labels_of(idx).count(),
                current: format!("{}->{result}", taken.join(",")),
                remaining: String::new(),
            });
            names.push(result);
            masks.push(kept);
            if let Some(row) = rows.last_mut() {
                row.remaining = format!("{}->{output}", names.join(","));
            }
        }
        let distinct: usize = b.ops.iter().map(|o| o.labels.len()).sum();
        let naive_scaling = labels_of(b.all).count();
        let naive_flops = flop_count(b.all, distinct > naive_scaling, b.ops.len(), sizes);
        Report {
            overall: format!("{}->{output}", inputs.join(",")),
            naive_scaling,
            naive_flops,
            opt_flops: opt + 1.0,
            largest,
            rows,
        }
    }

    pub(crate) fn naive_flops(&self) -> f64 {
        self.naive_flops
    }

    pub(crate) fn opt_flops(&self) -> f64 {
        self.opt_flops
    }

    pub(crate) fn largest(&self) -> f64 {
        self.largest
    }
}

/// `x` as Python's `%.3e` writes it (`3.000e+08`).
fn sci(x: f64) -> String {
    let s = format!("{x:.3e}");
    match s.split_once('e') {
        Some((m, e)) => {
            let (sign, digits) = match e.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', e),
            };
            format!("{m}e{sign}{digits:0>2}")
        }
        None => s,
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scaling = self.rows.iter().map(|r| r.scaling).max().unwrap_or(0);
        writeln!(f, "  Complete contraction:  {}", self.overall)?;
        writeln!(f, "         Naive scaling:  {}", self.naive_scaling)?;
        writeln!(f, "     Optimized scaling:  {scaling}")?;
        writeln!(f, "      Naive FLOP count:  {}", sci(self.naive_flops))?;
        writeln!(f, "  Optimized FLOP count:  {}", sci(self.opt_flops))?;
        writeln!(
            f,
            "   Theoretical speedup:  {:.3}",
            self.naive_flops / self.opt_flops
        )?;
        writeln!(f, "  Largest intermediate:  {} elements", sci(self.largest))?;
        writeln!(f, "{}", "-".repeat(74))?;
        writeln!(f, "{:>6} {:>24} {:>40}", "scaling", "current", "remaining")?;
        write!(f, "{}", "-".repeat(74))?;
        for r in &self.rows {
            write!(
                f,
                "\n{:>4}    {:>24} {:>40}",
                r.scaling, r.current, r.remaining
            )?;
        }
        Ok(())
    }
}
