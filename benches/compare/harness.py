"""The timing harness every `*_suite.py` shares (imported, not run by run.sh): the options
run.sh passes, the case filter, and the batched sampling that prints one JSON line per case in
the format benches/compare.rs prints, so that table.py can merge both sides.
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


def wants(case):
    return opts.filter is None or opts.filter in case


def timeit(case, fn, impl="NumPy"):
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
    print(json.dumps({"case": case, "impl": impl, "min_us": samples[0],
                      "median_us": samples[len(samples) // 2], "threads": opts.threads}), flush=True)
