"""The NumPy/scikit-learn half of the adoption comparison: the cases of `adoption_cases` in
benches/compare.rs, same JSON lines (impl "NumPy" = the NumPy/scikit-learn formulation).

- svd_with VtOnly: numpy.linalg.svd(a, full_matrices=False), which has no Vᵀ-only mode and
  computes U as well (LAPACK ?gesdd jobz 'S');
- randomized_svd: sklearn.utils.extmath.randomized_svd with ndkit's defaults (n_oversamples=10,
  n_iter=4, power_iteration_normalizer='auto' = LU, random_state=0).

Usage: python adoption_suite.py [--threads N] [--filter SUBSTRING] [--quick]
"""

import numpy as np
from sklearn.utils.extmath import randomized_svd
from harness import opts, timeit, wants  # noqa: F401 (this directory is first on sys.path)

rng = np.random.default_rng(2026)


case = "svd_with VtOnly 2000x300 f64 (numpy svd thin)"
if wants(case):
    a = rng.uniform(-1, 1, (2000, 300))
    timeit(case, lambda: np.linalg.svd(a, full_matrices=False))

case = "randomized_svd 2000x1000 k10 f64 (sklearn randomized_svd)"
if wants(case):
    a = rng.uniform(-1, 1, (2000, 1000))
    timeit(case, lambda: randomized_svd(a, 10, n_oversamples=10, n_iter=4, random_state=0))
