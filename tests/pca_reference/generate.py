#!/usr/bin/env python3
"""scikit-learn golden values for tests/pca.rs.

Run from anywhere:  python tests/pca_reference/generate.py
Reads the datasets shipped in data/ (the same files scikit-learn ships; the script checks that
they equal sklearn.datasets.load_iris / load_digits) and writes tests/pca_reference/*.npy plus
VERSIONS.txt.

Every array is float64, C-contiguous, little-endian (np.save default), so ndarray-npy reads it.
For each dataset <d> in {iris, digits}, with PCA(n_components=k, svd_solver="full"):
  <d>_components.npy          k x n_features   (components_)
  <d>_explained_variance.npy  k                (explained_variance_)
  <d>_ratio.npy               k                (explained_variance_ratio_)
  <d>_singular_values.npy     k                (singular_values_)
  <d>_mean.npy                n_features       (mean_)
  <d>_transform.npy           rows x k         (transform of the first `rows` samples)
Iris keeps all 4 components and transforms all 150 samples; Digits keeps 30 of 64 components
(the explained variances of the first 31 differ pairwise by >= 1.7 %, so each of the 30
components is well determined) and transforms the first 100 samples (to keep the file small).
"""
import gzip
import os
import platform
import sys

import numpy as np
import sklearn
from sklearn.datasets import load_digits, load_iris
from sklearn.decomposition import PCA

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "data")


def save(name, arr):
    np.save(os.path.join(HERE, name + ".npy"), np.ascontiguousarray(arr, dtype=np.float64))


def read_iris():
    # First line: "150,4,setosa,versicolor,virginica"; then 4 features and the class (0..2).
    table = np.loadtxt(os.path.join(DATA, "iris.csv"), delimiter=",", skiprows=1)
    return table[:, :4], table[:, 4].astype(int)


def read_digits():
    # No header: 64 pixel values (0..16) and the class (0..9) per line.
    with gzip.open(os.path.join(DATA, "digits.csv.gz"), "rt") as f:
        table = np.loadtxt(f, delimiter=",")
    return table[:, :64], table[:, 64].astype(int)


def reference(name, x, k, rows):
    pca = PCA(n_components=k, svd_solver="full").fit(x)
    save(f"{name}_components", pca.components_)
    save(f"{name}_explained_variance", pca.explained_variance_)
    save(f"{name}_ratio", pca.explained_variance_ratio_)
    save(f"{name}_singular_values", pca.singular_values_)
    save(f"{name}_mean", pca.mean_)
    save(f"{name}_transform", pca.transform(x[:rows]))
    full = PCA(svd_solver="full").fit(x).explained_variance_
    gaps = np.abs(np.diff(full[: k + 1])) / full[1 : k + 1]
    print(f"{name}: k = {k}, ratios {pca.explained_variance_ratio_[:4]}..., "
          f"smallest relative gap among the first {k + 1} variances {gaps.min():.4f}")


def main():
    iris_x, iris_y = read_iris()
    digits_x, digits_y = read_digits()
    ref = load_iris()
    assert np.array_equal(iris_x, ref.data) and np.array_equal(iris_y, ref.target)
    ref = load_digits()
    assert np.array_equal(digits_x, ref.data) and np.array_equal(digits_y, ref.target)

    reference("iris", iris_x, 4, 150)
    reference("digits", digits_x, 30, 100)

    with open(os.path.join(HERE, "VERSIONS.txt"), "w") as f:
        f.write(f"python {platform.python_version()}\n")
        f.write(f"numpy {np.__version__}\n")
        f.write(f"scikit-learn {sklearn.__version__}\n")
        import scipy
        f.write(f"scipy {scipy.__version__}\n")


if __name__ == "__main__":
    sys.exit(main())
