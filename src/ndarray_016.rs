//! A bridge for crates on ndarray 0.16 (feature `ndarray-0_16`): their arrays and views as
//! ndarray 0.17 ones, which ndkit's functions take, and ndkit's results back, without copying
//! the elements.
//!
//! | from ndarray 0.16 | to ndarray 0.17 | and back |
//! |---|---|---|
//! | `&ArrayBase<S, D>` (any storage: `Array`, `ArrayView`, `ArcArray`, …) | [`view`] → `ArrayView` | [`view_016`] |
//! | `&mut ArrayBase<S, D>` | [`view_mut`] → `ArrayViewMut` | [`view_mut_016`] |
//! | `Array<A, D>` | [`into_017`] → `Array` (moved) | [`into_016`] |
//!
//! Dimensions map one to one (`Ix0`…`Ix6`, `IxDyn`; see [`Dimension016`] and
//! [`Dimension017`]), elements can be of any type, and every layout is kept as it is: C or
//! Fortran order, transposed, sliced, broadcast (stride 0) and negative strides (`s![..;-1]`).
//! The views borrow the original's elements for their lifetime, as the original's own
//! `.view()` would. An owned array is moved: its `Vec` becomes the new array's, and only an
//! array sliced in place (`slice_move`, `slice_collapse`) whose lowest-addressed element is not
//! the `Vec`'s first has its elements moved down within that same allocation first (one
//! `memmove`, no new allocation, no `Clone`).
//!
//! ```
//! use ndarray_016 as nd16; // a client's own `ndarray = "0.16"`
//! use ndkit::ndarray_016::{into_016, view};
//!
//! # fn main() -> ndkit::Result<()> {
//! let a: nd16::Array2<f64> = nd16::array![[4.0, 1.0], [1.0, 3.0]];
//! let b = nd16::array![1.0, 2.0];
//! // Reversed rows, transposed: still no copy, and ndkit gives the same answer as for a copy.
//! let flipped = a.slice(nd16::s![..;-1, ..]);
//! let x = ndkit::linalg::solve(&view(&flipped.t()), &view(&b))?;
//! let x: nd16::Array1<f64> = into_016(x);
//! let residual = flipped.t().dot(&x) - &b;
//! assert!(residual.iter().all(|r| r.abs() < 1e-12));
//! # Ok(())
//! # }
//! ```
//!
//! ## Why conversions rather than a matrix-view trait
//! ndarray 0.16 and 0.17 lay arrays out the same way — a pointer to the logically first
//! element, a shape and element strides — so a view of one is a view of the other once that
//! triple is carried over, in O(ndim) and with no copy. Conversions keep ndkit's signatures
//! the ones every 0.17 user writes (`&ArrayBase<S, D>`, any dimension, results as owned
//! `Array`s), where a trait over "a matrix of either version" would have to be threaded through
//! every generic bound of every function, would cover only the dimensions it was written for,
//! and would still need conversions for results. The one subtlety is negative strides: both
//! versions build views only from non-negative strides, so a view is built over the
//! lowest-addressed element with the strides' absolute values, and the axes whose strides were
//! negative are then inverted — the same elements in the same logical order.

mod sealed {
    pub trait Sealed {}
}

/// Both versions' arrays of every dimensionality, through one pair of macros.
macro_rules! dimensions {
    ($($d:ident),*) => {
        $(
            impl sealed::Sealed for ndarray_016::$d {}
            impl Dimension016 for ndarray_016::$d {
                type Dim017 = ndarray::$d;
            }
            impl Dimension017 for ndarray::$d {
                type Dim016 = ndarray_016::$d;
            }
        )*
    };
}

/// An ndarray 0.16 dimension type and its ndarray 0.17 counterpart (`Ix2` ↔ `Ix2`, …,
/// `IxDyn` ↔ `IxDyn`).
///
/// ```
/// fn same<D: ndkit::ndarray_016::Dimension016<Dim017 = ndarray::Ix3>>() {}
/// same::<ndarray_016::Ix3>();
/// ```
pub trait Dimension016: ndarray_016::Dimension + sealed::Sealed {
    /// The ndarray 0.17 dimension of the same dimensionality.
    type Dim017: ndarray::Dimension + Dimension017<Dim016 = Self>;
}

/// An ndarray 0.17 dimension type and its ndarray 0.16 counterpart.
///
/// ```
/// fn same<D: ndkit::ndarray_016::Dimension017<Dim016 = ndarray_016::IxDyn>>() {}
/// same::<ndarray::IxDyn>();
/// ```
pub trait Dimension017: ndarray::Dimension {
    /// The ndarray 0.16 dimension of the same dimensionality.
    type Dim016: ndarray_016::Dimension + Dimension016<Dim017 = Self>;
}

