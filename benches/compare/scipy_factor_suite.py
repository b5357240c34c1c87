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
import argparse
import json
import time

import numpy as np
import scipy.linalg as sl
from scipy.linalg import lapack

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
a = rng.uniform(-1, 1, (n, n))
timeit(f"qr_pivoted {n} f64 (scipy qr pivoting)", lambda: sl.qr(a, pivoting=True, mode="economic"))
timeit(f"lu {n} f64 (scipy lu)", lambda: sl.lu(a, p_indices=True))
b = rng.uniform(-1, 1, (n, n))
s = b + b.T
lwork = int(lapack.dsytrf_lwork(n, lower=1)[0])
timeit(f"ldl_factor {n} f64 (scipy dsytrf)", lambda: lapack.dsytrf(s, lwork=lwork, lower=1))
