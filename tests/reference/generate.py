#!/usr/bin/env python3
"""Generate the NumPy/SciPy golden values that tests/reference.rs compares ndkit against.

Run from anywhere:  python tests/reference/generate.py
Writes tests/reference/data/*.npy (inputs and outputs) and data/VERSIONS.txt.

Conventions (so the Rust side can read everything with ndarray-npy):
- real arrays are float64, complex arrays complex128, integer results (ranks) int64;
- scalars (det, cond, norms, ...) are 1-d arrays of length 1;
- every array is saved C-contiguous, little-endian (np.save default);
- file names are <operation>_<matrix>[_<what>].npy, e.g. solve_A.npy, solve_x.npy.
Every "default tolerance" reference value is computed with ndkit's documented default,
max(M, N) * eps relative to the largest singular value (NumPy's pinv default of 1e-15 differs,
so pinv is called with an explicit rcond).
"""
import os
import platform
import sys

import numpy as np
import scipy
import scipy.linalg

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")
EPS = np.finfo(np.float64).eps

rng = np.random.default_rng(1234)
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
    path = os.path.join(OUT, name + ".npy")
    np.save(path, arr)
    written.append(name)


def default_rcond(a):
    return max(a.shape[-2:]) * EPS


def cplx(*shape):
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".npy"):
            os.remove(os.path.join(OUT, f))

    # ---------------------------------------------------------------- general square A (6x6)
    A = rng.standard_normal((6, 6)) + 4.0 * np.eye(6)
    if np.linalg.det(A) > 0:  # make the sign of det negative, so slogdet's sign is exercised
        A[[0, 1]] = A[[1, 0]]
    b = rng.standard_normal(6)
    B = rng.standard_normal((6, 3))
    save("solve_A", A)
    save("solve_b", b)
    save("solve_B", B)
    save("solve_x", np.linalg.solve(A, b))
    save("solve_X", np.linalg.solve(A, B))
    save("inv_A", np.linalg.inv(A))
    save("det_A", np.linalg.det(A))
    sign, logabsdet = np.linalg.slogdet(A)
    save("slogdet_A_sign", sign)
    save("slogdet_A_logabsdet", logabsdet)
    save("matrix_power_A_3", np.linalg.matrix_power(A, 3))
    save("matrix_power_A_neg2", np.linalg.matrix_power(A, -2))
    for tag, ord_ in [("2", 2), ("fro", "fro"), ("1", 1), ("inf", np.inf)]:
        save(f"cond_A_{tag}", np.linalg.cond(A, ord_))
    for tag, ord_ in [("fro", "fro"), ("nuc", "nuc"), ("1", 1), ("neg1", -1),
                      ("inf", np.inf), ("neginf", -np.inf), ("2", 2), ("neg2", -2)]:
        save(f"matrix_norm_A_{tag}", np.linalg.norm(A, ord_))
    print(f"A: cond2 = {np.linalg.cond(A):.3g}, det = {np.linalg.det(A):.6g}")

    # ---------------------------------------------------------------- vector norms
    v = rng.standard_normal(7)  # no zero entries
    v0 = v.copy()
    v0[[2, 5]] = 0.0  # two exact zeros: ord=0 counts 5, ord=-inf is 0
    save("vector_norm_v", v)
    save("vector_norm_v0", v0)
    for vec, vname in [(v, "v"), (v0, "v0")]:
        for tag, ord_ in [("1", 1), ("2", 2), ("inf", np.inf), ("neginf", -np.inf),
                          ("0", 0), ("p3_5", 3.5)]:
            save(f"vector_norm_{vname}_{tag}", np.linalg.norm(vec, ord_))

    # ---------------------------------------------------------------- symmetric S (6x6)
    X = rng.standard_normal((6, 6))
    S = X + X.T  # exactly symmetric
    save("eigvalsh_S", S)
    save("eigvalsh_S_values", np.linalg.eigvalsh(S))  # ascending

    # ---------------------------------------------------------------- SPD P (5x5)
    X = rng.standard_normal((5, 5))
    P = X @ X.T + 5.0 * np.eye(5)
    P = 0.5 * (P + P.T)
    save("cholesky_P", P)
    save("cholesky_P_lower", np.linalg.cholesky(P))

    # ---------------------------------------------------------------- rectangular M (7x4)
    M = rng.standard_normal((7, 4))
    bm = rng.standard_normal(7)
    Bm = rng.standard_normal((7, 2))
    save("rect_M", M)
    save("rect_M_svdvals", np.linalg.svd(M, compute_uv=False))
    save("rect_M_pinv", np.linalg.pinv(M, rcond=default_rcond(M)))
    save("rect_M_rank", np.linalg.matrix_rank(M))
    save("lstsq_M_b", bm)
    save("lstsq_M_B", Bm)
    for rhs, tag in [(bm, "b"), (Bm, "B")]:
        x, res, rank, sv = np.linalg.lstsq(M, rhs, rcond=None)
        save(f"lstsq_M_{tag}_solution", x)
        save(f"lstsq_M_{tag}_residuals", res)
        save(f"lstsq_M_{tag}_rank", rank)
        save(f"lstsq_M_{tag}_singular_values", sv)
    print(f"M: cond2 = {np.linalg.cond(M):.3g}")

    # ---------------------------------------------------------------- rank-deficient R (6x6, rank 3)
    R = rng.standard_normal((6, 3)) @ rng.standard_normal((3, 6))
    br = rng.standard_normal(6)
    save("rankdef_R", R)
    save("rankdef_R_b", br)
    sR = np.linalg.svd(R, compute_uv=False)
    save("rankdef_R_svdvals", sR)
    save("rankdef_R_rank", np.linalg.matrix_rank(R))
    save("rankdef_R_pinv", np.linalg.pinv(R, rcond=default_rcond(R)))
    x, res, rank, sv = np.linalg.lstsq(R, br, rcond=None)
    assert rank == 3 and res.size == 0
    save("rankdef_R_lstsq_solution", x)
    save("rankdef_R_lstsq_residuals", res)
    save("rankdef_R_lstsq_rank", rank)
    save("rankdef_R_lstsq_singular_values", sv)
    print(f"R: singular values = {sR}")

    # ---------------------------------------------------------------- nonsymmetric G (5x5)
    G = rng.standard_normal((5, 5))
    w = np.linalg.eigvals(G)
    w = w[np.lexsort((w.imag, w.real))]  # sorted by (real, imag)
    save("eigvals_G", G)
    save("eigvals_G_sorted", w.astype(np.complex128))
    print(f"G: eigenvalues (sorted) = {w}")

    # ---------------------------------------------------------------- Hilbert 8x8 (ill-conditioned)
    Hb = scipy.linalg.hilbert(8)
    save("hilbert8", Hb)
    save("hilbert8_cond2", np.linalg.cond(Hb, 2))
    save("hilbert8_det", np.linalg.det(Hb))
    sign, logabsdet = np.linalg.slogdet(Hb)
    save("hilbert8_slogdet_sign", sign)
    save("hilbert8_slogdet_logabsdet", logabsdet)
    save("hilbert8_svdvals", np.linalg.svd(Hb, compute_uv=False))
    print(f"Hilbert(8): cond2 = {np.linalg.cond(Hb):.6g}, det = {np.linalg.det(Hb):.6g}")

    # ---------------------------------------------------------------- complex C (5x5)
    C = cplx(5, 5) + 3.0 * np.eye(5)
    bc = cplx(5)
    save("complex_C", C)
    save("complex_C_b", bc)
    save("complex_C_solve_x", np.linalg.solve(C, bc))
    save("complex_C_inv", np.linalg.inv(C))
    save("complex_C_det", np.linalg.det(C))
    save("complex_C_svdvals", np.linalg.svd(C, compute_uv=False))
    print(f"C: cond2 = {np.linalg.cond(C):.3g}")

    # ---------------------------------------------------------------- Hermitian H (5x5)
    X = cplx(5, 5)
    H = 0.5 * (X + X.conj().T)  # exactly Hermitian, diagonal exactly real
    save("complex_H", H)
    save("complex_H_eigvalsh", np.linalg.eigvalsh(H))

    # ---------------------------------------------------------------- complex lstsq (6x3)
    L = cplx(6, 3)
    bl = cplx(6)
    x, res, rank, sv = np.linalg.lstsq(L, bl, rcond=None)
    save("complex_lstsq_A", L)
    save("complex_lstsq_b", bl)
    save("complex_lstsq_solution", x)
    save("complex_lstsq_residuals", res)
    save("complex_lstsq_rank", rank)
    save("complex_lstsq_singular_values", sv)

    # ---------------------------------------------------------------- multi_dot
    mats = [rng.standard_normal(s) for s in [(10, 3), (3, 12), (12, 4), (4, 9)]]
    for i, m in enumerate(mats):
        save(f"multi_dot_{i}", m)
    save("multi_dot_result", np.linalg.multi_dot(mats))

    # ---------------------------------------------------------------- batched matmul
    xa = rng.standard_normal((2, 1, 3, 4))
    ya = rng.standard_normal((5, 4, 2))
    za = np.matmul(xa, ya)
    assert za.shape == (2, 5, 3, 2)
    save("batched_matmul_a", xa)
    save("batched_matmul_b", ya)
    save("batched_matmul_result", za)

    # ---------------------------------------------------------------- QR (5x3)
    Q_in = rng.standard_normal((5, 3))
    _, r = np.linalg.qr(Q_in)  # reduced
    save("qr_A", Q_in)
    save("qr_A_abs_diag_r", np.abs(np.diag(r)))  # signs of R's diagonal are convention-dependent

    # ---------------------------------------------------------------- versions
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # show_config's layout is not a stable API
        blas = "unknown"
    versions = (
        f"python {platform.python_version()}\n"
        f"numpy {np.__version__}\n"
        f"scipy {scipy.__version__}\n"
        f"numpy BLAS/LAPACK {blas}\n"
        f"seed numpy.random.default_rng(1234)\n"
    )
    with open(os.path.join(OUT, "VERSIONS.txt"), "w") as fh:
        fh.write(versions)
    print(versions, end="")
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(written)} .npy files to {OUT} ({total} bytes)")


if __name__ == "__main__":
    sys.exit(main())
