//! `ndkit::einsum`: NumPy reference results in every dtype and layout, a naive reference
//! implementation (exhaustive loop over all index values) for random specs, the BLAS paths
//! against `linalg::matmul`, the planner and its report against `numpy.einsum_path`, and
//! every class of malformed spec.
//!
//! Reference data: `tests/einsum_reference/data`, written by
//! `tests/einsum_reference/generate.py` (numpy version in `VERSIONS.txt`).

mod common;

use common::{eps, max_rel_err, rng, Laid, TestScalar, LAYOUTS};
use ndarray::{arr0, Array, Array2, ArrayD, ArrayViewD, IxDyn};
use ndkit::einsum::{einsum_path, EinsumPath};
use ndkit::{c32, c64, einsum, linalg, Error, Scalar};
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::Rng;

const DATA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/einsum_reference/data/");

// --------------------------------------------------------------------------- helpers

/// The naive reference: loops over every value of every index and accumulates the product of
/// the operands' entries. Explicit specs of letters only; repeated indices and size-1
/// broadcasting are handled by indexing.
fn naive<T: Scalar>(spec: &str, ops: &[ArrayViewD<'_, T>]) -> ArrayD<T> {
    let (ins, out) = spec.split_once("->").expect("naive: explicit spec");
    let terms: Vec<Vec<char>> = ins.split(',').map(|t| t.chars().collect()).collect();
    let out: Vec<char> = out.chars().collect();
    let mut labels: Vec<char> = Vec::new();
    let mut sizes: Vec<usize> = Vec::new();
    for (t, op) in terms.iter().zip(ops) {
        assert_eq!(t.len(), op.ndim(), "naive: {spec}");
        for (&c, &len) in t.iter().zip(op.shape()) {
            match labels.iter().position(|&x| x == c) {
                Some(p) if len != 1 => sizes[p] = len,
                Some(_) => {}
                None => {
                    labels.push(c);
                    sizes.push(len);
                }
            }
        }
    }
    let pos = |c: char| labels.iter().position(|&x| x == c).expect("label");
    let out_shape: Vec<usize> = out.iter().map(|&c| sizes[pos(c)]).collect();
    let mut result = ArrayD::<T>::zeros(IxDyn(&out_shape));
    if sizes.contains(&0) {
        return result;
    }
    let mut assign = vec![0_usize; labels.len()];
    loop {
        let mut prod = T::one();
        for (t, op) in terms.iter().zip(ops) {
            let idx: Vec<usize> = t
                .iter()
                .zip(op.shape())
                .map(|(&c, &len)| if len == 1 { 0 } else { assign[pos(c)] })
                .collect();
            prod *= op[IxDyn(&idx)];
        }
        let oidx: Vec<usize> = out.iter().map(|&c| assign[pos(c)]).collect();
        result[IxDyn(&oidx)] += prod;
        // Next assignment (odometer).
        let mut k = labels.len();
        loop {
            if k == 0 {
                return result;
            }
            k -= 1;
            assign[k] += 1;
            if assign[k] < sizes[k] {
                break;
            }
            assign[k] = 0;
        }
    }
}

fn cast_c32(a: &ArrayD<c64>) -> ArrayD<c32> {
    a.mapv(|z| c32::new(z.re as f32, z.im as f32))
}

fn einsum_err(spec: &str, shapes: &[&[usize]]) -> Error {
    let arrays: Vec<ArrayD<f64>> = shapes.iter().map(|s| ArrayD::zeros(IxDyn(s))).collect();
    let views: Vec<ArrayViewD<f64>> = arrays.iter().map(|a| a.view()).collect();
    match einsum(spec, &views) {
        Err(e) => e,
        Ok(r) => panic!(
            "{spec} {shapes:?}: expected an error, got shape {:?}",
            r.shape()
        ),
    }
}

// ------------------------------------------------------------------ numpy reference

/// Normwise relative tolerance against numpy, in units of ε of the tested type. The longest
/// summation in the cases has 400 terms (the 40×8·8×50·50×6 chain: 8·50 per entry), entries
/// of the operands lie in the unit square, so the classic bound n·ε·Σ|terms| gives at most
/// ~400·ε·(Σ|terms| / max|result|); for these random data that ratio stays below ~3.
/// 2000ε leaves margin for the reference's own rounding (and, for f32/c32, the rounding of
/// the inputs to single precision); a wrong index or a missed transpose gives errors of O(1).
const REF_TOL_EPS: f64 = 2000.0;

struct Case {
    name: String,
    spec: String,
    inputs: Vec<ArrayD<c64>>,
    out_c: ArrayD<c64>,
    out_r: ArrayD<f64>,
}

fn cases() -> Vec<Case> {
    let list = std::fs::read_to_string(format!("{DATA_DIR}cases.txt"))
        .expect("tests/einsum_reference/data/cases.txt (run generate.py)");
    list.lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut parts = line.split('|');
            let name = parts.next().expect("name").to_string();
            let spec = parts.next().expect("spec").to_string();
            let n: usize = parts.next().expect("count").parse().expect("count");
            let load_c = |f: String| -> ArrayD<c64> { common::load_npy(DATA_DIR, &f) };
            let inputs = (0..n).map(|j| load_c(format!("{name}_in{j}"))).collect();
            let out_c = load_c(format!("{name}_out_c"));
            let out_r: ArrayD<f64> = common::load_npy(DATA_DIR, &format!("{name}_out_r"));
            Case {
                name,
                spec,
                inputs,
                out_c,
                out_r,
            }
        })
        .collect()
}

