"""The NumPy half of the stacked comparison (numpy.linalg on stacks of matrices): the cases of
`stacked_cases` in benches/compare.rs, same JSON lines. run.sh runs it with numpy_suite.py,
which reports the BLAS NumPy runs on.

Usage: python stacked_suite.py [--threads N] [--filter SUBSTRING] [--quick]
"""
import argparse
import json
import time

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--filter", default=None)
parser.add_argument("--quick", action="store_true")
opts = parser.parse_args()
rng = np.random.default_rng(2025)


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
