//! The spec grammar (NumPy's) and its binding to operand shapes.
//!
//! Parsing reads the spec once, byte by byte, into fixed-size terms (no allocation but the one
//! `Vec` of input terms). Binding then resolves every index against the shapes: the size of each
//! label (with NumPy's size-1 broadcasting), the `...` axes (right-aligned, broadcast), repeated
//! indices within an operand (diagonals) and the output's labels.
//!
//! Labels are small integers: `A`–`Z` are 0–25 and `a`–`z` 26–51, so numeric order is ASCII
//! order (NumPy's implicit output is sorted that way); the axes covered by `...` are 52 onwards,
//! right-aligned across operands. At most 64 axes per operand (NumPy's limit), so every label
//! fits a `u128` bit mask.

use crate::{Error, Result};

/// NumPy's maximum number of axes per operand.
pub(crate) const MAX_NDIM: usize = 64;
/// Capacity of a label list: 52 letters plus up to 64 ellipsis axes.
pub(crate) const MAX_LABELS: usize = 128;
/// The first label used for axes under `...`.
pub(crate) const ELLIPSIS_BASE: u8 = 52;
/// `OpMap::slot` value of an axis dropped by size-1 broadcasting.
pub(crate) const DROPPED: u8 = u8::MAX;

/// A set of labels, one bit per label.
pub(crate) type Mask = u128;

/// The bit of label `l`.
pub(crate) fn bit(l: u8) -> Mask {
    1 << l
}

/// Iterates the labels of a mask in increasing order.
pub(crate) fn labels_of(mut m: Mask) -> impl Iterator<Item = u8> {
    std::iter::from_fn(move || {
        (m != 0).then(|| {
            let l = m.trailing_zeros() as u8;
            m &= m - 1;
            l
        })
    })
}

/// An ordered list of distinct labels (the axes of one tensor).
#[derive(Clone, Copy)]
pub(crate) struct Labels {
    ids: [u8; MAX_LABELS],
    len: u8,
}

impl Labels {
    pub(crate) const fn new() -> Self {
        Labels {
            ids: [0; MAX_LABELS],
            len: 0,
        }
    }

    pub(crate) fn push(&mut self, l: u8) {
        debug_assert!((self.len as usize) < MAX_LABELS);
        self.ids[self.len as usize] = l;
        self.len += 1;
    }

    pub(crate) fn swap(&mut self, i: usize, j: usize) {
        self.ids[..self.len as usize].swap(i, j);
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.ids[..self.len as usize]
    }

    pub(crate) fn len(&self) -> usize {
        self.len as usize
    }

    pub(crate) fn mask(&self) -> Mask {
        self.as_slice().iter().fold(0, |m, &l| m | bit(l))
    }

    pub(crate) fn position(&self, l: u8) -> Option<usize> {
        self.as_slice().iter().position(|&x| x == l)
    }
}

/// One operand's subscripts as written.
#[derive(Clone, Copy)]
pub(crate) struct Term {
    /// Letter labels in order, `...` excluded.
    labels: [u8; MAX_NDIM],
    /// Character position of each label in the spec.
    pos: [u32; MAX_NDIM],
    len: u8,
    /// Index into `labels` where `...` stands, if present.
    ellipsis: Option<u8>,
    /// Character position of the `...`.
    ellipsis_pos: u32,
    /// Character position where the term starts.
    start: u32,
}

impl Term {
    const fn new(start: u32) -> Self {
        Term {
            labels: [0; MAX_NDIM],
            pos: [0; MAX_NDIM],
            len: 0,
            ellipsis: None,
            ellipsis_pos: start,
            start,
        }
    }

    fn labels(&self) -> &[u8] {
        &self.labels[..self.len as usize]
    }
}

/// A parsed spec: the input terms and the explicit output, if any.
pub(crate) struct Parsed<'s> {
    spec: &'s str,
    inputs: Vec<Term>,
    output: Option<Term>,
}

/// An `Error::Einsum` for `spec` at character position `pos`.
pub(crate) fn spec_error(spec: &str, pos: Option<usize>, message: String) -> Error {
    Error::Einsum {
        spec: spec.to_string(),
        position: pos,
        message,
    }
}

