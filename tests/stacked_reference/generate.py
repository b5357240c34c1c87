#!/usr/bin/env python3
"""Generate the NumPy golden values that tests/stacked.rs compares ndkit::linalg::stacked against.

Run from anywhere:  /work/main/target/compare-venv/bin/python tests/stacked_reference/generate.py
Writes tests/stacked_reference/data/*.npy (inputs and outputs) and data/VERSIONS.txt.

Conventions (as tests/reference/generate.py, so the Rust side reads everything with ndarray-npy):
- real arrays are float64, complex arrays complex128, integer results (ranks) int64;
- every array is saved C-contiguous, little-endian (np.save default), with NumPy's own shape
  (the batch axes in front); a 0-d result (a stack with an empty batch) would be 1-d of length 1;
- file names are <stack>_<operation>[_<what>].npy, e.g. real_inv.npy, hpd_eigh_values.npy.

Stacks (all seeded, numpy.random.default_rng(20261201)):
- real   (2, 3, 4, 4) float64, standard normal + 4·I: well conditioned (κ₂ printed below);
- real1  real[:, :1]  (2, 1, 4, 4), for solve's batch broadcasting against b (3, 4, 2);
- hpd    (3, 3, 3) complex128 Hermitian positive definite, X·Xᴴ + 3·I;
- tall   (2, 5, 3) float64 standard normal;  wide (2, 3, 5) float64 standard normal;
- rankdef (3, 4, 4) float64 of ranks 1, 2, 3 (products of 4×r and r×4 factors).
Every tolerance-dependent value (pinv, matrix_rank) uses ndkit's documented default
max(m, n)·ε relative to the largest singular value, passed explicitly.
"""
import os
import platform
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")
EPS = np.finfo(np.float64).eps

rng = np.random.default_rng(20261201)
written = []


def save(name, arr):
    arr = np.ascontiguousarray(arr)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.dtype.kind == "f":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind == "c":
        arr = arr.astype(np.complex128)
    elif arr.dtype.kind in "iub":
        arr = arr.astype(np.int64)
    np.save(os.path.join(OUT, name + ".npy"), arr)
    written.append(name)


def rcond_default(a):
    return max(a.shape[-2:]) * EPS


NORMS = [("fro", "fro"), ("nuc", "nuc"), ("1", 1), ("neg1", -1), ("inf", np.inf),
         ("neginf", -np.inf), ("2", 2), ("neg2", -2)]


def common(tag, a, square):
    """The functions every stack gets: svd values, pinv, rank, norms, cond."""
    save(f"{tag}", a)
    save(f"{tag}_svdvals", np.linalg.svd(a, compute_uv=False))
    save(f"{tag}_pinv", np.linalg.pinv(a, rcond=rcond_default(a)))
    s = np.linalg.svd(a, compute_uv=False)
    tol = s.max(axis=-1) * max(a.shape[-2:]) * EPS
    save(f"{tag}_matrix_rank", np.linalg.matrix_rank(a, tol=tol))
    for ntag, ord_ in NORMS:
        save(f"{tag}_matrix_norm_{ntag}", np.linalg.matrix_norm(a, ord=ord_))
    for ntag, ord_ in (NORMS if square else [("2", 2), ("neg2", -2)]):
        save(f"{tag}_cond_{ntag}", np.linalg.cond(a, ord_))
    q, r = np.linalg.qr(a)  # reduced, geqrf + orgqr/ungqr as ndkit
    save(f"{tag}_qr_q", q)
    save(f"{tag}_qr_r", r)
    print(f"{tag} {a.shape} {a.dtype}: max cond2 = {np.linalg.cond(a).max():.3g}")