/// Runs `case` on `inputs` in every layout (all operands alike, then mixed) and compares.
fn check_case<T: Scalar>(case: &Case, inputs: &[ArrayD<T>], want: &ArrayD<T>) {
    let tol = REF_TOL_EPS * eps::<T>();
    for v in 0..LAYOUTS.len() * 2 {
        let laid: Vec<Laid<T, IxDyn>> = inputs
            .iter()
            .enumerate()
            .map(|(j, x)| {
                let l = if v < LAYOUTS.len() { v } else { v + j };
                Laid::new(x, LAYOUTS[l % LAYOUTS.len()])
            })
            .collect();
        let views: Vec<ArrayViewD<T>> = laid.iter().map(|l| l.view()).collect();
        let got = einsum(&case.spec, &views)
            .unwrap_or_else(|e| panic!("case {} '{}': {e}", case.name, case.spec));
        let layouts: Vec<common::Layout> = laid.iter().map(|l| l.layout).collect();
        let err = max_rel_err(&got, want);
        assert!(
            err <= tol,
            "case {} '{}' {layouts:?} ({}): error {err:e} > {tol:e}",
            case.name,
            case.spec,
            std::any::type_name::<T>()
        );
        assert!(got.is_standard_layout());
    }
}

#[test]
fn numpy_reference_all_dtypes_and_layouts() {
    let cases = cases();
    assert!(cases.len() >= 30);
    for case in &cases {
        let real: Vec<ArrayD<f64>> = case.inputs.iter().map(|x| x.mapv(|z| z.re)).collect();
        check_case(case, &real, &case.out_r);
        let real32: Vec<ArrayD<f32>> = real.iter().map(|x| x.mapv(|v| v as f32)).collect();
        check_case(case, &real32, &case.out_r.mapv(|v| v as f32));
        check_case(case, &case.inputs, &case.out_c);
        let c32s: Vec<ArrayD<c32>> = case.inputs.iter().map(cast_c32).collect();
        check_case(case, &c32s, &cast_c32(&case.out_c));
    }
}

// ------------------------------------------------------------------ random specs

