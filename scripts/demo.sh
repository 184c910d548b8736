#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds qmlsim in Release in build/ and shows the main job:
# exact state-vector runs of standard circuits, seeded sampling, and a qubit-scaling benchmark.
# Usage: sudo bash scripts/demo.sh   (or without sudo as root)
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

qmlsim_setup_release_build

qmlsim=""
for candidate in "${QMLSIM_ROOT}/build/qmlsim" "${QMLSIM_ROOT}/build/cli/qmlsim"; do
  if [[ -x ${candidate} ]]; then
    qmlsim="${candidate}"
    break
  fi
done
[[ -n ${qmlsim} ]] || qmlsim_die "the build produced no qmlsim executable in build/ or build/cli/"

step() {
  qmlsim_log "$1"
  shift
  printf '$ qmlsim %s\n' "$*"
  "${qmlsim}" "$@"
}

step "GHZ state on 5 qubits: the most likely outcomes of the exact final state" \
  run --circuit ghz --qubits 5
step "Quantum Fourier transform on 4 qubits, 1000 shots sampled with seed 1 (same counts on every run)" \
  run --circuit qft --qubits 4 --shots 1000 --seed 1
step "Qubit scaling: 10 layers of rx, rz and a cx chain on 10 to 20 qubits, 3 repeats each" \
  bench --circuit layers --qubits 10:20:2 --depth 10 --repeats 3

qmlsim_log "Done. Try '${qmlsim} run --help' and '${qmlsim} bench --help'."
