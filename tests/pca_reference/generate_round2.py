#!/usr/bin/env python3
"""scikit-learn golden values for tests/pca_incremental.rs (ML round two).

Run from anywhere:  python tests/pca_reference/generate_round2.py
Reads data/digits.csv.gz (scikit-learn's Digits, checked against load_digits) and writes
tests/pca_reference/round2_*.npy (float64, C order) plus VERSIONS_round2.txt:

  round2_ipca_<case>_{components,explained_variance,ratio,singular_values,mean,noise}.npy
      sklearn.decomposition.IncrementalPCA(n_components=10, ...) on Digits, for the cases
      b100     fit(batch_size=100)       1797 = 17 x 100 + 97
      b299     fit(batch_size=299)       1797 = 6 x 299 + 3: gen_batches joins the 3 rows
      default  fit()                     batch_size = 5 x 64 = 320
      partial  partial_fit on rows [0:50], [50:400], [400:1000], [1000:1797]
  round2_ipca_partial_whiten_transform.npy  transform of rows 0..20, whiten=True, same batches
  round2_pca_noise.npy  noise_variance_ of PCA(10) with svd_solver full, covariance_eigh
  round2_pca_fraction.npy  [n_components_, noise_variance_] of PCA(0.9, "full"), PCA(0.95,
      "covariance_eigh") and PCA(0.5, "full")
"""
import gzip
import os
import platform

import numpy as np
import sklearn
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA, IncrementalPCA

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "data")


def save(name, arr):
    np.save(os.path.join(HERE, "round2_" + name + ".npy"), np.ascontiguousarray(arr, dtype=np.float64))


def save_model(case, m):
    save(f"ipca_{case}_components", m.components_)
    save(f"ipca_{case}_explained_variance", m.explained_variance_)
    save(f"ipca_{case}_ratio", m.explained_variance_ratio_)
    save(f"ipca_{case}_singular_values", m.singular_values_)
    save(f"ipca_{case}_mean", m.mean_)
    save(f"ipca_{case}_noise", np.array([m.noise_variance_]))


def main():
    with gzip.open(os.path.join(DATA, "digits.csv.gz"), "rt") as f:
        x = np.loadtxt(f, delimiter=",")[:, :64]
    assert np.array_equal(x, load_digits().data)
    save_model("b100", IncrementalPCA(n_components=10, batch_size=100).fit(x))
    save_model("b299", IncrementalPCA(n_components=10, batch_size=299).fit(x))
    save_model("default", IncrementalPCA(n_components=10).fit(x))
    batches = [(0, 50), (50, 400), (400, 1000), (1000, 1797)]
    m = IncrementalPCA(n_components=10)
    w = IncrementalPCA(n_components=10, whiten=True)
    for a, b in batches:
        m.partial_fit(x[a:b])
        w.partial_fit(x[a:b])
    save_model("partial", m)
    save("ipca_partial_whiten_transform", w.transform(x[:20]))
    save("pca_noise", np.array([
        PCA(10, svd_solver="full").fit(x).noise_variance_,
        PCA(10, svd_solver="covariance_eigh").fit(x).noise_variance_,
    ]))
    rows = []
    for frac, solver in [(0.9, "full"), (0.95, "covariance_eigh"), (0.5, "full")]:
        p = PCA(frac, svd_solver=solver).fit(x)
        rows.append([p.n_components_, p.noise_variance_])
    save("pca_fraction", np.array(rows))
    with open(os.path.join(HERE, "VERSIONS_round2.txt"), "w") as f:
        f.write(f"python {platform.python_version()}\n")
        f.write(f"numpy {np.__version__}\n")
        f.write(f"scikit-learn {sklearn.__version__}\n")


if __name__ == "__main__":
    main()
