#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds qmlsim in Release in build/ and runs the whole test
# suite. Extra arguments go to ctest, e.g. `bash scripts/test.sh -R Circuit` or `-E Slow`.
# Usage: sudo bash scripts/test.sh [CTEST_ARGS...]   (or without sudo as root)
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

qmlsim_setup_release_build

qmlsim_log "Running the test suite"
cd "${QMLSIM_ROOT}"
# exec: ctest's own summary is the last thing printed, and its exit status is ours.
exec ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
