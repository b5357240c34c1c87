#!/usr/bin/env python3
"""NumPy/SciPy/scikit-learn golden values for tests/ops.rs (ndkit::ops).

Run from anywhere:  python tests/ops_reference/generate.py
Seeded with numpy.random.default_rng(2024): a rerun with the same versions reproduces the
files byte for byte. Writes tests/ops_reference/data/*.npy (float64 or int64, C order) and
VERSIONS.txt, and prints the accuracy of scikit-learn's euclidean_distances on the
near-duplicate case (the failure ndkit's cdist avoids).

Files, by op (inputs first, then outputs):
  cdist_a, cdist_b (20x5, 15x5);  cdist_<metric> for euclidean, sqeuclidean, cosine,
      cityblock, chebyshev, minkowski3 (p=3), minkowski05 (p=0.5)
  far_a, far_b: near-duplicates 1e8 from the origin (1e8 + multiples of 2^-20, so every
      coordinate difference is exact); far_euclidean (scipy's direct cdist)
  vq_points (500x8), vq_codebook (17x8); vq_code (int64), vq_dist   (scipy.cluster.vq.vq)
  knn_queries (300x6), knn_data (400x6); knn_index (int64), knn_dist (k=5, sklearn brute)
  conv_a (37), conv_v<L> for L in 1, 4, 5, 50;  conv_<mode>_<L>, corr_<mode>_<L>
  convlong_a (5000), convlong_v (300); convlong_<mode>, corrlong_<mode>  (FFT path)
  ss_sorted (with ties and NaN last), ss_values; ss_left, ss_right (int64)
  hist_x (with NaN-free values on edges), hist_w; hist_count7_counts/_edges,
      hist_range_counts/_edges (5 bins on [0.2, 0.8], x with NaN appended: hist_xnan),
      hist_edges (repeated edges) and hist_edges_counts, hist_wcount7 (weighted sums)
  cov_x (50x6, multiples of 2^-20); cov_ddof0/1/2, corrcoef  (add 1e8: exact shift)
  where_cond, where_x, where_y, where_result (broadcast (3,1) x (4,) x ())
"""
import os
import platform
import sys

import numpy as np
import scipy
import sklearn
from scipy.cluster.vq import vq
from scipy.spatial.distance import cdist
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.neighbors import NearestNeighbors

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(2024)


def save(name, arr):
    arr = np.asarray(arr)
    dtype = np.int64 if arr.dtype.kind in "iub" else np.float64
    np.save(os.path.join(OUT, name + ".npy"), np.ascontiguousarray(arr, dtype=dtype))


# ---------------------------------------------------------------- distances
a = rng.standard_normal((20, 5))
b = rng.standard_normal((15, 5))
a[3] = b[7]  # an exact duplicate pair: distance exactly 0
save("cdist_a", a)
save("cdist_b", b)
for name, kw in [("euclidean", {}), ("sqeuclidean", {}), ("cosine", {}),
                 ("cityblock", {}), ("chebyshev", {}),
                 ("minkowski3", {"p": 3}), ("minkowski05", {"p": 0.5})]:
    metric = name.rstrip("0123456789") if name.startswith("minkowski") else name
    save("cdist_" + name, cdist(a, b, metric, **kw))

q = 2.0 ** -20
far_a = 1e8 + np.round(rng.standard_normal((30, 16)) * 1e-3 / q) * q
far_b = 1e8 + np.round(rng.standard_normal((25, 16)) * 1e-3 / q) * q
far_a[5] = far_b[2]
save("far_a", far_a)
save("far_b", far_b)
exact = cdist(far_a, far_b)
save("far_euclidean", exact)
sk = euclidean_distances(far_a, far_b)
mask = exact > 0
print("sklearn euclidean_distances, near-duplicates at 1e8: max relative error %.3g"
      % np.max(np.abs(sk[mask] - exact[mask]) / exact[mask]))

points = rng.standard_normal((500, 8))
codebook = rng.standard_normal((17, 8))
code, dist = vq(points, codebook)
save("vq_points", points)
save("vq_codebook", codebook)
save("vq_code", code)
save("vq_dist", dist)