/// Normwise relative tolerance against the naive loop, in units of ε: the random specs sum
/// at most 200,000 / (output size) products of entries in the unit square per output entry,
/// and the naive loop and einsum sum them in different orders. In practice contractions stay
/// below ~5,000 terms, whose worst-case error n·ε·Σ|terms| relative to the largest entry is
/// bounded by ~n·ε·√n-ish growth for random signs; 1e4·ε keeps f64 checks at 2e-12.
const RANDOM_TOL_EPS: f64 = 1e4;

/// A random valid explicit or implicit spec with random shapes, some size-1 broadcasts and
/// repeated indices; the union of all index ranges stays below 200,000 points so the naive
/// loop is quick, while some cases exceed the strided-loop threshold and go through BLAS.
fn random_problem(r: &mut StdRng) -> (String, String, Vec<Vec<usize>>) {
    const POOL: &[char] = &['a', 'b', 'c', 'd', 'e', 'X', 'Y'];
    let nlabels = r.random_range(1..=POOL.len());
    let labels = &POOL[..nlabels];
    let mut sizes: Vec<usize> = labels
        .iter()
        .map(|_| [1, 2, 3, 4, 7, 16, 24][r.random_range(0..7)])
        .collect();
    while sizes.iter().product::<usize>() > 200_000 {
        let i = r.random_range(0..sizes.len());
        sizes[i] = sizes[i].div_ceil(3);
    }
    let nops = r.random_range(1..=4);
    let mut terms = Vec::new();
    let mut shapes = Vec::new();
    for _ in 0..nops {
        let nd = r.random_range(0..=4);
        let mut t = String::new();
        let mut shape = Vec::new();
        for _ in 0..nd {
            let li = r.random_range(0..nlabels);
            let c = labels[li];
            let repeated = t.contains(c);
            t.push(c);
            // A size-1 axis broadcasts (not on a repeated index: numpy requires equal lengths).
            let broadcast = !repeated && r.random_bool(0.1);
            shape.push(if broadcast { 1 } else { sizes[li] });
        }
        // A repeated index whose first occurrence was broadcast would mismatch: align.
        let chars: Vec<char> = t.chars().collect();
        for i in 0..chars.len() {
            for j in 0..i {
                if chars[i] == chars[j] {
                    shape[j] = shape[i];
                }
            }
        }
        terms.push(t);
        shapes.push(shape);
    }
    let used: Vec<char> = labels
        .iter()
        .copied()
        .filter(|&c| terms.iter().any(|t| t.contains(c)))
        .collect();
    let inputs = terms.join(",");
    // The explicit output the naive loop needs, and the spec einsum gets.
    let (explicit_out, spec) = if r.random_bool(0.25) {
        let mut once: Vec<char> = used
            .iter()
            .copied()
            .filter(|&c| terms.iter().map(|t| t.matches(c).count()).sum::<usize>() == 1)
            .collect();
        once.sort_unstable(); // ASCII: upper case first, as numpy
        (once.iter().collect::<String>(), inputs.clone())
    } else {
        let mut out: Vec<char> = used
            .iter()
            .copied()
            .filter(|_| r.random_bool(0.5))
            .collect();
        for i in (1..out.len()).rev() {
            out.swap(i, r.random_range(0..=i));
        }
        let out: String = out.iter().collect();
        (out.clone(), format!("{inputs}->{out}"))
    };
    (spec, format!("{inputs}->{explicit_out}"), shapes)
}

