#!/usr/bin/env python3
"""Generate the SciPy golden values that tests/linalg_eigen.rs compares ndkit against.

Run from anywhere:  python tests/eigen_reference/generate.py
Writes tests/eigen_reference/data/*.npy (inputs and outputs) and data/VERSIONS.txt.

Conventions (the writer of tests/reference/generate.py, read with ndarray-npy):
- real arrays are float64, complex arrays complex128;
- every array is saved C-contiguous, little-endian (np.save default);
- file names are <operation>_<case>[_<what>].npy, e.g. expm_scale1_A.npy, expm_scale1_E.npy.
Only basis-independent results are stored: eigenvalues (generalized eigenvalues sorted by
(real, imag), infinite ones kept as inf), expm and sqrtm (unique: the exponential, the
principal root). Eigenvectors, Schur and Hessenberg forms are not unique (signs, phases,
ordering of blocks) and are tested by their invariants in tests/linalg_eigen.rs instead.
"""
import os
import platform
import sys

import numpy as np
import scipy
import scipy.linalg as sl

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")

rng = np.random.default_rng(2015)
written = []


def save(name, arr):
    arr = np.ascontiguousarray(arr)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.dtype.kind == "f":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind == "c":
        arr = arr.astype(np.complex128)
    np.save(os.path.join(OUT, name + ".npy"), arr)
    written.append(name)


def cplx(*shape):
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


def sorted_values(w):
    # np.sort orders complex numbers by (real, imag); inf sorts last.
    return np.sort_complex(np.asarray(w, dtype=np.complex128))


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".npy"):
            os.remove(os.path.join(OUT, f))

    n = 6
    # ------------------------------------------------ eigh(a, b): symmetric / Hermitian definite
    S = rng.standard_normal((n, n)); S = S + S.T
    P = rng.standard_normal((n, n)); P = P @ P.T + n * np.eye(n)
    save("eigh_gen_real_A", S)
    save("eigh_gen_real_B", P)
    save("eigh_gen_real_w", sl.eigh(S, P, eigvals_only=True))
    H = cplx(n, n); H = H + H.conj().T
    Q = cplx(n, n); Q = Q @ Q.conj().T + n * np.eye(n)
    save("eigh_gen_cplx_A", H)
    save("eigh_gen_cplx_B", Q)
    save("eigh_gen_cplx_w", sl.eigh(H, Q, eigvals_only=True))

    # ------------------------------------------------ eig(a, b): general pencils
    A = rng.standard_normal((n, n))
    B = rng.standard_normal((n, n))
    save("eig_gen_real_A", A)
    save("eig_gen_real_B", B)
    save("eig_gen_real_w", sorted_values(sl.eig(A, B, right=False)))
    C = cplx(n, n)
    D = cplx(n, n)
    save("eig_gen_cplx_A", C)
    save("eig_gen_cplx_B", D)
    save("eig_gen_cplx_w", sorted_values(sl.eig(C, D, right=False)))
    # A singular B: one infinite eigenvalue (beta = 0, alpha != 0).
    Bs = np.diag([1.0, 2.0, 0.0, 4.0])
    As = np.diag([3.0, 1.0, 5.0, 2.0]) + np.triu(rng.standard_normal((4, 4)), 1)
    save("eig_gen_inf_A", As)
    save("eig_gen_inf_B", Bs)
    save("eig_gen_inf_w", sorted_values(sl.eig(As, Bs, right=False)))

    # ------------------------------------------------ eigh subsets
    save("subset_A", S)
    save("subset_index_1_3_w", sl.eigh(S, subset_by_index=[1, 3], eigvals_only=True))
    lo, hi = -1.0, 2.5
    save("subset_value_w", sl.eigh(S, subset_by_value=[lo, hi], eigvals_only=True))
    save("subset_value_bounds", np.array([lo, hi]))
    save("subset_cplx_A", H)
    save("subset_cplx_index_0_2_w", sl.eigh(H, subset_by_index=[0, 2], eigvals_only=True))

    # ------------------------------------------------ expm: every Pade degree, real and complex
    base = rng.standard_normal((n, n))
    # 1-norm scales chosen to land on m = 3, 5, 7, 9 and 13 (with and without squaring).
    for tag, scale in [("scale1e-3", 1e-3), ("scale0.1", 0.1), ("scale0.5", 0.5),
                       ("scale1", 1.0), ("scale3", 3.0), ("scale30", 30.0)]:
        M = base * (scale / np.linalg.norm(base, 1))
        save(f"expm_{tag}_A", M)
        save(f"expm_{tag}_E", sl.expm(M))
    Z = cplx(n, n) * 0.7
    save("expm_cplx_A", Z)
    save("expm_cplx_E", sl.expm(Z))
    # Upper triangular with a wide diagonal spread (SciPy's triangular fragment 2.1).
    T = np.triu(rng.standard_normal((n, n))) + np.diag(np.linspace(-8, 8, n))
    save("expm_triu_A", T)
    save("expm_triu_E", sl.expm(T))
    # Non-normal: large off-diagonal coupling, the case Al-Mohy & Higham avoid over-scaling.
    N = np.array([[1.0, 1e4], [0.0, -1.0]]) + 0.0
    save("expm_nonnormal_A", N)
    save("expm_nonnormal_E", sl.expm(N))

    # ------------------------------------------------ sqrtm: the principal root
    Spd = P  # symmetric positive definite: a real root
    save("sqrtm_spd_A", Spd)
    save("sqrtm_spd_X", sl.sqrtm(Spd).astype(np.complex128))
    G = rng.standard_normal((n, n))  # real with negative real and complex eigenvalues
    save("sqrtm_general_A", G)
    # SciPy's real path (real Schur form): a negative real eigenvalue gets the root +i*sqrt|l|.
    # (On G.astype(complex) rounding moves such an eigenvalue off the real axis by +-delta*i and
    # the sign of delta picks the branch, so that value is no golden.)
    save("sqrtm_general_X", sl.sqrtm(G).astype(np.complex128))
    save("sqrtm_cplx_A", C)
    save("sqrtm_cplx_X", sl.sqrtm(C))

    # ------------------------------------------------ versions
    versions = (
        f"python {platform.python_version()}\n"
        f"numpy {np.__version__}\n"
        f"scipy {scipy.__version__}\n"
        f"seed numpy.random.default_rng(2015)\n"
    )
    with open(os.path.join(OUT, "VERSIONS.txt"), "w") as fh:
        fh.write(versions)
    print(versions, end="")
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(written)} .npy files to {OUT} ({total} bytes)")


if __name__ == "__main__":
    sys.exit(main())
