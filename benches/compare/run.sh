#!/usr/bin/env bash
# One run of the ndkit vs NumPy vs ndarray-linalg vs raw BLAS comparison; prints a markdown table.
#
#   benches/compare/run.sh [--threads "1 2"] [--filter SUBSTRING] [--quick] [--rounds N]
#
# Builds the Rust suite (benches/compare.rs, bench profile), creates a virtualenv with numpy,
# scipy and scikit-learn under target/compare-venv if there is none, then runs both suites
# with the same BLAS thread count (OPENBLAS_NUM_THREADS for NumPy's bundled OpenBLAS,
# ndkit::set_num_threads for the system one) and merges their JSON lines. With --rounds N both
# suites run N times, alternating, and each implementation keeps its minimum over the rounds:
# on a shared machine a disturbance during one suite's turn then does not decide a ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."

threads="1"
rounds=1
extra=()
while (($#)); do
    case $1 in
        --threads) threads=$2; shift 2 ;;
        --filter) extra+=(--filter "$2"); shift 2 ;;
        --quick) extra+=(--quick); shift ;;
        --rounds) rounds=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

venv=target/compare-venv
if [[ ! -x $venv/bin/python ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q numpy scipy scikit-learn
fi

cargo bench --bench compare --no-run -q 2>/dev/null || cargo bench --bench compare --no-run
out=$(mktemp)
for t in $threads; do
    for ((round = 1; round <= rounds; round++)); do
        OPENBLAS_NUM_THREADS=$t cargo bench -q --bench compare -- --threads "$t" "${extra[@]}" | tee -a "$out" >&2
        for script in benches/compare/*_suite.py; do
            OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t "$venv/bin/python" "$script" --threads "$t" "${extra[@]}" | tee -a "$out" >&2
        done
    done
done
echo
"$venv/bin/python" benches/compare/table.py < "$out"
rm -f "$out"