/// The letter of a label (ellipsis labels have none: `'.'`).
pub(crate) fn letter(l: u8) -> char {
    match l {
        0..=25 => (b'A' + l) as char,
        26..=51 => (b'a' + l - 26) as char,
        _ => '.',
    }
}

/// Parses `spec` by NumPy's grammar.
pub(crate) fn parse(spec: &str) -> Result<Parsed<'_>> {
    let bytes = spec.as_bytes();
    // Character position of byte `i` (only differs from `i` after non-ASCII text, which is
    // always an error, so this is only evaluated for error messages).
    let char_pos = |i: usize| spec.get(..i).map_or(i, |s| s.chars().count());
    let err = |i: usize, msg: String| spec_error(spec, Some(char_pos(i)), msg);

    let mut inputs = Vec::with_capacity(bytes.iter().filter(|&&b| b == b',').count() + 1);
    let mut term = Term::new(0);
    let mut output: Option<Term> = None;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b' ' => {}
            b'A'..=b'Z' | b'a'..=b'z' => {
                if term.len as usize == MAX_NDIM {
                    return Err(err(i, format!("a term names more than {MAX_NDIM} indices")));
                }
                let l = if c.is_ascii_uppercase() {
                    c - b'A'
                } else {
                    c - b'a' + 26
                };
                term.labels[term.len as usize] = l;
                term.pos[term.len as usize] = i as u32;
                term.len += 1;
            }
            b'.' => {
                if bytes.get(i..i + 3) != Some(b"...") {
                    return Err(err(i, "'.' must be part of an ellipsis '...'".into()));
                }
                if term.ellipsis.is_some() {
                    return Err(err(i, "more than one ellipsis '...' in one term".into()));
                }
                term.ellipsis = Some(term.len);
                term.ellipsis_pos = i as u32;
                i += 2;
            }
            b',' => {
                if output.is_some() {
                    return Err(err(i, "',' in the output subscripts".into()));
                }
                inputs.push(term);
                term = Term::new(i as u32 + 1);
            }
            b'-' => {
                if bytes.get(i + 1) != Some(&b'>') {
                    return Err(err(
                        i,
                        "'-' must be followed by '>' (the arrow '->')".into(),
                    ));
                }
                if output.is_some() {
                    return Err(err(i, "more than one '->'".into()));
                }
                inputs.push(term);
                // The output term is collected in `term` from here on; `output` marks that
                // the arrow was seen.
                output = Some(Term::new(i as u32 + 2));
                term = Term::new(i as u32 + 2);
                i += 1;
            }
            b'>' => return Err(err(i, "'>' without a preceding '-'".into())),
            _ => {
                let ch = spec.get(i..).and_then(|s| s.chars().next()).unwrap_or('?');
                return Err(err(
                    i,
                    format!("invalid character {ch:?}: indices must be letters a-z or A-Z"),
                ));
            }
        }
        i += 1;
    }
    match output {
        Some(_) => output = Some(term),
        None => inputs.push(term),
    }
    if let Some(out) = &output {
        let ls = out.labels();
        for (j, &l) in ls.iter().enumerate() {
            if ls[..j].contains(&l) {
                return Err(err(
                    out.pos[j] as usize,
                    format!("output index '{}' appears more than once", letter(l)),
                ));
            }
            if !inputs.iter().any(|t| t.labels().contains(&l)) {
                return Err(err(
                    out.pos[j] as usize,
                    format!(
                        "output index '{}' does not appear in any operand",
                        letter(l)
                    ),
                ));
            }
        }
    }
    Ok(Parsed {
        spec,
        inputs,
        output,
    })
}

/// Which axes of one operand survive binding, and as which labels.
#[derive(Clone, Copy)]
pub(crate) struct OpMap {
    /// The operand's number of axes.
    pub ndim: u8,
    /// For each axis, the index in `labels` it maps to (repeated labels share one: a
    /// diagonal), or [`DROPPED`] for a size-1 axis broadcast against a larger size.
    pub slot: [u8; MAX_NDIM],
    /// The operand's distinct, kept labels.
    pub labels: Labels,
    /// The label of each axis, as written (for display).
    pub axes: [u8; MAX_NDIM],
}