def lu_family(tag, a):
    save(f"{tag}_inv", np.linalg.inv(a))
    save(f"{tag}_det", np.linalg.det(a))
    sign, logabsdet = np.linalg.slogdet(a)
    save(f"{tag}_slogdet_sign", sign)
    save(f"{tag}_slogdet_logabsdet", logabsdet)


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".npy"):
            os.remove(os.path.join(OUT, f))

    # ------------------------------------------------ real (2, 3, 4, 4), well conditioned
    real = rng.standard_normal((2, 3, 4, 4)) + 4.0 * np.eye(4)
    real[0, 1, [0, 1]] = real[0, 1, [1, 0]]  # one negative determinant at least
    common("real", real, True)
    lu_family("real", real)
    # NumPy 2's rule: b of ndim 1 is one vector for every matrix -> x (2, 3, 4).
    b = rng.standard_normal(4)
    save("real_solve_b", b)
    x = np.linalg.solve(real, b)
    assert x.shape == (2, 3, 4)
    save("real_solve_x", x)
    # b (3, 4, 2) is a stack (batch (3,)) that broadcasts against a's batch (2, 3).
    B = rng.standard_normal((3, 4, 2))
    save("real_solve_B", B)
    X = np.linalg.solve(real, B)
    assert X.shape == (2, 3, 4, 2)
    save("real_solve_X", X)
    # a (2, 1, 4, 4) with b (3, 4, 2): batch (2, 3).
    real1 = np.ascontiguousarray(real[:, :1])
    save("real1", real1)
    X1 = np.linalg.solve(real1, B)
    assert X1.shape == (2, 3, 4, 2)
    save("real1_solve_X", X1)
    # Eigenvalues of the nonsymmetric matrices, in LAPACK's order; the Rust side matches them
    # nearest-first per matrix (sorting conjugate pairs by (re, im) is fragile).
    w = np.linalg.eigvals(real)
    save("real_eigvals", w.astype(np.complex128))
    # Its symmetric part, for eigvalsh/eigh on a real stack.
    sym = real + np.swapaxes(real, -1, -2)
    save("sym", sym)
    save("sym_eigvalsh", np.linalg.eigvalsh(sym))
    save("sym_eigh_values", np.linalg.eigh(sym).eigenvalues)

    # ------------------------------------------------ hpd (3, 3, 3) complex Hermitian PD
    X = rng.standard_normal((3, 3, 3)) + 1j * rng.standard_normal((3, 3, 3))
    hpd = X @ np.conj(np.swapaxes(X, -1, -2)) + 3.0 * np.eye(3)
    hpd = 0.5 * (hpd + np.conj(np.swapaxes(hpd, -1, -2)))  # exactly Hermitian
    common("hpd", hpd, True)
    lu_family("hpd", hpd)
    save("hpd_cholesky", np.linalg.cholesky(hpd))
    save("hpd_cholesky_upper", np.linalg.cholesky(hpd, upper=True))
    save("hpd_eigvalsh", np.linalg.eigvalsh(hpd))
    save("hpd_eigh_values", np.linalg.eigh(hpd).eigenvalues)
    save("hpd_eigvals", np.linalg.eigvals(hpd))
    bc = rng.standard_normal(3) + 1j * rng.standard_normal(3)
    save("hpd_solve_b", bc)
    save("hpd_solve_x", np.linalg.solve(hpd, bc))
    # The NumPy 2 ambiguity: a (3, 3, 3) and b (3, 3). NumPy 1 read b as a stack of 3 vectors
    # (x (3, 3)); NumPy 2 reads it as one 3×3 right-hand side matrix for every a: x (3, 3, 3).
    Bc = rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3))
    save("hpd_solve_B", Bc)
    Xc = np.linalg.solve(hpd, Bc)
    assert Xc.shape == (3, 3, 3)
    save("hpd_solve_X", Xc)

    # ------------------------------------------------ tall, wide, rank-deficient
    common("tall", rng.standard_normal((2, 5, 3)), False)
    common("wide", rng.standard_normal((2, 3, 5)), False)
    rankdef = np.stack([rng.standard_normal((4, r)) @ rng.standard_normal((r, 4))
                        for r in (1, 2, 3)])
    save("rankdef", rankdef)
    s = np.linalg.svd(rankdef, compute_uv=False)
    save("rankdef_svdvals", s)
    save("rankdef_matrix_rank", np.linalg.matrix_rank(rankdef, tol=s.max(axis=-1) * 4 * EPS))
    save("rankdef_pinv", np.linalg.pinv(rankdef, rcond=rcond_default(rankdef)))
    assert list(np.linalg.matrix_rank(rankdef)) == [1, 2, 3]
    print(f"rankdef: singular values =\n{s}")

    # ------------------------------------------------ versions
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # show_config's layout is not a stable API
        blas = "unknown"
    versions = (
        f"python {platform.python_version()}\n"
        f"numpy {np.__version__}\n"
        f"numpy BLAS/LAPACK {blas}\n"
        f"seed numpy.random.default_rng(20261201)\n"
    )
    with open(os.path.join(OUT, "VERSIONS.txt"), "w") as fh:
        fh.write(versions)
    print(versions, end="")
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(written)} .npy files to {OUT} ({total} bytes)")


if __name__ == "__main__":
    sys.exit(main())
