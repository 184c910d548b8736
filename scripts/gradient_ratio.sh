#!/usr/bin/env bash
# Whole-process cost of `qmlsim run --output gradient` against `qmlsim run --output expectation`
# on the same OpenQASM 3 file: L layers of ry and rz on every qubit and a cx chain (2 n L inputs,
# bound to fixed angles), observable sum_i Z_i, one thread. Prints the median of R runs of each
# command (wall clock of the whole process, as a user sees it) and their ratio.
#
#   bash scripts/gradient_ratio.sh [QMLSIM] [QUBITS] [LAYERS] [REPEATS] [extra run options...]
#   bash scripts/gradient_ratio.sh build/cli/qmlsim 18 10 3
#   bash scripts/gradient_ratio.sh build/cli/qmlsim 18 10 3 --fusion off
#
# The circuit and its parameter file are written under ${TMPDIR:-/tmp} (not part of the repository).
set -euo pipefail
qmlsim=${1:-build/cli/qmlsim}
n=${2:-18}
layers=${3:-10}
repeats=${4:-3}
shift $(( $# < 4 ? $# : 4 ))
dir=${TMPDIR:-/tmp}
file="$dir/qmlsim_layers_ry_rz_${n}q_${layers}l.qasm"
params="$dir/qmlsim_layers_ry_rz_${n}q_${layers}l.json"

{
  echo "// $layers layers of ry and rz on every qubit and a cx chain ($n qubits, $((2 * n * layers)) inputs)"
  echo "OPENQASM 3.0;"
  echo 'include "stdgates.inc";'
  echo "qubit[$n] q;"
  for ((p = 0; p < 2 * n * layers; ++p)); do echo "input float[64] t$p;"; done
  p=0
  for ((l = 0; l < layers; ++l)); do
    for ((k = 0; k < n; ++k)); do echo "ry(t$p) q[$k];"; p=$((p + 1)); done
    for ((k = 0; k < n; ++k)); do echo "rz(t$p) q[$k];"; p=$((p + 1)); done
    for ((k = 0; k + 1 < n; ++k)); do echo "cx q[$k], q[$((k + 1))];"; done
  done
} > "$file"
{
  printf '{'
  for ((p = 0; p < 2 * n * layers; ++p)); do
    # Fixed angles in (-pi, pi): a deterministic spread, no randomness needed.
    printf '%s"t%d": %s' "$([ $p -gt 0 ] && echo ', ')" "$p" "$(awk -v p="$p" 'BEGIN { printf "%.6f", 3.0 * sin(1.7 * p + 0.3) }')"
  done
  printf '}\n'
} > "$params"
observable=$(for ((k = 0; k < n; ++k)); do printf '%sZ%d' "$([ $k -gt 0 ] && echo ' + ')" "$k"; done)

# Median of R whole-process wall times (seconds) of the given command.
median_seconds() {
  local times=()
  for ((r = 0; r < repeats; ++r)); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" > /dev/null
    t1=$(date +%s.%N)
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

common=("$qmlsim" run "$file" --params "$params" --observable "$observable" --threads 1 "$@")
"${common[@]}" --output expectation > /dev/null  # warm the page cache and check the command
expectation=$(median_seconds "${common[@]}" --output expectation)
gradient=$(median_seconds "${common[@]}" --output gradient)
echo "circuit      $file ($n qubits, $layers layers, $((2 * n * layers)) inputs)"
echo "load         $(cut -d' ' -f1-3 /proc/loadavg)"
echo "expectation  ${expectation} s (median of $repeats)"
echo "gradient     ${gradient} s (median of $repeats)"
echo "ratio        $(awk -v g="$gradient" -v e="$expectation" 'BEGIN { printf "%.2f", g / e }')"
