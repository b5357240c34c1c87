"""The NumPy half of the comparison: the same cases as benches/compare.rs, same JSON lines.

Usage: python numpy_suite.py [--threads N] [--filter SUBSTRING] [--quick]
Set OPENBLAS_NUM_THREADS before starting Python (run.sh does) so NumPy's BLAS pool matches.
"""

from threadpoolctl import threadpool_info

import numpy as np
from harness import opts, timeit, wants  # noqa: F401 (this directory is first on sys.path)

rng = np.random.default_rng(2024)


def random(m, n, dtype=np.float64):
    return rng.uniform(-1, 1, (m, n)).astype(dtype)


def well_conditioned(n):
    return random(n, n) + n * np.eye(n)


def spd(n):
    b = random(n, n)
    return b.T @ b + n * np.eye(n)


for n in [4, 16, 64, 256, 1024, 2048]:
    case = f"matmul {n} f64"
    if wants(case):
        a, b = random(n, n), random(n, n)
        timeit(case, lambda: a @ b)
if wants("gemm 256 f64 into c"):
    a, b, c = random(256, 256), random(256, 256), np.empty((256, 256))
    timeit("gemm 256 f64 into c", lambda: np.matmul(a, b, out=c))
if wants("matmul 1024 f32"):
    a, b = random(1024, 1024, np.float32), random(1024, 1024, np.float32)
    timeit("matmul 1024 f32", lambda: a @ b)
if wants("matvec 2048 f64"):
    a, x = random(2048, 2048), random(2048, 1)[:, 0].copy()
    timeit("matvec 2048 f64", lambda: a @ x)
if wants("dot 1e6 f64"):
    x, y = random(1_000_000, 1)[:, 0].copy(), random(1_000_000, 1)[:, 0].copy()
    timeit("dot 1e6 f64", lambda: np.dot(x, y))

for n in [100, 1000]:
    for k in [1, 100]:
        case = f"solve {n} rhs {k}"
        if wants(case):
            a, b = well_conditioned(n), random(n, k)
            timeit(case, lambda: np.linalg.solve(a, b))
for n in [500, 1000]:
    if wants(f"inv {n}"):
        a = well_conditioned(n)
        timeit(f"inv {n}", lambda: np.linalg.inv(a))
a = well_conditioned(1000)
timeit("det 1000", lambda: np.linalg.det(a))
timeit("slogdet 1000", lambda: np.linalg.slogdet(a))
if wants("lstsq 2000x500"):
    m, y = random(2000, 500), random(2000, 1)[:, 0].copy()
    timeit("lstsq 2000x500", lambda: np.linalg.lstsq(m, y, rcond=None))
if wants("cholesky 1000"):
    p = spd(1000)
    timeit("cholesky 1000", lambda: np.linalg.cholesky(p))
if wants("qr 1000"):
    q = random(1000, 1000)
    timeit("qr 1000", lambda: np.linalg.qr(q))
if wants("pinv 500x300"):
    p = random(500, 300)
    timeit("pinv 500x300", lambda: np.linalg.pinv(p, rcond=500 * np.finfo(float).eps))

for m, n in [(1000, 1000), (2000, 500)]:
    case = f"svd thin {m}x{n}"
    if wants(case):
        a = random(m, n)
        timeit(case, lambda: np.linalg.svd(a, full_matrices=False))
if wants("svdvals 1000"):
    a = random(1000, 1000)
    timeit("svdvals 1000", lambda: np.linalg.svd(a, compute_uv=False))
if wants("eig"):
    sym = spd(1000)
    timeit("eigh 1000", lambda: np.linalg.eigh(sym))
    timeit("eigvalsh 1000", lambda: np.linalg.eigvalsh(sym))
    g = random(500, 500)
    timeit("eig 500", lambda: np.linalg.eig(g))
    timeit("eigvals 500", lambda: np.linalg.eigvals(g))

if wants("norm fro 2000"):
    a = random(2000, 2000)
    timeit("norm fro 2000", lambda: np.linalg.norm(a, "fro"))
if wants("norm 2 500"):
    a = random(500, 500)
    timeit("norm 2 500", lambda: np.linalg.norm(a, 2))
    timeit("norm 1 500", lambda: np.linalg.norm(a, 1))
