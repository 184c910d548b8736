#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds qmlsim in Release in build/ and shows the main job,
# `qmlsim compare` (quantum against classical models; its plot and report go to $QMLSIM_DEMO_OUT,
# default a new temporary directory), then exact state-vector runs of standard circuits, seeded
# sampling, a qubit-scaling benchmark, and
# quantum-kernel SVMs against a classical one (train, save, predict), and variational classifiers
# trained by a classical optimizer on exact gradients (Qiskit ML's iris tutorial, reproduced).
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

out="${QMLSIM_DEMO_OUT:-$(mktemp -d)}"
mkdir -p "${out}"
step "The main job: quantum against classical models on iris (the embedded default: 5 folds, seed 1), plot and report in ${out}" \
  compare --plot "${out}/compare.png" --report "${out}/report.html"

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

model="$(mktemp -d)/qsvc_iris.json"
step "Quantum kernel of Qiskit ML's ad hoc data (ZZ feature map, linear entanglement): timing and diagnostics" \
  kernel --dataset ad_hoc --feature-map zz:entanglement=linear
step "QSVC on the ad hoc data, as Qiskit ML's tutorial: 20 training and 5 test samples per class" \
  train --model qsvc --dataset ad_hoc --feature-map zz:reps=2,entanglement=linear --C 1
step "QSVC (z feature map, 4 qubits) on iris, stratified 70/30 split from --seed" \
  train --model qsvc --dataset iris --test-size 0.3 --feature-map z --seed 1
step "The classical baseline on the same split: an RBF SVM with scikit-learn's defaults" \
  train --model svm-rbf --dataset iris --test-size 0.3 --preprocess standard,minmax:0:pi --seed 1
step "QSVC with probabilities on Qiskit ML's iris tutorial files, saved to ${model}" \
  train --model qsvc --train qml/data/builtin/iris_qiskit_tutorial_train.csv \
  --test qml/data/builtin/iris_qiskit_tutorial_test.csv --feature-map zz:reps=1 --probability --save "${model}"
step "The saved model predicts the test file again (the same labels and probabilities)" \
  predict --model "${model}" --data qml/data/builtin/iris_qiskit_tutorial_test.csv --proba

vqc="$(mktemp -d)/vqc_iris.json"
step "Qiskit ML's VQC tutorial on iris: ZZ reps 1 + RealAmplitudes reps 3 (16 weights), COBYLA, 100 evaluations, from Qiskit's first point" \
  train --model vqc --train qml/data/builtin/iris_qiskit_tutorial_train.csv \
  --test qml/data/builtin/iris_qiskit_tutorial_test.csv --feature-map zz:reps=1 --ansatz real-amplitudes:reps=3 \
  --readout modulo --loss cross-entropy-log2 --optimizer cobyla --maxiter 100 --preprocess none \
  --initial-point 0.6823518632481435,0.053821018802222675,0.22035987277261138,0.1843718106986697,0.17590590108503035,0.8120945066557737,0.9233449980270564,0.27657439779710624,0.8197545615930021,0.8898926931111859,0.5129704552295319,0.24496460106879647,0.8242415960974113,0.21376296337509548,0.7414670522347097,0.6299402045896808
step "A data re-uploading classifier on the same split, Adam on exact adjoint gradients, saved to ${vqc}" \
  train --model reupload --train qml/data/builtin/iris_qiskit_tutorial_train.csv \
  --test qml/data/builtin/iris_qiskit_tutorial_test.csv --layers 3 --optimizer adam:lr=0.05 --maxiter 100 --seed 1 \
  --save "${vqc}"
step "The saved variational model predicts the test file" \
  predict --model "${vqc}" --data qml/data/builtin/iris_qiskit_tutorial_test.csv

qmlsim_log "Done. Try '${qmlsim} run --help', '${qmlsim} kernel --help' and '${qmlsim} train --help'."
