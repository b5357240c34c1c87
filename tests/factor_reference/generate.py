#!/usr/bin/env python3
"""Generate the SciPy/NumPy golden values that tests/linalg_factor.rs compares ndkit against.

Run from anywhere:  python tests/factor_reference/generate.py
Writes tests/factor_reference/data/*.npy (inputs and outputs) and data/VERSIONS.txt.

Conventions (as tests/reference/generate.py, so the Rust side reads everything with
ndarray-npy): real arrays float64, complex complex128, permutations and counts int64,
scalars 1-d arrays of length 1, C-contiguous little-endian; names <op>_<case>_<what>.npy.

Permutation conventions, checked here with asserts before anything is written:
- qr_pivoted: scipy.linalg.qr(a, pivoting=True, mode='economic') returns P with
  a[:, P] = Q @ R, which is ndkit's `perm` as is.
- lu: scipy.linalg.lu(a) returns the matrix p with a = p @ l @ u, so p.T @ a = l @ u and
  ndkit's `perm` (a[perm, :] = l @ u) is argmax(p, axis=0), i.e. p[perm[i], i] = 1.
  (lu(a, p_indices=True) returns the inverse permutation: a = l[p_idx] @ u.)
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
    elif arr.dtype.kind in "iub":
        arr = arr.astype(np.int64)
    np.save(os.path.join(OUT, name + ".npy"), arr)
    written.append(name)


def real(*shape):
    return rng.standard_normal(shape)


def cplx(*shape):
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


def inertia(h):
    w = np.linalg.eigvalsh(h)
    tol = len(w) * np.finfo(np.float64).eps * np.abs(w).max()
    return np.array([(w > tol).sum(), (w < -tol).sum(), (np.abs(w) <= tol).sum()])


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".npy"):
            os.remove(os.path.join(OUT, f))

    # ------------------------------------------------ pivoted QR: tall, wide, complex, rank 2
    # Column norms are spread out (scaled by 1..n) so the pivot order has no near-ties.
    cases = {
        "tall": real(7, 4) * np.arange(1, 5),
        "wide": real(4, 6) * np.arange(1, 7),
        "complex": cplx(5, 5) * np.arange(1, 6),
        "rank2": real(6, 2) @ real(2, 5) * np.arange(1, 6),
    }
    for tag, a in cases.items():
        q, r, p = sl.qr(a, pivoting=True, mode="economic")
        assert np.allclose(a[:, p], q @ r)
        save(f"qr_pivoted_{tag}_a", a)
        save(f"qr_pivoted_{tag}_q", q)
        save(f"qr_pivoted_{tag}_r", r)
        save(f"qr_pivoted_{tag}_perm", p)

    # ------------------------------------------------ complete QR
    for tag, a in {"tall": real(6, 3), "wide": real(3, 5), "complex": cplx(5, 3)}.items():
        q, r = np.linalg.qr(a, mode="complete")
        save(f"qr_complete_{tag}_a", a)
        save(f"qr_complete_{tag}_q", q)
        save(f"qr_complete_{tag}_r", r)

    # ------------------------------------------------ explicit LU
    for tag, a in {"square": real(5, 5), "tall": real(6, 4), "wide": real(4, 6),
                   "complex": cplx(5, 4)}.items():
        p, l, u = sl.lu(a)
        perm = np.argmax(p, axis=0)
        assert np.allclose(a[perm, :], l @ u)
        p_idx = sl.lu(a, p_indices=True)[0]
        assert np.allclose(a, l[p_idx] @ u)
        save(f"lu_{tag}_a", a)
        save(f"lu_{tag}_perm", perm)
        save(f"lu_{tag}_l", l)
        save(f"lu_{tag}_u", u)

    # ------------------------------------------------ LuFactor: transposed solves, slogdet
    for tag, a in {"real": real(6, 6), "complex": cplx(6, 6)}.items():
        b = real(6, 2) if tag == "real" else cplx(6, 2)
        lu_piv = sl.lu_factor(a)
        save(f"lu_solve_{tag}_a", a)
        save(f"lu_solve_{tag}_b", b)
        save(f"lu_solve_{tag}_x_t", sl.lu_solve(lu_piv, b, trans=1))
        save(f"lu_solve_{tag}_x_h", sl.lu_solve(lu_piv, b, trans=2))
        sign, logdet = np.linalg.slogdet(a)
        save(f"lu_solve_{tag}_sign", sign)
        save(f"lu_solve_{tag}_logdet", logdet)

    # ------------------------------------------------ Cholesky: det, slogdet, inverse
    for tag, g in {"real": real(5, 5), "complex": cplx(5, 5)}.items():
        a = g @ g.conj().T + 5 * np.eye(5)
        c = sl.cho_factor(a, lower=True)
        save(f"cho_{tag}_a", a)
        save(f"cho_{tag}_det", np.linalg.det(a).real)
        save(f"cho_{tag}_logdet", np.linalg.slogdet(a)[1])
        save(f"cho_{tag}_inv", sl.cho_solve(c, np.eye(5)))

    # ------------------------------------------------ LDLᵀ / LDLᴴ (indefinite)
    for tag, g in {"real": real(6, 6), "complex": cplx(6, 6)}.items():
        a = (g + g.conj().T) / 2
        b = real(6, 2) if tag == "real" else cplx(6, 2)
        lu, d, perm = sl.ldl(a, lower=True, hermitian=True)
        assert np.allclose(lu @ d @ lu.conj().T, a)
        save(f"ldl_{tag}_a", a)
        save(f"ldl_{tag}_b", b)
        save(f"ldl_{tag}_x", np.linalg.solve(a, b))
        save(f"ldl_{tag}_det", np.linalg.det(a).real)
        save(f"ldl_{tag}_inertia", inertia(a))
        assert (inertia(d) == inertia(a)).all()

    # ------------------------------------------------ tridiagonal solve
    for tag, mk in {"real": real, "complex": cplx}.items():
        n = 7
        dl, d, du = mk(n - 1), mk(n) + 3, mk(n - 1)
        b = mk(n, 3)
        ab = np.zeros((3, n), dtype=d.dtype)
        ab[0, 1:], ab[1], ab[2, :-1] = du, d, dl
        save(f"tridiagonal_{tag}_dl", dl)
        save(f"tridiagonal_{tag}_d", d)
        save(f"tridiagonal_{tag}_du", du)
        save(f"tridiagonal_{tag}_b", b)
        save(f"tridiagonal_{tag}_x", sl.solve_banded((1, 1), ab, b))

    # ------------------------------------------------ triangular inverse
    for tag, a in {"real": real(5, 5) + 3 * np.eye(5), "complex": cplx(5, 5) + 3 * np.eye(5)}.items():
        save(f"inv_triangular_{tag}_a", a)
        save(f"inv_triangular_{tag}_lower", np.linalg.inv(np.tril(a)))
        save(f"inv_triangular_{tag}_upper", np.linalg.inv(np.triu(a)))

    # ------------------------------------------------ kron
    ka, kb = real(2, 3), cplx(3, 2)
    save("kron_a", ka)
    save("kron_b", kb)
    save("kron_ab", np.kron(ka, kb))

    # ------------------------------------------------ null_space / orth (projectors: the bases
    # themselves are unique only up to a unitary mix of the columns)
    for tag, a in {"rank3": real(5, 3) @ real(3, 7), "complex": cplx(6, 2) @ cplx(2, 4)}.items():
        z, o = sl.null_space(a), sl.orth(a)
        save(f"subspace_{tag}_a", a)
        save(f"subspace_{tag}_null_proj", z @ z.conj().T)
        save(f"subspace_{tag}_orth_proj", o @ o.conj().T)
        save(f"subspace_{tag}_dims", np.array([z.shape[1], o.shape[1]]))

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
    print(f"wrote {len(written)} .npy files to {OUT}")


if __name__ == "__main__":
    sys.exit(main())
