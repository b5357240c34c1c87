//! NumPy's broadcasting of batch shapes, and the walk over a broadcast batch: for each index
//! of the batch in C order, the element offset of that batch entry in every operand. Used by
//! `batched_matmul` (and meant for the stacked decompositions). einsum broadcasts per label
//! instead of per shape (`einsum::parse`), so it has no use for this module.

/// The broadcast of two shapes by NumPy's rules (aligned on the right; equal, or one of them
/// 1), or `None` when they do not broadcast.
pub(crate) fn broadcast_shapes(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let len = a.len().max(b.len());
    let at = |s: &[usize], i: usize| {
        if i < len - s.len() {
            1
        } else {
            s[i - (len - s.len())]
        }
    };
    (0..len)
        .map(|i| match (at(a, i), at(b, i)) {
            (x, y) if x == y || y == 1 => Some(x),
            (1, y) => Some(y),
            _ => None,
        })
        .collect()
}

/// The element strides of an operand's batch axes (its leading `shape`/`strides`, aligned on
/// the right) against the broadcast `batch` shape: 0 for an axis the operand lacks or has of
/// length 1 (broadcast), its own stride otherwise. `shape` must broadcast to `batch`.
pub(crate) fn batch_strides(batch: &[usize], shape: &[usize], strides: &[isize]) -> Vec<isize> {
    debug_assert!(shape.len() <= batch.len() && shape.len() == strides.len());
    let missing = batch.len() - shape.len();
    std::iter::repeat_n(0, missing)
        .chain(
            shape
                .iter()
                .zip(strides)
                .map(|(&len, &s)| if len == 1 { 0 } else { s }),
        )
        .collect()
}

/// The offsets of every batch entry in `N` operands, in C order over `batch`: an odometer over
/// the batch index that adds one stride per step instead of dividing the flat index.
pub(crate) struct BatchOffsets<'a, const N: usize> {
    batch: &'a [usize],
    strides: [&'a [isize]; N],
    index: Vec<usize>,
    offsets: [isize; N],
    remaining: usize,
}

impl<'a, const N: usize> BatchOffsets<'a, N> {
    /// The walk over `batch` for operands whose batch strides (from [`batch_strides`]) are
    /// `strides`.
    pub(crate) fn new(batch: &'a [usize], strides: [&'a [isize]; N]) -> Self {
        debug_assert!(strides.iter().all(|s| s.len() == batch.len()));
        BatchOffsets {
            batch,
            strides,
            index: vec![0; batch.len()],
            offsets: [0; N],
            remaining: batch.iter().product(),
        }
    }
}

impl<const N: usize> Iterator for BatchOffsets<'_, N> {
    type Item = [isize; N];

    fn next(&mut self) -> Option<[isize; N]> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let current = self.offsets;
        // Advance the last axis; carry into the ones before it.
        for axis in (0..self.batch.len()).rev() {
            self.index[axis] += 1;
            for (offset, strides) in self.offsets.iter_mut().zip(&self.strides) {
                *offset += strides[axis];
            }
            if self.index[axis] < self.batch[axis] {
                break;
            }
            for (offset, strides) in self.offsets.iter_mut().zip(&self.strides) {
                *offset -= strides[axis] * self.batch[axis] as isize;
            }
            self.index[axis] = 0;
        }
        Some(current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_broadcast_as_numpy() {
        assert_eq!(broadcast_shapes(&[2, 1, 3], &[4, 1]), Some(vec![2, 4, 3]));
        assert_eq!(broadcast_shapes(&[], &[5]), Some(vec![5]));
        assert_eq!(broadcast_shapes(&[0], &[1]), Some(vec![0]));
        assert_eq!(broadcast_shapes(&[1], &[0]), Some(vec![0]));
        assert_eq!(broadcast_shapes(&[2], &[3]), None);
        assert_eq!(broadcast_shapes(&[2, 3], &[3, 3]), None);
    }

    #[test]
    fn offsets_follow_c_order_with_broadcast_axes() {
        // batch [2, 3]; operand a has both axes (strides 30, 10), b only the last (length 3,
        // stride 7) and c is broadcast along the last (its own length 1).
        let batch = [2, 3];
        let a = batch_strides(&batch, &[2, 3], &[30, 10]);
        let b = batch_strides(&batch, &[3], &[7]);
        let c = batch_strides(&batch, &[2, 1], &[-5, 99]);
        assert_eq!(
            (a.clone(), b.clone(), c.clone()),
            (vec![30, 10], vec![0, 7], vec![-5, 0])
        );
        let got: Vec<[isize; 3]> = BatchOffsets::new(&batch, [&a, &b, &c]).collect();
        let want: Vec<[isize; 3]> = (0..2)
            .flat_map(|i| (0..3).map(move |j| [30 * i + 10 * j, 7 * j, -5 * i]))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn empty_and_scalar_batches() {
        assert_eq!(BatchOffsets::new(&[], [&[][..]]).collect::<Vec<_>>(), [[0]]);
        assert_eq!(BatchOffsets::new(&[3, 0], [&[1, 1][..]]).count(), 0);
    }
}
