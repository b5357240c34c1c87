"""The NumPy half of the stacked comparison (numpy.linalg on stacks of matrices): the cases of
`stacked_cases` in benches/compare.rs, same JSON lines. run.sh runs it with numpy_suite.py,
which reports the BLAS NumPy runs on.

Usage: python stacked_suite.py [--threads N] [--filter SUBSTRING] [--quick]
"""

import numpy as np
from harness import opts, timeit, wants  # noqa: F401 (this directory is first on sys.path)

rng = np.random.default_rng(2025)


for k, n in [(10000, 3), (10000, 4), (2000, 16), (100, 64)]:
    shape = f"({k},{n},{n})"
    case = lambda f: f"stacked {f} {shape} f64"  # noqa: E731
    if not any(wants(case(f)) for f in ["inv", "solve", "det", "cholesky", "eigh", "svd"]):
        continue
    a = rng.uniform(-1, 1, (k, n, n)) + n * np.eye(n)
    c = rng.uniform(-1, 1, (k, n, n))
    s = np.swapaxes(c, 1, 2) @ c + n * np.eye(n)
    b = rng.uniform(-1, 1, (k, n, 1))
    timeit(case("inv"), lambda: np.linalg.inv(a))
    timeit(case("solve"), lambda: np.linalg.solve(a, b))
    timeit(case("det"), lambda: np.linalg.det(a))
    timeit(case("cholesky"), lambda: np.linalg.cholesky(s))
    timeit(case("eigh"), lambda: np.linalg.eigh(s))
    timeit(case("svd"), lambda: np.linalg.svd(a, full_matrices=False))