fn check_random<T: TestScalar>(seed: u64) {
    let mut r = rng(seed);
    let (spec, explicit, shapes) = random_problem(&mut r);
    let arrays: Vec<ArrayD<T>> = shapes
        .iter()
        .map(|s| common::random_array(&mut r, s))
        .collect();
    let laid: Vec<Laid<T, IxDyn>> = arrays
        .iter()
        .map(|a| Laid::new(a, LAYOUTS[r.random_range(0..LAYOUTS.len())]))
        .collect();
    let views: Vec<ArrayViewD<T>> = laid.iter().map(|l| l.view()).collect();
    let want = naive(&explicit, &views);
    let got = einsum(&spec, &views).unwrap_or_else(|e| panic!("{spec} {shapes:?}: {e}"));
    let err = max_rel_err(&got, &want);
    let tol = RANDOM_TOL_EPS * eps::<T>();
    assert!(err <= tol, "{spec} {shapes:?}: error {err:e} > {tol:e}");
    // The same through a reusable path.
    let shape_refs: Vec<&[usize]> = shapes.iter().map(|s| s.as_slice()).collect();
    let path = einsum_path(&spec, &shape_refs).expect("path");
    let again = path.execute(&views).expect("execute");
    assert!(max_rel_err(&again, &want) <= tol, "{spec} via path");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_specs_match_naive_f64(seed in any::<u64>()) {
        check_random::<f64>(seed);
    }

    #[test]
    fn random_specs_match_naive_c32(seed in any::<u64>()) {
        check_random::<c32>(seed);
    }
}

// ------------------------------------------------------------------ BLAS paths

/// Normwise tolerance between einsum and `linalg::matmul`, in ε: both run the same BLAS
/// kernels, possibly with different transpose flags and hence summation order; k ≤ 300 terms
/// per entry gives differences well below 300·ε relative to the largest entry.
const GEMM_TOL_EPS: f64 = 300.0;

fn gemm_specs_match_matmul<T: TestScalar>() {
    let mut r = rng(7);
    let (m, k, n) = (37, 300, 29);
    let a = common::random_array::<T>(&mut r, &[m, k]);
    let b = common::random_array::<T>(&mut r, &[k, n]);
    let ab = linalg::matmul(
        &a.view().into_dimensionality::<ndarray::Ix2>().unwrap(),
        &b.view().into_dimensionality::<ndarray::Ix2>().unwrap(),
    )
    .unwrap()
    .into_dyn();
    let tol = GEMM_TOL_EPS * eps::<T>();
    for la in LAYOUTS {
        for lb in LAYOUTS {
            let (xa, xb) = (Laid::new(&a, la), Laid::new(&b, lb));
            let (va, vb) = (xa.view(), xb.view());
            let c = einsum("ij,jk->ik", &[va.view(), vb.view()]).unwrap();
            assert!(max_rel_err(&c, &ab) <= tol, "{la:?} {lb:?}");
            // Transposed result: the GEMM writes it column-major, no copy.
            let ct = einsum("ij,jk->ki", &[va.view(), vb.view()]).unwrap();
            assert!(
                max_rel_err(&ct, &ab.t().to_owned()) <= tol,
                "ki {la:?} {lb:?}"
            );
            // Operands given in the other order.
            let c2 = einsum("jk,ij->ik", &[vb.view(), va.view()]).unwrap();
            assert!(max_rel_err(&c2, &ab) <= tol, "swapped {la:?} {lb:?}");
        }
    }
    // Matrix–vector and vector–matrix (?gemv) and the dot product (?dot).
    let x = common::random_array::<T>(&mut r, &[k]);
    let ax = naive("ij,j->i", &[a.view(), x.view()]);
    assert!(max_rel_err(&einsum("ij,j->i", &[a.view(), x.view()]).unwrap(), &ax) <= tol);
    let xa = naive("j,jk->k", &[x.view(), b.view()]);
    assert!(max_rel_err(&einsum("j,jk->k", &[x.view(), b.view()]).unwrap(), &xa) <= tol);
    let xx = naive("i,i->", &[x.view(), x.view()]);
    assert!(max_rel_err(&einsum("i,i", &[x.view(), x.view()]).unwrap(), &xx) <= tol);
}

#[test]
fn gemm_specs_match_matmul_all_dtypes() {
    gemm_specs_match_matmul::<f32>();
    gemm_specs_match_matmul::<f64>();
    gemm_specs_match_matmul::<c32>();
    gemm_specs_match_matmul::<c64>();
}