dimensions!(Ix0, Ix1, Ix2, Ix3, Ix4, Ix5, Ix6, IxDyn);

/// The layout of a `shape`/`strides` array as non-negative strides: the strides' absolute
/// values, the element offset from the logically first element to the lowest-addressed one
/// (zero for an empty array, which addresses nothing), and the axes whose strides are negative.
fn normalise(shape: &[usize], strides: &[isize]) -> (Vec<usize>, isize, Vec<usize>) {
    let empty = shape.contains(&0);
    let mut low = 0;
    let mut inverted = Vec::new();
    for (axis, (&n, &stride)) in shape.iter().zip(strides).enumerate() {
        if stride < 0 && !empty {
            // n ≥ 1 here, and stride·(n − 1) is an offset within the source array.
            low += stride * (n as isize - 1);
            inverted.push(axis);
        }
    }
    let abs = strides.iter().map(|s| s.unsigned_abs()).collect();
    (abs, low, inverted)
}

/// The conversions of one direction, from crate `$from` to crate `$to`.
macro_rules! bridge {
    (
        $from:ident => $to:ident, $trait:ident, $target:ident, $to_dim:ident,
        $(#[$view_doc:meta])* $view:ident,
        $(#[$mut_doc:meta])* $view_mut:ident,
        $(#[$into_doc:meta])* $into:ident
    ) => {
        /// A dimension of `$to` with these axis lengths (or strides).
        fn $to_dim<E: $to::Dimension>(values: &[usize]) -> E {
            let mut dim = E::zeros(values.len());
            for (d, &v) in dim.as_array_view_mut().iter_mut().zip(values) {
                *d = v;
            }
            dim
        }

        $(#[$view_doc])*
        pub fn $view<'a, A, S, D>(a: &'a $from::ArrayBase<S, D>) -> $to::ArrayView<'a, A, D::$target>
        where
            S: $from::Data<Elem = A>,
            D: $trait,
        {
            let (abs, low, inverted) = normalise(a.shape(), a.strides());
            let (dim, abs) = ($to_dim::<D::$target>(a.shape()), $to_dim::<D::$target>(&abs));
            // SAFETY: `low` is the offset (in elements) from the logically first element to the
            // lowest-addressed one, an element of `a` (zero when `a` is empty): in bounds of
            // `a`'s allocation.
            let ptr = unsafe { a.as_ptr().offset(low) };
            // SAFETY: from the lowest-addressed element, the non-negative strides `abs` over
            // `a`'s shape reach exactly `a`'s elements (those of `a`'s axes reversed where its
            // strides are negative), which live and stay unaliased mutably for 'a: they are
            // borrowed from `a` for 'a. Shape and strides are those of a valid array, so the
            // size and offset bounds hold.
            let mut view = unsafe { $to::ArrayView::from_shape_ptr($to::ShapeBuilder::strides(dim, abs), ptr) };
            for axis in inverted {
                view.invert_axis($to::Axis(axis));
            }
            view
        }

        $(#[$mut_doc])*
        pub fn $view_mut<'a, A, S, D>(
            a: &'a mut $from::ArrayBase<S, D>,
        ) -> $to::ArrayViewMut<'a, A, D::$target>
        where
            S: $from::DataMut<Elem = A>,
            D: $trait,
        {
            // First: makes a shared array (`ArcArray`) unique, which may change its layout.
            let ptr = a.as_mut_ptr();
            let (abs, low, inverted) = normalise(a.shape(), a.strides());
            let (dim, abs) = ($to_dim::<D::$target>(a.shape()), $to_dim::<D::$target>(&abs));
            // SAFETY: as in the shared view: an element of `a`, or no offset when empty.
            let ptr = unsafe { ptr.offset(low) };
            // SAFETY: as in the shared view, and the elements are borrowed mutably from `a`
            // for 'a, so nothing else aliases them; a mutable array has no two indices on one
            // element, and neither has this view, whose strides differ only in sign.
            let mut view = unsafe { $to::ArrayViewMut::from_shape_ptr($to::ShapeBuilder::strides(dim, abs), ptr) };
            for axis in inverted {
                view.invert_axis($to::Axis(axis));
            }
            view
        }

        $(#[$into_doc])*
        pub fn $into<A, D: $trait>(a: $from::Array<A, D>) -> $to::Array<A, D::$target> {
            let (shape, strides) = (a.shape().to_vec(), a.strides().to_vec());
            let (abs, low, inverted) = normalise(&shape, &strides);
            let (dim, abs) = ($to_dim::<D::$target>(&shape), $to_dim::<D::$target>(&abs));
            let (mut data, first) = a.into_raw_vec_and_offset();
            let first = match first {
                Some(first) if !shape.contains(&0) => first,
                // Empty: nothing to keep (the elements `data` holds are dropped, as the
                // original array would have dropped them).
                _ => {
                    // SAFETY: `dim` has a zero-length axis: no element is addressed, the
                    // default strides are valid for it, and the vector is empty.
                    return unsafe { $to::Array::from_shape_vec_unchecked(dim, Vec::new()) };
                }
            };
            // The lowest-addressed element (an element of the array, so ≥ 0).
            let lowest = (first as isize + low) as usize;
            // Elements below the array's lowest one belong to no index: dropped, and the rest
            // moved down in place so that the array starts the vector.
            data.drain(..lowest);
            // SAFETY: `dim` and `abs` have the same ndim; they are the shape and the strides'
            // absolute values of a valid array whose lowest-addressed element is now `data[0]`,
            // so every index stays within `data` (whose elements above the array's are kept),
            // no two indices meet, and the size bound holds as it did for the original.
            let mut array = unsafe { $to::Array::from_shape_vec_unchecked($to::ShapeBuilder::strides(dim, abs), data) };
            for axis in inverted {
                array.invert_axis($to::Axis(axis));
            }
            array
        }
    };
}

bridge!(
    ndarray_016 => ndarray, Dimension016, Dim017, dim_017,
    /// An ndarray 0.16 array or view as an ndarray 0.17 view of the same elements (no copy),
    /// with the same shape and strides, negative ones included.
    ///
    /// ```
    /// use ndarray_016::{array, s};
    /// let a = array![[1.0_f64, 2.0], [3.0, 4.0]];
    /// let mirrored = a.slice(s![.., ..;-1]);
    /// let v = ndkit::ndarray_016::view(&mirrored); // borrows `mirrored`
    /// assert_eq!(v, ndarray::array![[2.0, 1.0], [4.0, 3.0]]);
    /// assert_eq!(ndkit::linalg::det(&v)?, 2.0);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    view,
    /// An ndarray 0.16 array or mutable view as a mutable ndarray 0.17 view of the same
    /// elements: writes through it change the original.
    ///
    /// ```
    /// let mut a = ndarray_016::Array2::<f64>::zeros((2, 3));
    /// let mut t = a.view_mut().reversed_axes();
    /// ndkit::ndarray_016::view_mut(&mut t).fill(1.0);
    /// assert!(a.iter().all(|&x| x == 1.0));
    /// ```
    view_mut,
    /// An owned ndarray 0.16 array moved into an ndarray 0.17 one: the same allocation and
    /// layout, no element cloned (see the module docs for in-place sliced arrays).
    ///
    /// ```
    /// let a = ndarray_016::Array2::from_shape_fn((2, 3).f(), |(i, j)| (10 * i + j) as f64);
    /// # use ndarray_016::ShapeBuilder;
    /// let ptr = a.as_ptr();
    /// let b = ndkit::ndarray_016::into_017(a);
    /// assert_eq!(b.as_ptr(), ptr);
    /// assert_eq!(b, ndarray::array![[0.0, 1.0, 2.0], [10.0, 11.0, 12.0]]);
    /// ```
    into_017
);

bridge!(
    ndarray => ndarray_016, Dimension017, Dim016, dim_016,
    /// An ndarray 0.17 array or view (an ndkit result, say) as an ndarray 0.16 view of the
    /// same elements (no copy).
    ///
    /// ```
    /// let x = ndkit::linalg::inv(&ndarray::array![[2.0_f64, 0.0], [0.0, 4.0]])?;
    /// let v = ndkit::ndarray_016::view_016(&x);
    /// assert_eq!(v, ndarray_016::array![[0.5, 0.0], [0.0, 0.25]]);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    view_016,
    /// An ndarray 0.17 array or mutable view as a mutable ndarray 0.16 view of the same
    /// elements.
    ///
    /// ```
    /// let mut x = ndarray::Array1::<f64>::zeros(4);
    /// ndkit::ndarray_016::view_mut_016(&mut x.slice_mut(ndarray::s![..;-2])).fill(1.0);
    /// assert_eq!(x, ndarray::array![0.0, 1.0, 0.0, 1.0]);
    /// ```
    view_mut_016,
    /// An owned ndarray 0.17 array (an ndkit result) moved into an ndarray 0.16 one: the same
    /// allocation and layout, no element cloned.
    ///
    /// ```
    /// let svd = ndkit::linalg::svd(&ndarray::array![[3.0_f64, 0.0], [0.0, 4.0]], false)?;
    /// let s: ndarray_016::Array1<f64> = ndkit::ndarray_016::into_016(svd.s);
    /// assert_eq!(s, ndarray_016::array![4.0, 3.0]);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    into_016
);
