"""NumPy side of `cargo bench --bench ml`: the same operations on the same shapes, timed the same
way (median of repeated runs), single-threaded BLAS.

Run in the same sitting as the criterion bench:
    OPENBLAS_NUM_THREADS=1 /work/venv/bin/python benches/compare/ml_numpy.py
right after `cargo bench --bench ml`: it reads criterion's samples of the same operations
(`target/criterion/<group>/<bench>/new/sample.json`) and prints both sides' median and minimum
time per call and the ratio of the minima (the least noisy statistic on a shared machine).
"""
import json
import os
import timeit

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402  (after the thread setting)


def median_ms(f, number, repeat=15):
    """(median, min) of `repeat` timings of `number` calls each, in ms per call."""
    times = np.array(timeit.repeat(f, number=number, repeat=repeat)) / number
    return 1e3 * float(np.median(times)), 1e3 * float(times.min())


def criterion_ms(group, bench):
    """(median, min) per-iteration time of a criterion benchmark's last run, in ms."""
    path = os.path.join(os.path.dirname(__file__), "..", "..", "target", "criterion", group, bench,
                        "new", "sample.json")
    try:
        with open(path) as f:
            sample = json.load(f)
    except OSError:
        return None
    per_iter = np.array(sample["times"]) / np.array(sample["iters"]) / 1e6
    return float(np.median(per_iter)), float(per_iter.min())


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy(z, y):
    # log-sum-exp per row, then the negative log-likelihood of the labels (mean over the batch)
    m = z.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(z - m).sum(axis=1))
    return float(np.mean(lse - z[np.arange(z.shape[0]), y]))


def softmax_cross_entropy(z, y):
    # loss and its gradient (softmax − one-hot) / batch, as a framework's fused op returns them
    m = z.max(axis=1, keepdims=True)
    e = np.exp(z - m)
    s = e.sum(axis=1, keepdims=True)
    n = z.shape[0]
    loss = float(np.mean(m[:, 0] + np.log(s[:, 0]) - z[np.arange(n), y]))
    g = e / (s * n)
    g[np.arange(n), y] -= 1.0 / n
    return loss, g


def main():
    rng = np.random.default_rng(0)
    f32 = np.float32
    # Dense 256×784 → 512
    x = rng.uniform(-1, 1, (256, 784)).astype(f32)
    w = rng.uniform(-0.05, 0.05, (784, 512)).astype(f32)
    b = rng.uniform(-0.05, 0.05, 512).astype(f32)
    g = rng.uniform(-1, 1, (256, 512)).astype(f32)

    def dense_fwd_bwd():
        y = x @ w + b
        dw = x.T @ g
        db = g.sum(axis=0)
        dx = g @ w.T
        return y, dw, db, dx

    res = {
        "dense_forward (x@W+b)": median_ms(lambda: x @ w + b, 20),
        "dense_forward_backward": median_ms(dense_fwd_bwd, 10),
        "gemm x@W": median_ms(lambda: x @ w, 20),
        "gemm x.T@g": median_ms(lambda: x.T @ g, 20),
        "gemm g@W.T": median_ms(lambda: g @ w.T, 20),
    }
    # softmax / cross-entropy 4096×1000
    z = rng.normal(0, 3, (4096, 1000)).astype(f32)
    y = rng.integers(0, 1000, 4096)
    res["softmax (4096x1000)"] = median_ms(lambda: softmax(z), 5)
    res["log-sum-exp cross_entropy (4096x1000)"] = median_ms(lambda: cross_entropy(z, y), 5)
    res["softmax_cross_entropy loss+grad (4096x1000)"] = median_ms(
        lambda: softmax_cross_entropy(z, y), 5
    )
    ndkit = {
        "dense_forward (x@W+b)": ("dense_f32", "forward"),
        "dense_forward_backward": ("dense_f32", "forward_backward"),
        "gemm x@W": ("dense_f32", "gemm_x_w"),
        "gemm x.T@g": ("dense_f32", "gemm_xt_g"),
        "gemm g@W.T": ("dense_f32", "gemm_g_wt"),
        "softmax (4096x1000)": ("softmax_f32", "softmax"),
        "log-sum-exp cross_entropy (4096x1000)": ("softmax_f32", "cross_entropy"),
        "softmax_cross_entropy loss+grad (4096x1000)": ("softmax_f32", "softmax_cross_entropy"),
    }
    print(f"numpy {np.__version__}, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    print(f"{'operation':46s} {'numpy med/min ms':>18s} {'ndkit med/min ms':>18s} {'numpy/ndkit (min)':>18s}")
    for k, (med, low) in res.items():
        theirs = criterion_ms(*ndkit[k])
        if theirs is None:
            print(f"{k:46s} {med:8.3f} {low:8.3f}")
        else:
            print(f"{k:46s} {med:8.3f} {low:8.3f}  {theirs[0]:8.3f} {theirs[1]:8.3f}  {low / theirs[1]:8.2f}x")


if __name__ == "__main__":
    main()