#[test]
fn batched_specs_match_batched_matmul() {
    let mut r = rng(11);
    let q = common::random_array::<f64>(&mut r, &[2, 3, 17, 8]);
    let k = common::random_array::<f64>(&mut r, &[2, 3, 19, 8]);
    let want = linalg::batched_matmul(&q, &k.view().permuted_axes(vec![0, 1, 3, 2])).unwrap();
    let tol = GEMM_TOL_EPS * eps::<f64>();
    for l in LAYOUTS {
        let (lq, lk) = (Laid::new(&q, l), Laid::new(&k, l));
        let got = einsum!("bhid,bhjd->bhij", lq.view(), lk.view()).unwrap();
        assert!(max_rel_err(&got, &want) <= tol, "{l:?}");
        // Output with interleaved free axes: computed into a temporary, copied once.
        let got2 = einsum!("bhid,bhjd->ibjh", lq.view(), lk.view()).unwrap();
        let want2 = want.view().permuted_axes(vec![2, 0, 3, 1]).to_owned();
        assert!(max_rel_err(&got2, &want2) <= tol, "ibjh {l:?}");
    }
}

#[test]
fn broadcast_views_with_zero_strides() {
    // ndarray broadcasting gives stride-0 axes; BLAS cannot take them, so they are copied.
    let mut r = rng(3);
    let a = common::random_array::<f64>(&mut r, &[40, 1]);
    let b = common::random_array::<f64>(&mut r, &[60, 50]);
    let ab = a.broadcast(IxDyn(&[40, 60])).unwrap();
    let got = einsum("ij,jk->ik", &[ab.view(), b.view()]).unwrap();
    let want = naive("ij,jk->ik", &[ab.view(), b.view()]);
    assert!(max_rel_err(&got, &want) <= GEMM_TOL_EPS * eps::<f64>());
}

#[test]
fn blas_dimensions_beyond_i32_are_errors() {
    // Two broadcast views of 2³¹ elements (no memory behind them): the dot product would
    // need a BLAS length beyond i32.
    let one = ndarray::arr1(&[1.0_f64]);
    let n = 1_usize << 31;
    let x = one.broadcast(n).unwrap().into_dyn();
    let e = einsum("i,i->", &[x.view(), x.view()]).unwrap_err();
    assert!(matches!(e, Error::TooLarge { dim, .. } if dim == n), "{e}");
}

// ------------------------------------------------------------------ special shapes

#[test]
fn scalars_and_empty_operands() {
    let two = arr0(2.0_f64).into_dyn();
    let three = arr0(3.0_f64).into_dyn();
    assert_eq!(einsum("", &[two.view()]).unwrap(), two);
    assert_eq!(einsum("->", &[two.view()]).unwrap(), two);
    assert_eq!(einsum(",->", &[two.view(), three.view()]).unwrap()[[]], 6.0);
    let v = Array::from(vec![1.0, 2.0]).into_dyn();
    assert_eq!(
        einsum(",i->i", &[two.view(), v.view()]).unwrap(),
        Array::from(vec![2.0, 4.0]).into_dyn()
    );
    // Empty operands behave as numpy: zeros of the output shape.
    let e = ArrayD::<f64>::zeros(IxDyn(&[0]));
    assert_eq!(einsum("i->", &[e.view()]).unwrap()[[]], 0.0);
    let a = ArrayD::<f64>::ones(IxDyn(&[3, 0]));
    let b = ArrayD::<f64>::ones(IxDyn(&[0, 4]));
    assert_eq!(
        einsum("ij,jk->ik", &[a.view(), b.view()]).unwrap(),
        ArrayD::zeros(IxDyn(&[3, 4]))
    );
    assert_eq!(
        einsum("ij,jk->ki", &[b.t(), a.t()]).unwrap(),
        ArrayD::zeros(IxDyn(&[3, 4]))
    );
    assert_eq!(
        einsum("ij,jk->ik", &[b.t(), b.view()]).unwrap().shape(),
        &[4, 4]
    );
    let c = ArrayD::<f64>::ones(IxDyn(&[4, 2]));
    assert_eq!(
        einsum("ij,jk->ik", &[b.view(), c.view()]).unwrap().shape(),
        &[0, 2]
    );
    // 1×1, 1×n and n×1 through the BLAS path sizes.
    let mut r = rng(5);
    for (m, k, n) in [
        (1, 1, 1),
        (1, 500, 1),
        (1, 64, 80),
        (80, 64, 1),
        (300, 1, 20),
    ] {
        let x = common::random_array::<f64>(&mut r, &[m, k]);
        let y = common::random_array::<f64>(&mut r, &[k, n]);
        let got = einsum("ij,jk->ik", &[x.view(), y.view()]).unwrap();
        let want = naive("ij,jk->ik", &[x.view(), y.view()]);
        assert!(
            max_rel_err(&got, &want) <= GEMM_TOL_EPS * eps::<f64>(),
            "{m}×{k}×{n}"
        );
    }
}

