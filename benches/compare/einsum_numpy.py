"""numpy.einsum timings for the cases of benches/einsum.rs, without and with optimize=True.

Run with the same single BLAS thread as the Rust bench:
    OPENBLAS_NUM_THREADS=1 python benches/compare/einsum_numpy.py
Prints the median of several repeats per case, in microseconds.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import timeit  # noqa: E402

import numpy as np  # noqa: E402

rng = np.random.default_rng(0)


def r(*shape, dtype=np.float64):
    return rng.uniform(-1, 1, shape).astype(dtype)


CASES = [
    ("matmul_512", "ij,jk->ik", [r(512, 512), r(512, 512)]),
    ("bmm_64x128", "bij,bjk->bik", [r(64, 128, 128), r(64, 128, 128)]),
    ("attention", "bhid,bhjd->bhij",
     [r(8, 12, 256, 64, dtype=np.float32), r(8, 12, 256, 64, dtype=np.float32)]),
    ("batched_trace", "bii->b", [r(100, 4, 4)]),
    ("rowwise_dot", "ij,ij->i", [r(10000, 128), r(10000, 128)]),
    ("chain", "ij,jk,kl->il", [r(1000, 10), r(10, 1000), r(1000, 10)]),
    ("small_matmul", "ij,jk->ik", [r(3, 4), r(4, 5)]),
]


def median_us(fn, budget=2.0):
    fn()
    t = timeit.timeit(fn, number=1)
    number = max(1, int(0.2 / max(t, 1e-9)))
    repeats = max(3, min(15, int(budget / max(t * number, 1e-9))))
    times = timeit.repeat(fn, number=number, repeat=repeats)
    times = sorted(x / number for x in times)
    return times[len(times) // 2] * 1e6


def main():
    print(f"numpy {np.__version__}, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    print(f"{'case':<16}{'optimize=False (us)':>22}{'optimize=True (us)':>22}")
    for name, spec, ops in CASES:
        plain = median_us(lambda: np.einsum(spec, *ops))
        opt = median_us(lambda: np.einsum(spec, *ops, optimize=True))
        print(f"{name:<16}{plain:>22.2f}{opt:>22.2f}")


if __name__ == "__main__":
    main()
