"""Merges the JSON lines of both suites (stdin) into the markdown comparison table.

"NumPy" is the NumPy/scikit-learn formulation (numpy.einsum with optimize=True for einsum
cases); "NumPy alt" is numpy.einsum's default optimize=False. When a case was timed in several
rounds, each implementation keeps its minimum over the rounds.
"""
import json
import sys

# OpenBLAS kernel sets by vector instruction set: a ratio between two sides running
# different families measures the kernels, not the wrappers.
FAMILY = {
    **dict.fromkeys(["katmai", "coppermine", "northwood", "prescott", "banias", "atom", "core2",
                     "penryn", "dunnington", "nehalem", "athlon", "opteron", "opteron_sse3",
                     "barcelona", "nano", "bobcat"], "SSE"),
    **dict.fromkeys(["sandybridge", "bulldozer", "piledriver", "steamroller", "excavator"], "AVX"),
    **dict.fromkeys(["haswell", "zen"], "AVX2"),
    **dict.fromkeys(["skylakex", "cooperlake", "sapphirerapids"], "AVX-512"),
}


def family(kernels):
    return FAMILY.get(str(kernels).lower(), str(kernels))


rows, order, backends = {}, [], {}
for line in sys.stdin:
    line = line.strip()
    if not line.startswith("{"):
        continue
    r = json.loads(line)
    if "backend" in r:
        backends.setdefault(r["backend"], r)
        continue
    key = (r["case"], r["threads"])
    if key not in rows:
        rows[key] = {}
        order.append(key)
    best = rows[key].get(r["impl"])
    rows[key][r["impl"]] = r["min_us"] if best is None else min(best, r["min_us"])


def fmt(us):
    if us is None:
        return "–"
    if us >= 1000:
        return f"{us / 1000:.2f} ms"
    return f"{us:.2f} µs"


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "–"


ndkit_side, numpy_side = backends.get("ndkit"), backends.get("numpy")
if ndkit_side:
    print(f"ndkit: {ndkit_side['line']}")
if numpy_side:
    print(f"NumPy: {numpy_side['library']} {numpy_side['version']}, kernels {numpy_side['kernels']}, "
          f"{numpy_side['threads']} threads ({numpy_side['path']})")
if ndkit_side and numpy_side and family(ndkit_side["kernels"]) != family(numpy_side["kernels"]):
    print(f"WARNING: the two sides run different kernel families ({ndkit_side['kernels']}: "
          f"{family(ndkit_side['kernels'])}, {numpy_side['kernels']}: {family(numpy_side['kernels'])}); "
          "ratios compare the BLAS builds, not ndkit with NumPy.")
print()
print("| case | threads | ndkit | NumPy | NumPy alt | ndarray-linalg | raw BLAS/LAPACK | ndkit/NumPy | ndkit/ndarray-linalg |")
print("|---|---|---|---|---|---|---|---|---|")
for key in order:
    r = rows[key]
    k, nu, nl, rb = r.get("ndkit"), r.get("NumPy"), r.get("ndarray-linalg"), r.get("raw BLAS")
    extra = r.get("ndarray-linalg gesvd")
    nl_text = fmt(nl) + (f" (gesvd {fmt(extra)})" if extra else "")
    alt = r.get("NumPy alt")
    print(f"| {key[0]} | {key[1]} | {fmt(k)} | {fmt(nu)} | {fmt(alt)} | {nl_text} | {fmt(rb)} | {ratio(k, nu)} | {ratio(k, nl)} |")