#[test]
fn macro_takes_arrays_and_views() {
    let a = Array2::<f64>::eye(3);
    let b = Array2::from_shape_fn((3, 2), |(i, j)| (i * 2 + j) as f64);
    let c = ndkit::einsum!("ij,jk->ik", a, b.view()).unwrap();
    assert_eq!(c, b.clone().into_dyn());
    let t = ndkit::einsum!("ii", a).unwrap();
    assert_eq!(t[[]], 3.0);
}

// ------------------------------------------------------------------ planner

#[test]
fn path_report_matches_numpy() {
    // numpy 2.4: np.einsum_path('ij,jk,kl->il', (1000,10), (10,1000), (1000,10), optimize='optimal')
    let want = "  Complete contraction:  ij,jk,kl->il
         Naive scaling:  4
     Optimized scaling:  3
      Naive FLOP count:  3.000e+08
  Optimized FLOP count:  4.000e+05
   Theoretical speedup:  749.998
  Largest intermediate:  1.000e+04 elements
--------------------------------------------------------------------------
scaling                  current                                remaining
--------------------------------------------------------------------------
   3                   kl,jk->jl                                ij,jl->il
   3                   jl,ij->il                                   il->il";
    let p = einsum_path("ij,jk,kl->il", &[&[1000, 10], &[10, 1000], &[1000, 10]]).unwrap();
    assert_eq!(p.to_string(), want);
    assert_eq!(p.path(), &[(1, 2), (0, 1)]);

    // np.einsum_path('bii->b', (100,4,4))
    let want = "  Complete contraction:  bii->b
         Naive scaling:  2
     Optimized scaling:  2
      Naive FLOP count:  4.000e+02
  Optimized FLOP count:  8.010e+02
   Theoretical speedup:  0.499
  Largest intermediate:  1.000e+02 elements
--------------------------------------------------------------------------
scaling                  current                                remaining
--------------------------------------------------------------------------
   2                      bii->b                                     b->b";
    assert_eq!(
        einsum_path("bii->b", &[&[100, 4, 4]]).unwrap().to_string(),
        want
    );

    // np.einsum_path('ij,jk->ik', (3,4), (4,5)): numpy lists the popped operands in reverse.
    let p = einsum_path("ij,jk->ik", &[&[3, 4], &[4, 5]]).unwrap();
    assert!(p
        .to_string()
        .ends_with("   3                   jk,ij->ik                                   ik->ik"));

    // The 5-operand example of the numpy docs: optimal cost 8.000e+05 (any optimal tree).
    let p = einsum_path(
        "ea,fb,abcd,gc,hd->efgh",
        &[
            &[10, 10],
            &[10, 10],
            &[10, 10, 10, 10],
            &[10, 10],
            &[10, 10],
        ],
    )
    .unwrap();
    assert_eq!(p.optimized_flops(), 800_001.0);
    assert_eq!(p.naive_flops(), 5e8);
    assert_eq!(p.largest_intermediate(), 1e4);
}