/// A spec resolved against operand shapes.
#[derive(Clone)]
pub(crate) struct Bound {
    /// The size of every label.
    pub sizes: [usize; MAX_LABELS],
    /// Per operand: which label each axis carries.
    pub ops: Vec<OpMap>,
    /// The output's labels, in output order.
    pub output: Labels,
    /// Every label in use.
    pub all: Mask,
}

impl Bound {
    /// The output shape.
    pub(crate) fn output_shape(&self) -> Vec<usize> {
        let out = self.output.as_slice();
        out.iter().map(|&l| self.sizes[l as usize]).collect()
    }

    /// Whether any label has size zero (then the result is all zeros).
    pub(crate) fn any_empty(&self) -> bool {
        labels_of(self.all).any(|l| self.sizes[l as usize] == 0)
    }
}

impl Parsed<'_> {
    /// Resolves the spec against `count` operands whose shapes `shape(i)` gives.
    pub(crate) fn bind<'a>(
        &self,
        count: usize,
        shape: impl Fn(usize) -> &'a [usize],
    ) -> Result<Bound> {
        let spec = self.spec;
        let err = |pos: Option<u32>, msg: String| spec_error(spec, pos.map(|p| p as usize), msg);
        if count != self.inputs.len() {
            return Err(err(
                None,
                format!(
                    "the spec has {} operand term(s) but {count} operand(s) were given",
                    self.inputs.len()
                ),
            ));
        }
        // Pass 1: each operand's number of `...` axes.
        let mut ell_ndim = 0;
        for (t, term) in self.inputs.iter().enumerate() {
            let nd = shape(t).len();
            let named = term.len as usize;
            if nd > MAX_NDIM {
                return Err(err(
                    Some(term.start),
                    format!("operand {t} has {nd} axes; at most {MAX_NDIM} are supported"),
                ));
            }
            match term.ellipsis {
                None if nd != named => {
                    return Err(err(
                        Some(term.start),
                        format!(
                            "operand {t} has {nd} axes (shape {:?}) but its term names {named} indices",
                            shape(t)
                        ),
                    ))
                }
                Some(_) if nd < named => {
                    return Err(err(
                        Some(term.start),
                        format!(
                            "operand {t} has {nd} axes (shape {:?}), fewer than the {named} indices its term names",
                            shape(t)
                        ),
                    ))
                }
                _ => ell_ndim = ell_ndim.max(nd - named),
            }
        }
        // Pass 2: label sizes, with size-1 broadcasting.
        let mut sizes = [1_usize; MAX_LABELS];
        let mut seen: Mask = 0;
        for (t, term) in self.inputs.iter().enumerate() {
            let shp = shape(t);
            let mut own: Mask = 0;
            for (axis, &len) in shp.iter().enumerate() {
                let (l, pos) = axis_label(term, axis, shp.len(), ell_ndim);
                if own & bit(l) != 0 {
                    // A repeated index (diagonal): its axes must have equal lengths.
                    let first = (0..axis)
                        .find(|&a| axis_label(term, a, shp.len(), ell_ndim).0 == l)
                        .map_or(len, |a| shp[a]);
                    if first != len {
                        return Err(err(
                            Some(pos),
                            format!(
                                "index '{}' is repeated in operand {t} over axes of different lengths ({first} and {len}; shape {shp:?})",
                                letter(l)
                            ),
                        ));
                    }
                }
                own |= bit(l);
                let size = &mut sizes[l as usize];
                if seen & bit(l) == 0 || (*size == 1 && len != 1) {
                    *size = len;
                    seen |= bit(l);
                } else if len != 1 && len != *size {
                    return Err(self.size_mismatch(t, (l, pos, len), *size, &shape, ell_ndim));
                }
            }
        }
        // Pass 3: each operand's kept axes.
        let mut ops = Vec::with_capacity(count);
        for (t, term) in self.inputs.iter().enumerate() {
            let shp = shape(t);
            let mut map = OpMap {
                ndim: shp.len() as u8,
                slot: [DROPPED; MAX_NDIM],
                labels: Labels::new(),
                axes: [0; MAX_NDIM],
            };
            for (axis, &len) in shp.iter().enumerate() {
                let (l, _) = axis_label(term, axis, shp.len(), ell_ndim);
                map.axes[axis] = l;
                if len == 1 && sizes[l as usize] != 1 {
                    continue; // broadcast: the operand is constant along this label
                }
                map.slot[axis] = match map.labels.position(l) {
                    Some(s) => s as u8,
                    None => {
                        map.labels.push(l);
                        (map.labels.len() - 1) as u8
                    }
                };
            }
            ops.push(map);
        }
        let ell_mask: Mask = (0..ell_ndim).fold(0, |m, j| m | bit(ELLIPSIS_BASE + j as u8));
        let mut output = Labels::new();
        match &self.output {
            Some(out) => {
                if out.ellipsis.is_none() && ell_ndim > 0 {
                    return Err(err(
                        Some(out.start),
                        format!(
                            "the operands have {ell_ndim} axes under '...' but the output has no '...' to place them"
                        ),
                    ));
                }
                let ls = out.labels();
                for (j, &l) in ls.iter().enumerate() {
                    if out.ellipsis == Some(j as u8) {
                        (0..ell_ndim).for_each(|e| output.push(ELLIPSIS_BASE + e as u8));
                    }
                    output.push(l);
                }
                if out.ellipsis == Some(out.len) {
                    (0..ell_ndim).for_each(|e| output.push(ELLIPSIS_BASE + e as u8));
                }
            }
            None => {
                // Implicit mode: the `...` axes, then the labels used exactly once, sorted.
                (0..ell_ndim).for_each(|e| output.push(ELLIPSIS_BASE + e as u8));
                let mut counts = [0_u32; ELLIPSIS_BASE as usize];
                for term in &self.inputs {
                    term.labels().iter().for_each(|&l| counts[l as usize] += 1);
                }
                for l in 0..ELLIPSIS_BASE {
                    if counts[l as usize] == 1 {
                        output.push(l);
                    }
                }
            }
        }
        Ok(Bound {
            sizes,
            ops,
            output,
            all: seen | ell_mask,
        })
    }
}