if wants("row l2 10000x128"):
    a = random(10000, 128)
    timeit("row l2 10000x128", lambda: np.linalg.norm(a, axis=1))

einsum_cases = [
    ("einsum ij,jk->ik 512", "ij,jk->ik", [(512, 512), (512, 512)], np.float64),
    ("einsum bij,bjk->bik 64x128", "bij,bjk->bik", [(64, 128, 128), (64, 128, 128)], np.float64),
    ("einsum bhid,bhjd->bhij f32", "bhid,bhjd->bhij", [(8, 12, 256, 64), (8, 12, 256, 64)], np.float32),
    ("einsum bii->b 100x4x4", "bii->b", [(100, 4, 4)], np.float64),
    ("einsum ij,ij->i 10000x128", "ij,ij->i", [(10000, 128), (10000, 128)], np.float64),
    ("einsum ij,jk,kl->il chain", "ij,jk,kl->il", [(1000, 10), (10, 1000), (1000, 10)], np.float64),
    ("einsum ij,jk->ik 3x4x5", "ij,jk->ik", [(3, 4), (4, 5)], np.float64),
]
for case, spec, shapes, dtype in einsum_cases:
    if wants(case):
        ops = [rng.uniform(-1, 1, shape).astype(dtype) for shape in shapes]
        timeit(case, lambda: np.einsum(spec, *ops, optimize=True))
        timeit(case, lambda: np.einsum(spec, *ops), impl="NumPy alt")

