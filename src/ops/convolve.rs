//! `numpy.convolve` and `numpy.correlate`: a direct kernel for short operands, FFT
//! overlap-add (realfft) for long ones.
//!
//! Both reduce to a window of the full linear convolution of a (the longer operand) with r:
//! `full[k] = Σⱼ a[k − j]·r[j]`. `convolve(a, v)` is that with r = v; `correlate(a, v)` with
//! r = v reversed. The window is NumPy's: the whole of `full` (`Full`), its central
//! `max(N, n)` values starting at `n − 1 − n/2` for the shorter length n (`Same`), or the
//! `N − n + 1` values where the operands overlap completely (`Valid`). As NumPy does,
//! `convolve` swaps its operands when `v` is the longer one and `correlate` then reverses its
//! result.
//!
//! The direct kernel adds `r[j]·a[k − j]` over cache-sized blocks of the output, one `j` at a
//! time (a vectorised multiply-add per element); the FFT path adds the products of
//! blocks of `a` with r transformed once, in transforms of the power-of-two size that
//! minimises the work per output. The direct kernel runs for r shorter than
//! [`FFT_FROM`] and whenever the signal is too short for a transform to pay.

use std::mem::MaybeUninit;
use std::sync::Arc;

use ndarray::{Array1, ArrayBase, Data, Ix1};
use realfft::num_complex::Complex;
use realfft::{FftNum, RealFftPlanner};

use crate::layout::vec_for;
use crate::simd::simd_dispatch;
use crate::{Error, Real, Result, Scalar};

/// The output window of [`convolve`] and [`correlate`], as their NumPy `mode` argument.
///
/// ```
/// use ndarray::array;
/// use ndkit::ops::{convolve, ConvolveMode};
/// # fn main() -> ndkit::Result<()> {
/// let a = array![1.0_f64, 2.0, 3.0];
/// let v = array![0.0, 1.0, 0.5];
/// assert_eq!(convolve(&a, &v, ConvolveMode::Full)?, array![0.0, 1.0, 2.5, 4.0, 1.5]);
/// assert_eq!(convolve(&a, &v, ConvolveMode::Same)?, array![1.0, 2.5, 4.0]);
/// assert_eq!(convolve(&a, &v, ConvolveMode::Valid)?, array![2.5]);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ConvolveMode {
    /// Every point of overlap: length N + n − 1.
    Full,
    /// The central part of `Full` of length max(N, n), centred as NumPy centres it.
    Same,
    /// Only where the operands overlap completely: length max(N, n) − min(N, n) + 1.
    Valid,
}

/// The discrete linear convolution of `a` and `v`, as `numpy.convolve(a, v, mode)`.
///
/// Direct for short kernels, FFT overlap-add above a measured crossover (module docs). The
/// FFT result differs from the direct sum by rounding of the order of
/// ε·log₂(size)·max|a|·Σ|v| per element, as `scipy.signal.fftconvolve`'s does.
///
/// # Errors
/// [`Error::InvalidArgument`] when either operand is empty (as NumPy's `ValueError`).
///
/// ```
/// use ndarray::array;
/// use ndkit::ops::{convolve, ConvolveMode};
/// # fn main() -> ndkit::Result<()> {
/// // A 3-point moving average.
/// let x = array![3.0_f64, 6.0, 9.0, 12.0];
/// let avg = convolve(&x, &ndarray::Array1::from_elem(3, 1.0 / 3.0), ConvolveMode::Valid)?;
/// assert!((avg - array![6.0, 9.0]).iter().all(|e| e.abs() < 1e-12));
/// # Ok(())
/// # }
/// ```
pub fn convolve<T: Real, Sa: Data<Elem = T>, Sv: Data<Elem = T>>(
    a: &ArrayBase<Sa, Ix1>,
    v: &ArrayBase<Sv, Ix1>,
    mode: ConvolveMode,
) -> Result<Array1<T>> {
    check("convolve", a.len(), v.len())?;
    let (a, v) = (borrow(a), borrow(v));
    let (long, short) = if v.len() > a.len() { (v, a) } else { (a, v) };
    Ok(Array1::from(window(&long, &short, mode)))
}

/// The cross-correlation of `a` and `v`, as `numpy.correlate(a, v, mode)`:
/// `c[k] = Σₙ a[n + k]·v[n]` over NumPy's window for `mode`.
///
/// # Errors
/// [`Error::InvalidArgument`] when either operand is empty.
///
/// ```
/// use ndarray::array;
/// use ndkit::ops::{correlate, ConvolveMode};
/// # fn main() -> ndkit::Result<()> {
/// let c = correlate(&array![1.0_f64, 2.0, 3.0], &array![0.0, 1.0, 0.5], ConvolveMode::Full)?;
/// assert_eq!(c, array![0.5, 2.0, 3.5, 3.0, 0.0]);
/// # Ok(())
/// # }
/// ```
pub fn correlate<T: Real, Sa: Data<Elem = T>, Sv: Data<Elem = T>>(
    a: &ArrayBase<Sa, Ix1>,
    v: &ArrayBase<Sv, Ix1>,
    mode: ConvolveMode,
) -> Result<Array1<T>> {
    check("correlate", a.len(), v.len())?;
    let (a, mut v) = (to_vec(a), to_vec(v));
    if a.len() >= v.len() {
        v.reverse();
        Ok(Array1::from(window(&a, &v, mode)))
    } else {
        // NumPy swaps the operands and reverses the result.
        let mut a = a;
        a.reverse();
        let mut out = window(&v, &a, mode);
        out.reverse();
        Ok(Array1::from(out))
    }
}