impl Parsed<'_> {
    /// The error for label `l` of length `len` at `pos` in operand `t` against its
    /// established `size`, naming the first operand that gave `size`.
    fn size_mismatch<'a>(
        &self,
        t: usize,
        (l, pos, len): (u8, u32, usize),
        size: usize,
        shape: &impl Fn(usize) -> &'a [usize],
        ell_ndim: usize,
    ) -> Error {
        let t0 = (0..t)
            .find(|&o| {
                let shp = shape(o);
                (0..shp.len()).any(|a| {
                    shp[a] == size && axis_label(&self.inputs[o], a, shp.len(), ell_ndim).0 == l
                })
            })
            .unwrap_or(0);
        let what = if l >= ELLIPSIS_BASE {
            format!("axis {} under '...'", l - ELLIPSIS_BASE)
        } else {
            format!("index '{}'", letter(l))
        };
        spec_error(
            self.spec,
            Some(pos as usize),
            format!(
                "{what} has size {size} in operand {t0} (shape {:?}) but {len} in operand {t} (shape {:?})",
                shape(t0),
                shape(t)
            ),
        )
    }
}

/// The label of axis `axis` of an `nd`-axis operand with `term`, and its spec position.
fn axis_label(term: &Term, axis: usize, nd: usize, ell_ndim: usize) -> (u8, u32) {
    let named = term.len as usize;
    match term.ellipsis {
        Some(e) => {
            let e = e as usize;
            let own_ell = nd - named;
            if axis < e {
                (term.labels[axis], term.pos[axis])
            } else if axis < e + own_ell {
                let j = ell_ndim - own_ell + (axis - e);
                (ELLIPSIS_BASE + j as u8, term.ellipsis_pos)
            } else {
                let k = axis - own_ell;
                (term.labels[k], term.pos[k])
            }
        }
        None => (term.labels[axis], term.pos[axis]),
    }
}
