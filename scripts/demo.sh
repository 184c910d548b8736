#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds qmlsim in Release in build/ and shows the main job:
# exact state-vector runs of standard circuits, seeded sampling, and a qubit-scaling benchmark.
# Usage: sudo bash scripts/demo.sh   (or without sudo as root)
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

qmlsim_setup_release_build

qmlsim="${QMLSIM_ROOT}/build/qmlsim"
[[ -x ${qmlsim} ]] || qmlsim_die "the build produced no executable ${qmlsim}"
cd "${QMLSIM_ROOT}"

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
step "Grover search for |101> on 3 qubits, read from an OpenQASM 2 file" \
  run circuits/grover_3.qasm --top 3
step "Teleportation: mid-circuit measurement and classical 'if', run shot by shot" \
  run circuits/teleport.qasm --output counts --shots 2000 --seed 1
step "A ZZ feature map in OpenQASM 3 with input parameters, and an exact expectation value" \
  run circuits/zz_feature_map.qasm --param x0=0.5 --param x1=-1.25 --output expectation --observable "Z0 Z1 + 0.5*X0"
step "Qubit scaling: 10 layers of rx, rz and a cx chain on 10 to 20 qubits, 3 repeats each" \
  bench --circuit layers --qubits 10:20:2 --depth 10 --repeats 3

qmlsim_log "Done. Try '${qmlsim} run --help' and '${qmlsim} bench --help'."
