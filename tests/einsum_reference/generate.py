"""Reference results for tests/einsum.rs, from numpy.einsum.

Run from the repository root:  python tests/einsum_reference/generate.py
Writes tests/einsum_reference/data/: for case N, the inputs `N_in<j>.npy` (complex128; the
real-dtype tests use their real parts), the results `N_out_c.npy` = einsum of the complex
inputs and `N_out_r.npy` = einsum of their real parts (both computed in 128/64-bit), and
`cases.txt` with one line `N|spec|operand count` per case.
"""
import os

import numpy as np

CASES = [
    # (spec, shapes)
    ("ij,jk->ik", [(3, 4), (4, 5)]),            # matmul
    ("ij,jk", [(20, 30), (30, 25)]),            # matmul, implicit, GEMM path
    ("ij->ji", [(3, 5)]),                       # transpose
    ("ii->", [(4, 4)]),                         # trace
    ("ii", [(6, 6)]),                           # trace, implicit
    ("ii->i", [(5, 5)]),                        # diagonal
    ("bii->b", [(7, 3, 3)]),                    # batched trace
    ("bij,bjk->bik", [(4, 3, 5), (4, 5, 2)]),   # batched matmul
    ("bij,bjk->bik", [(6, 20, 16), (6, 16, 24)]),  # batched matmul, GEMM path
    ("i,j->ij", [(4,), (6,)]),                  # outer
    ("i,j->ij", [(70,), (80,)]),                # outer, GEMM path (k = 1)
    ("ij,ij->i", [(5, 7)]*2),                   # row-wise dot
    ("ij,ij->i", [(90, 64)]*2),                 # row-wise dot, BLAS dot path
    ("bhid,bhjd->bhij", [(2, 3, 4, 5), (2, 3, 6, 5)]),        # attention scores
    ("bhid,bhjd->bhij", [(2, 3, 16, 12), (2, 3, 20, 12)]),    # attention, GEMM path
    ("...ij,...jk->...ik", [(2, 3, 4, 5), (3, 5, 2)]),       # ellipsis broadcast
    ("...ii->...i", [(2, 3, 3)]),               # ellipsis diagonal
    ("i...->...", [(4, 2, 3)]),                 # ellipsis sum
    ("...,...", [(3, 1), (2, 3, 4)]),           # ellipsis, implicit, size-1 broadcast
    ("ba,ac", [(3, 4), (4, 2)]),                # implicit, sorted output
    ("Ba,aC", [(3, 4), (4, 2)]),                # upper case
    ("ij,jk,kl->il", [(5, 3), (3, 6), (6, 4)]),  # 3-operand chain
    ("ij,jk,kl->il", [(40, 8), (8, 50), (50, 6)]),  # chain, GEMM path
    ("ea,fb,abcd,gc,hd->efgh", [(3, 2), (4, 3), (2, 3, 4, 5), (2, 4), (3, 5)]),  # 5 operands
    ("ij,jk,kl,lm->im", [(4, 5), (5, 6), (6, 3), (3, 7)]),   # 4-operand chain
    ("ij,ij->ij", [(3, 1), (3, 4)]),            # size-1 broadcast of a named index
    ("i,i->", [(100,), (100,)]),                # dot
    ("ijk->kji", [(2, 3, 4)]),                  # permutation
    ("ijk,jil->kl", [(3, 4, 5), (4, 3, 6)]),    # two contracted indices
    ("abc,cd,de->abe", [(3, 4, 5), (5, 6), (6, 2)]),
    (",i->i", [(), (4,)]),                      # scalar operand
    ("i,i", [(0,), (0,)]),                      # empty contraction -> 0
    ("ij,jk->ik", [(3, 0), (0, 4)]),            # empty inner dimension -> zeros
    ("ij,jk->ik", [(0, 3), (3, 4)]),            # empty result
]


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20241122)
    lines = []
    for n, (spec, shapes) in enumerate(CASES):
        ins = [rng.uniform(-1, 1, s) + 1j * rng.uniform(-1, 1, s) for s in shapes]
        ins = [np.asarray(x, dtype=np.complex128) for x in ins]
        for j, x in enumerate(ins):
            np.save(os.path.join(out, f"{n}_in{j}.npy"), x)
        np.save(os.path.join(out, f"{n}_out_c.npy"), np.asarray(np.einsum(spec, *ins)))
        real = [x.real.copy() for x in ins]
        np.save(os.path.join(out, f"{n}_out_r.npy"), np.asarray(np.einsum(spec, *real)))
        lines.append(f"{n}|{spec}|{len(shapes)}")
    with open(os.path.join(out, "cases.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out, "VERSIONS.txt"), "w") as f:
        f.write(f"numpy {np.__version__}\n")


if __name__ == "__main__":
    main()
