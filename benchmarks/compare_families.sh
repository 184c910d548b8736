#!/usr/bin/env bash
# The quantum-versus-classical study of Bowles, Ahmed and Schuld (2024) in small: `qmlsim compare`
# with grid search over the five benchmark families at 2, 4, 6, 8 and 10 features (bars-and-stripes:
# 1x2, 2x2, 2x3, 2x4, 2x5 images), the default models (quantum kernels, vqc, reupload against the
# RBF SVM, logistic regression and the MLP), 5 folds, seed 1. Writes one CSV per run and all.csv
# (rows with family and features prepended) into OUT, and prints the wall time of each run and
# of the whole study.
# Usage: bash benchmarks/compare_families.sh QMLSIM_BINARY OUT_DIR [extra compare options...]
set -euo pipefail
qmlsim=${1:?usage: compare_families.sh QMLSIM_BINARY OUT_DIR [options]}
out=${2:?usage: compare_families.sh QMLSIM_BINARY OUT_DIR [options]}
shift 2
mkdir -p "${out}"
dims=(2 4 6 8 10)
bars=("height=1,width=2" "height=2,width=2" "height=2,width=3" "height=2,width=4" "height=2,width=5")
start=${SECONDS}
: > "${out}/times.txt"
all="${out}/all.csv.tmp"
: > "${all}"
for family in linearly-separable hidden-manifold two-curves bars-and-stripes hyperplanes-parity; do
  for i in "${!dims[@]}"; do
    d=${dims[$i]}
    case ${family} in
      bars-and-stripes) spec="${family}:${bars[$i]}" ;;
      hyperplanes-parity) spec="${family}:features=${d},dim_hyperplanes=$((d < 3 ? d : 3))" ;;
      *) spec="${family}:features=${d}" ;;
    esac
    run_start=${SECONDS}
    "${qmlsim}" compare --dataset "${spec}" --search grid --format csv "$@" > "${out}/${family}-${d}.csv"
    took=$((SECONDS - run_start))
    printf '%-20s %2d features %5d s\n' "${family}" "${d}" "${took}" | tee -a "${out}/times.txt"
    header=$(head -1 "${out}/${family}-${d}.csv")
    [[ -s ${all} ]] || printf 'family,features,%s\n' "${header}" > "${all}"
    tail -n +2 "${out}/${family}-${d}.csv" | sed "s/^/${family},${d},/" >> "${all}"
  done
done
mv "${all}" "${out}/all.csv"
printf 'whole study: %d s\n' "$((SECONDS - start))" | tee -a "${out}/times.txt"
