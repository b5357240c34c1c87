"""The SciPy half of the scipy.linalg factorisation comparison (issue 15): the cases of
`scipy_factor_cases` in benches/compare.rs, same JSON lines, same LAPACK drivers. run.sh runs
it with the other *_suite.py scripts.

- qr_pivoted: scipy.linalg.qr(a, pivoting=True, mode='economic')  (?geqp3 + ?orgqr)
- lu:         scipy.linalg.lu(a, p_indices=True)                  (?getrf, then L and U)
- ldl_factor: scipy.linalg.lapack.dsytrf with the lwork SciPy's own ldl queries (the
              factorisation ndkit's LdlFactor holds; scipy.linalg.ldl then builds L and D in
              Python, which LdlFactor does not)

Usage: python scipy_factor_suite.py [--threads N] [--filter SUBSTRING] [--quick]
"""

import numpy as np
import scipy.linalg as sl
from scipy.linalg import lapack
from harness import opts, timeit, wants  # noqa: F401 (this directory is first on sys.path)

rng = np.random.default_rng(2026)


n = 500
a = rng.uniform(-1, 1, (n, n))
timeit(f"qr_pivoted {n} f64 (scipy qr pivoting)", lambda: sl.qr(a, pivoting=True, mode="economic"))
timeit(f"lu {n} f64 (scipy lu)", lambda: sl.lu(a, p_indices=True))
b = rng.uniform(-1, 1, (n, n))
s = b + b.T
lwork = int(lapack.dsytrf_lwork(n, lower=1)[0])
timeit(f"ldl_factor {n} f64 (scipy dsytrf)", lambda: lapack.dsytrf(s, lwork=lwork, lower=1))
