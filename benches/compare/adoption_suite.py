"""The NumPy/scikit-learn half of the adoption comparison: the cases of `adoption_cases` in
benches/compare.rs, same JSON lines (impl "NumPy" = the NumPy/scikit-learn formulation).

- svd_with VtOnly: numpy.linalg.svd(a, full_matrices=False), which has no Vᵀ-only mode and
  computes U as well (LAPACK ?gesdd jobz 'S');
- randomized_svd: sklearn.utils.extmath.randomized_svd with ndkit's defaults (n_oversamples=10,
  n_iter=4, power_iteration_normalizer='auto' = LU, random_state=0).

Usage: python adoption_suite.py [--threads N] [--filter SUBSTRING] [--quick]
"""
import argparse
import json
import time

import numpy as np
from sklearn.utils.extmath import randomized_svd

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


case = "svd_with VtOnly 2000x300 f64 (numpy svd thin)"
if wants(case):
    a = rng.uniform(-1, 1, (2000, 300))
    timeit(case, lambda: np.linalg.svd(a, full_matrices=False))

case = "randomized_svd 2000x1000 k10 f64 (sklearn randomized_svd)"
if wants(case):
    a = rng.uniform(-1, 1, (2000, 1000))
    timeit(case, lambda: randomized_svd(a, 10, n_oversamples=10, n_iter=4, random_state=0))