queries = rng.standard_normal((300, 6))
data = rng.standard_normal((400, 6))
nn = NearestNeighbors(n_neighbors=5, algorithm="brute").fit(data)
kd, ki = nn.kneighbors(queries)
save("knn_queries", queries)
save("knn_data", data)
save("knn_index", ki)
save("knn_dist", kd)

# ---------------------------------------------------------------- convolution
conv_a = rng.standard_normal(37)
save("conv_a", conv_a)
for L in (1, 4, 5, 50):
    v = rng.standard_normal(L)
    save("conv_v%d" % L, v)
    for mode in ("full", "same", "valid"):
        save("conv_%s_%d" % (mode, L), np.convolve(conv_a, v, mode))
        save("corr_%s_%d" % (mode, L), np.correlate(conv_a, v, mode))
long_a = rng.standard_normal(5000)
long_v = rng.standard_normal(300)
save("convlong_a", long_a)
save("convlong_v", long_v)
for mode in ("full", "same", "valid"):
    save("convlong_" + mode, np.convolve(long_a, long_v, mode))
    save("corrlong_" + mode, np.correlate(long_a, long_v, mode))

# ---------------------------------------------------------------- search and binning
ss_sorted = np.array([-3.0, -1.0, 0.0, 0.0, 0.0, 2.5, 7.0, 7.0, np.inf, np.nan, np.nan])
ss_values = np.array([-5.0, -3.0, 0.0, 1.0, 7.0, 8.0, np.inf, np.nan, -np.inf, 2.5])
save("ss_sorted", ss_sorted)
save("ss_values", ss_values)
save("ss_left", np.searchsorted(ss_sorted, ss_values, "left"))
save("ss_right", np.searchsorted(ss_sorted, ss_values, "right"))

hist_x = rng.uniform(-1.0, 2.0, 1000)
hist_x[:5] = [-1.0, 2.0, 0.5, 0.2, 0.8]  # the extremes and values on edges
hist_w = rng.standard_normal(1000)
save("hist_x", hist_x)
save("hist_w", hist_w)
c, e = np.histogram(hist_x, bins=7)
save("hist_count7_counts", c)
save("hist_count7_edges", e)
hist_xnan = np.concatenate([hist_x, [np.nan, np.nan]])
save("hist_xnan", hist_xnan)
c, e = np.histogram(hist_xnan, bins=5, range=(0.2, 0.8))
save("hist_range_counts", c)
save("hist_range_edges", e)
edges = np.array([-0.5, 0.0, 0.0, 0.5, 1.0, 1.0])
save("hist_edges", edges)
save("hist_edges_counts", np.histogram(hist_x, bins=edges)[0])
save("hist_wcount7", np.histogram(hist_x, bins=7, weights=hist_w)[0])

# ---------------------------------------------------------------- covariance
cov_x = np.round(rng.standard_normal((50, 6)) / q) * q
cov_x[:, 2] = 0.5 * cov_x[:, 0] + cov_x[:, 2] * 0.25  # some correlation
save("cov_x", cov_x)
for ddof in (0, 1, 2):
    save("cov_ddof%d" % ddof, np.cov(cov_x, rowvar=False, ddof=ddof))
save("corrcoef", np.corrcoef(cov_x, rowvar=False))
assert np.array_equal((cov_x + 1e8) - 1e8, cov_x)  # the shift is exact

# ---------------------------------------------------------------- selection
wc = np.array([[True], [False], [True]])
wx = np.array([1.0, 2.0, 3.0, 4.0])
wy = np.array(-1.0)
save("where_cond", wc)
save("where_x", wx)
save("where_y", wy.reshape(1))
save("where_result", np.where(wc, wx, wy))

with open(os.path.join(OUT, "VERSIONS.txt"), "w") as f:
    f.write("python %s\nnumpy %s\nscipy %s\nscikit-learn %s\n" % (
        platform.python_version(), np.__version__, scipy.__version__, sklearn.__version__))
print("wrote", OUT)