#[test]
fn path_is_reusable_and_checks_shapes() {
    let shapes: [&[usize]; 3] = [&[4, 5], &[5, 6], &[6, 3]];
    let path: EinsumPath = einsum_path("ij,jk,kl->il", &shapes).unwrap();
    let mut r = rng(9);
    let ops: Vec<ArrayD<c64>> = shapes
        .iter()
        .map(|s| common::random_array(&mut r, s))
        .collect();
    let views: Vec<ArrayViewD<c64>> = ops.iter().map(|a| a.view()).collect();
    let want = naive("ij,jk,kl->il", &views);
    for _ in 0..2 {
        let got = path.execute(&views).unwrap();
        assert!(max_rel_err(&got, &want) <= 100.0 * eps::<c64>());
    }
    assert!(matches!(
        path.execute(&views[..2]),
        Err(Error::Einsum { position: None, .. })
    ));
    let wrong = ArrayD::<c64>::zeros(IxDyn(&[4, 6]));
    assert!(matches!(
        path.execute(&[wrong.view(), views[1].view(), views[2].view()]),
        Err(Error::Einsum { .. })
    ));
    assert!(format!("{path:?}").contains("ij,jk,kl->il"));
}

#[test]
fn many_operands_use_the_greedy_planner() {
    // 12 matrices in a chain (beyond the optimal search): compare with sequential matmul.
    let mut r = rng(13);
    let dims = [3, 5, 2, 7, 4, 6, 3, 2, 5, 4, 3, 6, 2];
    let mats: Vec<ArrayD<f64>> = dims
        .windows(2)
        .map(|w| common::random_array(&mut r, &[w[0], w[1]]))
        .collect();
    let letters: Vec<char> = "abcdefghijklm".chars().collect();
    let terms: Vec<String> = (0..12)
        .map(|i| format!("{}{}", letters[i], letters[i + 1]))
        .collect();
    let spec = format!("{}->am", terms.join(","));
    let views: Vec<ArrayViewD<f64>> = mats.iter().map(|a| a.view()).collect();
    let got = einsum(&spec, &views).unwrap();
    let mut want = mats[0]
        .clone()
        .into_dimensionality::<ndarray::Ix2>()
        .unwrap();
    for m in &mats[1..] {
        want = linalg::matmul(
            &want,
            &m.view().into_dimensionality::<ndarray::Ix2>().unwrap(),
        )
        .unwrap();
    }
    assert!(max_rel_err(&got, &want.into_dyn()) <= 100.0 * eps::<f64>());
    let shapes: Vec<&[usize]> = mats.iter().map(|m| m.shape()).collect();
    assert_eq!(einsum_path(&spec, &shapes).unwrap().path().len(), 11);
}

// ------------------------------------------------------------------ errors

/// (spec, shapes, expected position, expected part of the message).
type ErrCase<'a> = (&'a str, &'a [&'a [usize]], Option<usize>, &'a str);

