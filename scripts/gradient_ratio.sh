#!/usr/bin/env bash
# Whole-process cost of `qmlsim run --output gradient` against `qmlsim run --output expectation`
# on the same OpenQASM 3 file: L layers of ry and rz on every qubit and a cx chain (2 n L inputs,
# bound to fixed angles), observable sum_i Z_i, one thread. Prints the median of R runs of each
# command, interleaved, on the wall clock of the whole process (as a user sees it) and in CPU time
# (user + system, which a shared machine's load does not inflate), and their ratios.
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

# "wall cpu" seconds of one whole-process run of the given command (cpu = user + system time: on
# a shared machine it does not count the time the process waited for a core).
seconds() {
  local t0 t1 cpu
  t0=$(date +%s.%N)
  cpu=$( { TIMEFORMAT='%3U %3S'; time "$@" > /dev/null 2>&1; } 2>&1 | tail -1 | awk '{ printf "%.3f", $1 + $2 }')
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" -v c="$cpu" 'BEGIN { printf "%.6f %s\n", b - a, c }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

common=("$qmlsim" run "$file" --params "$params" --observable "$observable" --threads 1 "$@")
"${common[@]}" --output expectation > /dev/null  # warm the page cache and check the command
# Interleaved (expectation, gradient, expectation, ...): a change of machine load hits both alike.
e_wall=() g_wall=() e_cpu=() g_cpu=()
for ((r = 0; r < repeats; ++r)); do
  read -r w c < <(seconds "${common[@]}" --output expectation)
  e_wall+=("$w") e_cpu+=("$c")
  read -r w c < <(seconds "${common[@]}" --output gradient)
  g_wall+=("$w") g_cpu+=("$c")
done
ew=$(printf '%s\n' "${e_wall[@]}" | median) gw=$(printf '%s\n' "${g_wall[@]}" | median)
ec=$(printf '%s\n' "${e_cpu[@]}" | median) gc=$(printf '%s\n' "${g_cpu[@]}" | median)
echo "circuit      $file ($n qubits, $layers layers, $((2 * n * layers)) inputs)"
echo "load         $(cut -d' ' -f1-3 /proc/loadavg)"
echo "expectation  wall ${ew} s, cpu ${ec} s (medians of $repeats; wall: ${e_wall[*]})"
echo "gradient     wall ${gw} s, cpu ${gc} s (medians of $repeats; wall: ${g_wall[*]})"
echo "ratio        wall $(awk -v g="$gw" -v e="$ew" 'BEGIN { printf "%.2f", g / e }'), cpu $(awk -v g="$gc" -v e="$ec" 'BEGIN { printf "%.2f", g / e }')"