fn check(op: &'static str, n: usize, m: usize) -> Result<()> {
    if n == 0 || m == 0 {
        return Err(Error::InvalidArgument {
            op,
            message: format!("operands must be non-empty, got lengths {n} and {m}"),
        });
    }
    Ok(())
}

fn to_vec<T: Real, S: Data<Elem = T>>(x: &ArrayBase<S, Ix1>) -> Vec<T> {
    x.iter().copied().collect()
}

/// The elements of `x` in order: borrowed when contiguous, else copied.
fn borrow<T: Real, S: Data<Elem = T>>(x: &ArrayBase<S, Ix1>) -> std::borrow::Cow<'_, [T]> {
    match x.as_slice() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(to_vec(x)),
    }
}

/// NumPy's `mode` window of the full convolution of `a` (length N) and `r` (length n ≤ N).
fn window<T: Real>(a: &[T], r: &[T], mode: ConvolveMode) -> Vec<T> {
    let (big, n) = (a.len(), r.len());
    debug_assert!(n <= big && n > 0);
    let (start, len) = match mode {
        ConvolveMode::Full => (0, big + n - 1),
        ConvolveMode::Same => (n - 1 - n / 2, big),
        ConvolveMode::Valid => (n - 1, big - n + 1),
    };
    if use_fft(big, n) {
        T::fft_window(a, r, start, len)
    } else {
        direct_window(a, r, start, len)
    }
}

/// Kernel length from which the FFT path is used (for long enough signals). From the cost
/// of the two kernels: the direct sum does n multiply-adds per output (4 per cycle with
/// AVX2 FMA), the overlap-add at its best transform size about 10 butterfly units per output
/// at n = 48 and a near-constant 13–15 beyond (see [`fft_size`]); on this repository's 2-core
/// EPYC, 1e6 × 10 direct took 14 ms and 1e6 × 1000 by FFT 19 ms in one run. A sweep of
/// kernel lengths (`cargo bench --bench compare -- --filter "convolve sweep"`) on the shared,
/// loaded machine found the FFT at 48 taps faster than the direct sum at 47 (125 vs 223 ms)
/// but was too noisy to place the crossover more precisely; re-measure on an idle machine.
pub(crate) const FFT_FROM: usize = 48;

/// Whether the FFT path pays: a kernel of at least [`FFT_FROM`] taps on a signal at least
/// four times longer than the kernel (shorter signals need a transform the size of the whole
/// output, where the direct sum's N·n multiply-adds win up to far longer kernels).
fn use_fft(big: usize, n: usize) -> bool {
    n >= FFT_FROM && (big >= 4 * n || (big as f64) * (n as f64) > 4e5)
}

/// `full[start..start + len]` by the direct sum, in output blocks that stay in L1. Each block
/// is zeroed and summed while in cache, in a result that was never zero-filled before (a
/// fresh large allocation costs its first touch, not a second pass).
fn direct_window<T: Real>(a: &[T], r: &[T], start: usize, len: usize) -> Vec<T> {
    const BLOCK: usize = 2048;
    let mut out = vec_for(len);
    for b0 in (0..len).step_by(BLOCK) {
        let block = BLOCK.min(len - b0);
        let spare = &mut out.spare_capacity_mut()[..block];
        spare.fill(MaybeUninit::new(T::zero()));
        // SAFETY: every element of `spare` was written by the fill above, and MaybeUninit<T>
        // has T's layout.
        let chunk: &mut [T] = unsafe { &mut *(spare as *mut [MaybeUninit<T>] as *mut [T]) };
        accumulate_block_simd(a, r, chunk, start + b0);
        // SAFETY: elements 0..b0 were initialised by the earlier blocks and b0..b0 + block by
        // this one; the capacity is `len` ≥ b0 + block.
        unsafe { out.set_len(b0 + block) };
    }
    out
}

simd_dispatch!(fn accumulate_block_simd => accumulate_block(a: &[T], r: &[T], chunk: &mut [T], k0: usize) -> ());

