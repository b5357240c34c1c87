#!/usr/bin/env python3
"""Golden values for tests/activations.rs: PyTorch's definitions written in NumPy/SciPy.

Run from anywhere:  python tests/ml_reference/generate.py
There is no torch in the project's Python environment, so each function below is the formula
from PyTorch's documentation / ATen kernel (named beside it) in float64 NumPy. Writes
tests/ml_reference/*.npy (float64, C order) and VERSIONS.txt.

Inputs are float32 values (so that the f32 and f64 tests see the same exact inputs): the
grid x of 1-d float64 values; g, an upstream gradient of the same length.
"""
import os
import platform

import numpy as np
import scipy
from scipy.special import erfc, expit

HERE = os.path.dirname(os.path.abspath(__file__))


def save(name, arr):
    np.save(os.path.join(HERE, name + ".npy"), np.ascontiguousarray(arr, dtype=np.float64))


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)



KAPPA = 0.044715
BETA = np.sqrt(2.0 / np.pi)


def softplus(x):  # F.softplus(beta=1, threshold=20): x if x > 20 else log1p(exp(x))
    return np.where(x > 20, x, np.logaddexp(0.0, x))


def softplus_backward(x, g):  # ATen softplus_backward: z = exp(x); x > 20 ? g : g * z / (z + 1)
    return np.where(x > 20, g, g * expit(np.minimum(x, 20)))


def gelu(x):  # F.gelu(approximate="none"): x * 0.5 * (1 + erf(x / sqrt(2))) = 0.5 x erfc(-x/sqrt2)
    return 0.5 * x * erfc(-x / np.sqrt(2.0))


def gelu_backward(x, g):  # ATen GeluBackward: cdf + x * pdf
    cdf = 0.5 * erfc(-x / np.sqrt(2.0))
    pdf = np.exp(-0.5 * x * x) / np.sqrt(2.0 * np.pi)
    return g * (cdf + x * pdf)


def gelu_tanh(x):  # approximate="tanh"
    return 0.5 * x * (1.0 + np.tanh(BETA * (x + KAPPA * x**3)))


def gelu_tanh_backward(x, g):  # ATen GeluBackward, tanh branch
    t = np.tanh(BETA * (x + KAPPA * x**3))
    left = 0.5 * x
    right = 1.0 + t
    with np.errstate(invalid="ignore", over="ignore"):
        right_derivative = left * (1.0 - t * t) * BETA * (1.0 + 3.0 * KAPPA * x * x)
    right_derivative = np.where(1.0 - t * t == 0.0, 0.0, right_derivative)
    return g * (0.5 * right + right_derivative)


def main():
    grid = np.concatenate([
        np.linspace(-12.0, 12.0, 97),
        [-1e30, -1e4, -100.0, -30.0, -20.5, -20.0, -19.5, -0.625, -1e-3, -1e-8, 0.0,
         1e-8, 1e-3, 0.625, 19.5, 20.0, 20.5, 30.0, 100.0, 1e4, 1e30],
    ])
    x = f32(grid)
    g = f32(np.cos(3.0 * np.arange(x.size)) + 1.5)
    save("x", x)
    save("g", g)
    with np.errstate(over="ignore"):
        s = expit(x)  # torch.sigmoid
        save("sigmoid", s)
        save("sigmoid_backward", g * s * (1.0 - s))  # ATen sigmoid_backward: g * (1 - s) * s
        t = np.tanh(x)
        save("tanh", t)
        save("tanh_backward", g * (1.0 - t * t))  # tanh_backward: g * (1 - t^2)
        save("silu", x * s)  # F.silu: x * sigmoid(x)
        save("silu_backward", g * s * (1.0 + x * (1.0 - s)))  # ATen silu_backward
        save("softplus", softplus(x))
        save("softplus_backward", softplus_backward(x, g))
        save("gelu", gelu(x))
        save("gelu_backward", gelu_backward(x, g))
        save("gelu_tanh", gelu_tanh(x))
        save("gelu_tanh_backward", gelu_tanh_backward(x, g))
    # leaky_relu with slope 0.25 (exact in f32 and f64): x > 0 ? x : slope * x
    save("leaky_relu", np.where(x > 0, x, 0.25 * x))
    save("leaky_relu_backward", np.where(x > 0, g, 0.25 * g))

    # Losses. BCE with logits (F.binary_cross_entropy_with_logits, mean):
    # max_val = clamp(-x, min=0); (1 - y) x + max_val + log(exp(-max_val) + exp(-x - max_val))
    rng = np.random.default_rng(14)
    logits = f32(np.concatenate([rng.normal(scale=4.0, size=20), [1e4, -1e4, 0.0, 30.0]]))
    targets = f32(np.concatenate([rng.uniform(size=20), [0.0, 1.0, 0.5, 1.0]]))
    mx = np.maximum(-logits, 0.0)
    loss = (1 - targets) * logits + mx + np.log(np.exp(-mx) + np.exp(-logits - mx))
    save("bce_logits", logits)
    save("bce_targets", targets)
    save("bce_loss", np.array([loss.mean()]))
    save("bce_grad", (expit(logits) - targets) / logits.size)
    pred = f32(rng.normal(size=(4, 6)))
    target = f32(rng.normal(size=(4, 6)))
    save("mse_pred", pred)
    save("mse_target", target)
    save("mse_loss", np.array([((pred - target) ** 2).mean()]))  # F.mse_loss, mean
    save("mse_grad", 2.0 * (pred - target) / pred.size)
    z = f32(rng.normal(scale=3.0, size=(5, 4)))
    log_probs = z - np.log(np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True)) - z.max(1, keepdims=True)
    labels = np.array([0, 3, 1, 1, 2])
    save("nll_log_probs", log_probs)
    save("nll_labels", labels.astype(np.float64))
    save("nll_loss", np.array([-log_probs[np.arange(5), labels].mean()]))  # F.nll_loss, mean

    with open(os.path.join(HERE, "VERSIONS.txt"), "w") as f:
        f.write(f"python {platform.python_version()}\n")
        f.write(f"numpy {np.__version__}\n")
        f.write(f"scipy {scipy.__version__}\n")


if __name__ == "__main__":
    main()