if wants("softmax 4096x1000 f32") or wants("cross-entropy 4096x1000 f32"):
    logits = (4 * random(4096, 1000)).astype(np.float32)
    labels = (np.arange(4096) * 7919) % 1000

    def softmax(z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def cross_entropy(z):
        shifted = z - z.max(axis=1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return -logp[np.arange(len(labels)), labels].mean()

    def softmax_cross_entropy(z):
        p = softmax(z)
        loss = -np.log(p[np.arange(len(labels)), labels]).mean()
        p[np.arange(len(labels)), labels] -= 1
        return loss, p / len(labels)

    timeit("softmax 4096x1000 f32", lambda: softmax(logits))
    timeit("cross-entropy 4096x1000 f32", lambda: cross_entropy(logits))
    timeit("softmax-cross-entropy+grad 4096x1000 f32", lambda: softmax_cross_entropy(logits))

if wants("4096x1000 f32"):
    from scipy.special import erf

    x = (4 * random(4096, 1000)).astype(np.float32)
    y = (0.5 + 0.5 * random(4096, 1000)).astype(np.float32)
    f32 = np.float32
    # The formulas as a NumPy user writes them (PyTorch's definitions), in float32 throughout.
    timeit("sigmoid 4096x1000 f32", lambda: 1 / (1 + np.exp(-x)))
    timeit("silu 4096x1000 f32", lambda: x / (1 + np.exp(-x)))
    timeit("softplus 4096x1000 f32", lambda: np.where(x > 20, x, np.log1p(np.exp(x))))
    timeit("gelu 4096x1000 f32", lambda: f32(0.5) * x * (1 + erf(x * f32(0.70710678))))
    timeit("gelu-tanh 4096x1000 f32",
           lambda: f32(0.5) * x * (1 + np.tanh(f32(0.7978846) * (x + f32(0.044715) * x * x * x))))

    def bce_with_logits_grad():
        loss = np.mean(np.maximum(x, 0) - x * y + np.log1p(np.exp(-np.abs(x))))
        return loss, (1 / (1 + np.exp(-x)) - y) / x.size

    timeit("bce-with-logits+grad 4096x1000 f32", bce_with_logits_grad)

if wants("100000x50"):
    from sklearn.decomposition import IncrementalPCA

    x = random(100000, 50)
    timeit("incremental-pca 100000x50 b1000 k10",
           lambda: IncrementalPCA(10, batch_size=1000).fit(x))
    whole = random(1_000_000, 50)
    timeit("covariance 10x100000x50 f64", lambda: np.cov(whole, rowvar=False))

if wants("dense"):
    x, g = random(256, 784, np.float32), random(256, 512, np.float32)
    w, b = random(784, 512, np.float32), np.zeros(512, np.float32)
    timeit("dense forward 256x784x512 f32", lambda: x @ w + b)
    timeit("dense backward 256x784x512 f32", lambda: (x.T @ g, g.sum(axis=0), g @ w.T))

if wants("pca"):
    from sklearn.decomposition import PCA

    x = random(10000, 100)
    for name in ["full", "covariance_eigh", "randomized"]:
        kwargs = {"iterated_power": 4, "random_state": 0} if name == "randomized" else {}
        timeit(f"pca 10000x100 k10 {name}", lambda: PCA(10, svd_solver=name, **kwargs).fit(x),
               impl="NumPy")
    tall = random(100000, 50)
    timeit("pca 100000x50 k5 auto", lambda: PCA(5).fit(tall))

# ndkit::ops against the NumPy/SciPy/scikit-learn function a user would call. The peer is
# named in the case; all run at the BLAS thread count of the run (threadpoolctl limits
# scikit-learn's and SciPy's pools to it as well).
OPS_CASES = [
    "cdist euclidean 5000x128 (sklearn euclidean_distances)",
    "cdist euclidean 5000x128 (scipy cdist)",
    "nearest 100000x64 vs 256 (scipy vq)",
    "knn k=10 5000 in 20000x64 (sklearn brute kneighbors)",
    "convolve 1e6 x 1000 (numpy convolve)",
    "convolve 1e6 x 1000 (scipy fftconvolve)",
    "convolve 1e6 x 10 (numpy convolve)",
    "searchsorted 1e6 into 1e4 (numpy)",
    "histogram 1e7 100 bins (numpy)",
    "cov 100000x100 (numpy cov)",
    "where_cond 1e7 (numpy where)",
]


def want_ops(prefix):
    """Whether any ops case starting with `prefix` is selected (inputs are built only then)."""
    return any(wants(c) for c in OPS_CASES if c.startswith(prefix))


if want_ops("cdist") or want_ops("nearest") or want_ops("knn"):
    from threadpoolctl import threadpool_limits
    from scipy.cluster.vq import vq
    from scipy.spatial.distance import cdist
    from sklearn.metrics.pairwise import euclidean_distances
    from sklearn.neighbors import NearestNeighbors

    with threadpool_limits(opts.threads):
        if want_ops("cdist"):
            a, b = random(5000, 128), random(5000, 128)
            timeit("cdist euclidean 5000x128 (sklearn euclidean_distances)",
                   lambda: euclidean_distances(a, b))
            timeit("cdist euclidean 5000x128 (scipy cdist)", lambda: cdist(a, b))
        if want_ops("nearest"):
            x, c = random(100000, 64), random(256, 64)
            timeit("nearest 100000x64 vs 256 (scipy vq)", lambda: vq(x, c))
        if want_ops("knn"):
            q, d = random(5000, 64), random(20000, 64)
            nn = NearestNeighbors(n_neighbors=10, algorithm="brute", n_jobs=opts.threads).fit(d)
            timeit("knn k=10 5000 in 20000x64 (sklearn brute kneighbors)", lambda: nn.kneighbors(q))

if want_ops("convolve"):
    from scipy.signal import fftconvolve

    a = rng.uniform(-1, 1, 1_000_000)
    v, short = rng.uniform(-1, 1, 1000), rng.uniform(-1, 1, 10)
    timeit("convolve 1e6 x 1000 (numpy convolve)", lambda: np.convolve(a, v))
    timeit("convolve 1e6 x 1000 (scipy fftconvolve)", lambda: fftconvolve(a, v))
    timeit("convolve 1e6 x 10 (numpy convolve)", lambda: np.convolve(a, short))

if want_ops("searchsorted"):
    s, vals = np.sort(rng.uniform(-1, 1, 10_000)), rng.uniform(-1, 1, 1_000_000)
    timeit("searchsorted 1e6 into 1e4 (numpy)", lambda: np.searchsorted(s, vals))

if want_ops("histogram"):
    x = rng.uniform(-1, 1, 10_000_000)
    timeit("histogram 1e7 100 bins (numpy)", lambda: np.histogram(x, bins=100))

if want_ops("cov"):
    x = random(100000, 100)
    timeit("cov 100000x100 (numpy cov)", lambda: np.cov(x, rowvar=False))

if want_ops("where_cond"):
    x, y = rng.uniform(-1, 1, 10_000_000), rng.uniform(-1, 1, 10_000_000)
    c = x > 0
    timeit("where_cond 1e7 (numpy where)", lambda: np.where(c, x, y))