/// `chunk[k − k0] += Σⱼ r[j]·a[k − j]` for the full indices k of the chunk (those with
/// 0 ≤ k − j < a.len()), one pass over the chunk per tap; with `FMA` each step is one fused
/// multiply–add.
#[inline(always)]
fn accumulate_block<T: Real, const FMA: bool>(a: &[T], r: &[T], chunk: &mut [T], k0: usize) {
    let k1 = k0 + chunk.len();
    for (j, &w) in r.iter().enumerate() {
        let lo = k0.max(j);
        let hi = k1.min(a.len() + j);
        if lo >= hi {
            continue;
        }
        let dst = &mut chunk[lo - k0..hi - k0];
        let src = &a[lo - j..hi - j];
        for (o, &x) in dst.iter_mut().zip(src) {
            *o = if FMA { w.mul_add(x, *o) } else { *o + w * x };
        }
    }
}

/// The transform size that minimises the work per output, N·log₂N / (N − n + 1), over powers
/// of two from 2n up to the size that would hold the whole output at once.
fn fft_size(big: usize, n: usize) -> usize {
    let whole = (big + n - 1).next_power_of_two();
    let mut best = whole;
    let mut best_cost = f64::INFINITY;
    let mut size = (2 * n).next_power_of_two();
    while size <= whole {
        let cost = size as f64 * (size as f64).log2() / (size - n + 1) as f64;
        if cost < best_cost {
            best_cost = cost;
            best = size;
        }
        size *= 2;
    }
    best
}

/// `full[start..start + len]` by overlap-add: blocks of `a` of length L = size − n + 1, each
/// zero-padded to `size`, transformed, multiplied by the transform of r and transformed
/// back; block b's result adds to full[b·L .. b·L + size].
pub(crate) fn fft_window<T: Real + FftNum>(a: &[T], r: &[T], start: usize, len: usize) -> Vec<T> {
    let (big, n) = (a.len(), r.len());
    let size = fft_size(big, n);
    let step = size - n + 1;
    let mut planner = RealFftPlanner::<T>::new();
    let forward: Arc<dyn realfft::RealToComplex<T>> = planner.plan_fft_forward(size);
    let inverse: Arc<dyn realfft::ComplexToReal<T>> = planner.plan_fft_inverse(size);
    let mut time = forward.make_input_vec();
    let mut kernel = forward.make_output_vec();
    let mut spectrum = forward.make_output_vec();
    let mut scratch = forward.make_scratch_vec();
    let mut inv_scratch = inverse.make_scratch_vec();
    time[..n].copy_from_slice(r);
    forward
        .process_with_scratch(&mut time, &mut kernel, &mut scratch)
        .expect("buffers from the plan");
    // The inverse is unnormalised: fold 1/size into the kernel's spectrum.
    let scale = <T as num_traits::One>::one() / <T as Scalar>::from_f64_nearest(size as f64);
    for c in kernel.iter_mut() {
        *c = *c * scale;
    }
    let zero = <T as num_traits::Zero>::zero();
    let mut out = vec![zero; len];
    let end = start + len;
    for b0 in (0..big).step_by(step) {
        // Block b's products land in full[b0 .. b0 + size); skip those outside the window.
        if b0 + size <= start {
            continue;
        }
        if b0 >= end {
            break;
        }
        let b1 = (b0 + step).min(big);
        time[..b1 - b0].copy_from_slice(&a[b0..b1]);
        time[b1 - b0..].fill(zero);
        forward
            .process_with_scratch(&mut time, &mut spectrum, &mut scratch)
            .expect("buffers from the plan");
        for (s, &k) in spectrum.iter_mut().zip(&kernel) {
            *s = mul(*s, k);
        }
        // Real signals: the DC and Nyquist bins must be real for the inverse transform.
        spectrum[0].im = zero;
        if let Some(last) = spectrum.last_mut() {
            last.im = zero;
        }
        inverse
            .process_with_scratch(&mut spectrum, &mut time, &mut inv_scratch)
            .expect("buffers from the plan");
        let lo = b0.max(start);
        let hi = (b0 + (b1 - b0) + n - 1).min(end);
        for k in lo..hi {
            out[k - start] += time[k - b0];
        }
    }
    out
}

#[inline]
fn mul<T: Real + FftNum>(a: Complex<T>, b: Complex<T>) -> Complex<T> {
    Complex::new(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both paths agree with each other at every window, kernel length and signal length
    /// around the block and transform boundaries.
    #[test]
    fn fft_matches_direct() {
        let mut seed = 1u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
        };
        for &(big, n) in &[
            (50, 48),
            (200, 48),
            (1000, 63),
            (3000, 64),
            (5000, 300),
            (4097, 1000),
        ] {
            let a: Vec<f64> = (0..big).map(|_| next()).collect();
            let r: Vec<f64> = (0..n).map(|_| next()).collect();
            let full_len = big + n - 1;
            for (start, len) in [(0, full_len), (n - 1 - n / 2, big), (n - 1, big - n + 1)] {
                let d = direct_window(&a, &r, start, len);
                let f = fft_window(&a, &r, start, len);
                let scale: f64 = r.iter().map(|x| x.abs()).sum();
                for (x, y) in d.iter().zip(&f) {
                    assert!((x - y).abs() <= 1e-13 * scale, "{big} {n}: {x} vs {y}");
                }
            }
        }
    }
}
