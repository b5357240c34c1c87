#!/usr/bin/env python3
"""Generate the scikit-learn golden values that tests/linalg_adoption.rs compares ndkit's
randomized_svd against.

Run from anywhere:  python tests/adoption_reference/generate.py
Writes tests/adoption_reference/data/*.npy (inputs and outputs) and data/VERSIONS.txt.

Conventions (as tests/reference/generate.py, so the Rust side reads them with ndarray-npy):
real arrays float64, saved C-contiguous little-endian; file names <case>_<what>.npy.

Each case is low rank plus noise, A = U·diag(σ)·Vᵀ + noise·N(0, 1), with the top singular
values well separated from the noise floor, and its reference is
sklearn.utils.extmath.randomized_svd(A, k, n_oversamples=10, n_iter=4, random_state=0)
(power_iteration_normalizer='auto' = LU for n_iter > 2, flip_sign=True: svd_flip on U).
The Rust test cannot reproduce NumPy's random stream, so it checks singular values,
subspaces and (with svd_flip's convention) the vectors themselves within tolerances.
"""
import os
import platform
import sys

import numpy as np
import scipy
import sklearn
from sklearn.utils.extmath import randomized_svd

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")

rng = np.random.default_rng(2024)
written = []


def save(name, arr):
    arr = np.ascontiguousarray(arr, dtype=np.float64)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    np.save(os.path.join(OUT, name + ".npy"), arr)
    written.append(name)


def low_rank_plus_noise(m, n, sigma, noise):
    r = len(sigma)
    u, _ = np.linalg.qr(rng.standard_normal((m, r)))
    v, _ = np.linalg.qr(rng.standard_normal((n, r)))
    return u @ np.diag(sigma) @ v.T + noise * rng.standard_normal((m, n))


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".npy"):
            os.remove(os.path.join(OUT, f))

    sigma = np.array([100.0, 70.0, 50.0, 30.0, 20.0, 12.0, 8.0, 5.0])
    cases = {
        # tall: the range finder runs on A itself
        "tall": (low_rank_plus_noise(200, 80, sigma, 1e-2), 5),
        # wide: scikit-learn (and ndkit) run it on Aᵀ
        "wide": (low_rank_plus_noise(60, 150, sigma, 1e-2), 6),
    }
    for name, (a, k) in cases.items():
        u, s, vt = randomized_svd(a, k, n_oversamples=10, n_iter=4, random_state=0)
        save(f"{name}_a", a)
        save(f"{name}_k", np.array([k], dtype=np.float64))
        save(f"{name}_u", u)
        save(f"{name}_s", s)
        save(f"{name}_vt", vt)
        # the exact leading singular values, for the distance of each method from them
        save(f"{name}_s_exact", np.linalg.svd(a, compute_uv=False)[:k])

    versions = (
        f"python {platform.python_version()}\n"
        f"numpy {np.__version__}\n"
        f"scipy {scipy.__version__}\n"
        f"scikit-learn {sklearn.__version__}\n"
        f"seed numpy.random.default_rng(2024); randomized_svd random_state=0\n"
    )
    with open(os.path.join(OUT, "VERSIONS.txt"), "w") as fh:
        fh.write(versions)
    print(versions, end="")
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(written)} .npy files to {OUT} ({total} bytes)")


if __name__ == "__main__":
    sys.exit(main())