#[test]
fn malformed_specs_are_errors_with_positions() {
    let m: &[usize] = &[2, 3];
    let cases: &[ErrCase] = &[
        (
            "ij,jk->iz",
            &[m, &[3, 4]],
            Some(8),
            "output index 'z' does not appear",
        ),
        (
            "ij,jk->ii",
            &[m, &[3, 4]],
            Some(8),
            "appears more than once",
        ),
        ("ij,jk", &[m], None, "2 operand term(s) but 1 operand(s)"),
        ("ij", &[m, m], None, "1 operand term(s) but 2"),
        ("ij,jk->ik", &[m, &[4, 4]], Some(3), "index 'j' has size 3"),
        ("ijk", &[m], Some(0), "2 axes"),
        ("i", &[m], Some(0), "2 axes"),
        ("i.j", &[m], Some(1), "ellipsis"),
        ("i....", &[m], Some(4), "ellipsis"),
        ("...i...", &[m], Some(4), "more than one ellipsis"),
        ("ij-ij", &[m], Some(2), "'-' must be followed by '>'"),
        ("ij>ij", &[m], Some(2), "'>'"),
        ("ij->i->j", &[m], Some(5), "more than one '->'"),
        ("ij->i,j", &[m], Some(5), "','"),
        ("i1", &[m], Some(1), "invalid character '1'"),
        ("ij\t", &[m], Some(2), "invalid character"),
        ("ié", &[m], Some(1), "invalid character 'é'"),
        ("éx", &[m], Some(0), "invalid character 'é'"),
        ("ii", &[m], Some(1), "different lengths"),
        (
            "i...,j...",
            &[&[3, 2], &[3, 4]],
            Some(6),
            "under '...' has size 2",
        ),
        ("...i->i", &[m], Some(6), "no '...'"),
        ("...ijk", &[m], Some(0), "fewer than"),
    ];
    for &(spec, shapes, pos, msg) in cases {
        let e = einsum_err(spec, shapes);
        match &e {
            Error::Einsum {
                spec: s,
                position,
                message,
            } => {
                assert_eq!(s, spec);
                assert_eq!(*position, pos, "{spec}: {e}");
                assert!(message.contains(msg), "{spec}: '{message}' lacks '{msg}'");
            }
            other => panic!("{spec}: expected Error::Einsum, got {other:?}"),
        }
    }
    // The message names the operation, the operand and the sizes that disagree.
    assert_eq!(
        einsum_err("ij,jk->iz", &[m, &[3, 4]]).to_string(),
        "einsum: 'ij,jk->iz': output index 'z' does not appear in any operand (position 8)"
    );
    // einsum_path validates the same way.
    assert!(matches!(
        einsum_path("ij,jk->iz", &[m, &[3, 4]]),
        Err(Error::Einsum {
            position: Some(8),
            ..
        })
    ));
    // More than 64 axes (numpy's limit).
    let spec: String = std::iter::repeat_n('a', 65).collect();
    assert!(matches!(
        einsum_path(&spec, &[&[1; 65]]),
        Err(Error::Einsum { .. })
    ));
}

#[test]
fn broadcast_ellipsis_batches_loop_without_copies() {
    // '...' batch axes broadcast in one operand: the GEMM loops over them (m and n axes that
    // do not merge become loop axes) — checked against the naive loop in every layout.
    let mut r = rng(17);
    let a = common::random_array::<f64>(&mut r, &[3, 1, 20, 24]);
    let b = common::random_array::<f64>(&mut r, &[5, 24, 18]);
    let b4 = b.view().insert_axis(ndarray::Axis(0));
    let b4 = b4.broadcast(IxDyn(&[3, 5, 24, 18])).unwrap().to_owned();
    let a4 = a.broadcast(IxDyn(&[3, 5, 20, 24])).unwrap().to_owned();
    let want = naive("zbij,zbjk->zbik", &[a4.view(), b4.view()]);
    for l in LAYOUTS {
        let (la, lb) = (Laid::new(&a, l), Laid::new(&b, l));
        let got = einsum("...ij,...jk->...ik", &[la.view(), lb.view()]).unwrap();
        assert!(
            max_rel_err(&got, &want) <= GEMM_TOL_EPS * eps::<f64>(),
            "{l:?}"
        );
        // The output order interleaves the free axes of both operands.
        let got = einsum("...ij,...jk->i...k", &[la.view(), lb.view()]).unwrap();
        let want2 = want.view().permuted_axes(vec![2, 0, 1, 3]).to_owned();
        assert!(
            max_rel_err(&got, &want2) <= GEMM_TOL_EPS * eps::<f64>(),
            "i...k {l:?}"
        );
    }
}
