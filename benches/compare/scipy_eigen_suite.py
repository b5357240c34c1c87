"""The SciPy half of the eigen / matrix-function comparison: the cases of `scipy_eigen_cases`
in benches/compare.rs (scipy.linalg.eigh(a, b), eig(a, b), schur, expm, sqrtm at n = 500,
f64), same JSON lines, reported under "NumPy" (the Python column of table.py). Inputs are
built as on the Rust side: uniform(-1, 1) entries, b = cᵀc + n·I, the expm input scaled to
1-norm 5.

Usage: python scipy_eigen_suite.py [--threads N] [--filter SUBSTRING] [--quick]
"""

import numpy as np
import scipy.linalg as sl
from harness import opts, timeit, wants  # noqa: F401 (this directory is first on sys.path)

rng = np.random.default_rng(2026)


n = 500
case = lambda f: f"scipy {f} {n} f64"  # noqa: E731
names = ["eigh_generalized", "eig_generalized", "schur", "expm", "sqrtm"]
if any(wants(case(f)) for f in names):
    a = rng.uniform(-1, 1, (n, n))
    s = (a + a.T) / 2
    c = rng.uniform(-1, 1, (n, n))
    b = c.T @ c + n * np.eye(n)
    g = rng.uniform(-1, 1, (n, n))
    e = a * (5.0 / np.linalg.norm(a, 1))
    timeit(case("eigh_generalized"), lambda: sl.eigh(s, b, lower=True))
    timeit(case("eig_generalized"), lambda: sl.eig(a, g))
    timeit(case("schur"), lambda: sl.schur(a))
    timeit(case("expm"), lambda: sl.expm(e))
    timeit(case("sqrtm"), lambda: sl.sqrtm(b))
