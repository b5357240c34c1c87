"""The SciPy half of the eigen / matrix-function comparison: the cases of `scipy_eigen_cases`
in benches/compare.rs (scipy.linalg.eigh(a, b), eig(a, b), schur, expm, sqrtm at n = 500,
f64), same JSON lines, reported under "NumPy" (the Python column of table.py). Inputs are
built as on the Rust side: uniform(-1, 1) entries, b = cᵀc + n·I, the expm input scaled to
1-norm 5.

Usage: python scipy_eigen_suite.py [--threads N] [--filter SUBSTRING] [--quick]
"""
import argparse
import json
import time

import numpy as np
import scipy.linalg as sl

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--filter", default=None)
parser.add_argument("--quick", action="store_true")
opts = parser.parse_args()
rng = np.random.default_rng(2026)


def wants(case):
    return opts.filter is None or opts.filter in case


def timeit(case, fn):
    """Batches calls so one sample lasts >= 1 ms, then samples until the budget is spent."""
    if not wants(case):
        return
    fn()
    start = time.perf_counter()
    fn()
    single = max(time.perf_counter() - start, 2e-8)
    batch = max(1, min(1_000_000, int(np.ceil(1e-3 / single))))
    budget, max_samples = (0.2, 5) if opts.quick else (1.5, 25)
    samples, begin = [], time.perf_counter()
    while len(samples) < 3 or (len(samples) < max_samples and time.perf_counter() - begin < budget):
        t = time.perf_counter()
        for _ in range(batch):
            fn()
        samples.append((time.perf_counter() - t) * 1e6 / batch)
    samples.sort()
    print(json.dumps({"case": case, "impl": "NumPy", "min_us": samples[0],
                      "median_us": samples[len(samples) // 2], "threads": opts.threads}), flush=True)


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
