"""scikit-learn side of `cargo bench --bench pca`: PCA(10) fit on 10000 x 100 (float64) with each
solver, single-threaded BLAS, timed as the median of repeated fits.

Run in the same sitting as the criterion bench:
    OPENBLAS_NUM_THREADS=1 /work/venv/bin/python benches/compare/pca_sklearn.py
and compare with criterion's medians (`$CARGO_TARGET_DIR/criterion/pca_fit/*/new/estimates.json`, default `target/`); the
script prints them side by side with the ratios when they exist.

The data follow benches/pca.rs: uniform noise plus a rank-10 signal with scales 10 * 0.8**i
(different random numbers, the same spectrum, which is all the timings depend on).
"""
import json
import os
import timeit

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402  (after the thread settings)
import sklearn  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402

N, D, K = 10_000, 100, 10
HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(HERE, "..", "..", "target"))
CRITERION = os.path.join(TARGET, "criterion", "pca_fit")


def median_ms(f, number=1, repeat=20):
    f()  # warm-up
    times = timeit.repeat(f, number=number, repeat=repeat)
    return 1e3 * float(np.median(times)) / number


def criterion_ms(name):
    path = os.path.join(CRITERION, name, "new", "estimates.json")
    try:
        with open(path) as f:
            return json.load(f)["median"]["point_estimate"] / 1e6
    except OSError:
        return None


def main():
    rng = np.random.default_rng(0)
    scores = rng.uniform(-1, 1, (N, K))
    loadings = rng.uniform(-1, 1, (K, D)) * (10 * 0.8 ** np.arange(K))[:, None]
    x = scores @ loadings + rng.uniform(-1, 1, (N, D))

    solvers = {
        "full": dict(svd_solver="full"),
        "covariance_eigh": dict(svd_solver="covariance_eigh"),
        # ndkit's randomized solver re-orthonormalises by QR after every product.
        "randomized": dict(
            svd_solver="randomized",
            n_oversamples=10,
            iterated_power=4,
            power_iteration_normalizer="QR",
            random_state=0,
        ),
    }
    print(
        f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, "
        f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}; PCA({K}) fit on {N}x{D}"
    )
    print(f"{'solver':18s} {'sklearn':>10s} {'ndkit':>10s} {'ndkit/sklearn':>14s}")
    for name, kwargs in solvers.items():
        ms = median_ms(lambda: PCA(K, **kwargs).fit(x))
        ours = criterion_ms(name)
        ours_text = f"{ours:8.2f} ms" if ours is not None else f"{'-':>10s}"
        ratio = f"{ours / ms:14.2f}" if ours is not None else f"{'-':>14s}"
        print(f"{name:18s} {ms:7.2f} ms {ours_text} {ratio}")


if __name__ == "__main__":
    main()
