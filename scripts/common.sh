# shellcheck shell=bash
# Shared by scripts/demo.sh, scripts/test.sh and .ci/run (sourced, not run): installs the Debian
# packages qmlsim needs (only the missing ones), configures and builds. Debian 12, as root or with
# sudo; idempotent and non-interactive.

QMLSIM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DEBIAN_FRONTEND=noninteractive

# Everything comes from Debian packages: no download at configure time, so git and
# ca-certificates are not needed.
QMLSIM_PACKAGES=(
  cmake g++ make ninja-build pkg-config
  libeigen3-dev libboost-program-options-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsvm-dev libnlopt-cxx-dev libblis-serial-dev gnuplot-nox
)

qmlsim_log() { printf '\n==> %s\n' "$*"; }
qmlsim_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, else through sudo.
qmlsim_as_root() {
  if [[ ${EUID} -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo env DEBIAN_FRONTEND=noninteractive "$@"
  else
    qmlsim_die "need root to run '$*': run this script as root or install sudo"
  fi
}

# Installs the packages of QMLSIM_PACKAGES that are not installed yet; does nothing (no apt-get
# update either) when all are present.
qmlsim_install_packages() {
  command -v dpkg-query >/dev/null 2>&1 || qmlsim_die "dpkg-query not found: these scripts expect Debian 12"
  local missing=() pkg status
  for pkg in "${QMLSIM_PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "${pkg}" 2>/dev/null || true)"
    [[ ${status} == "install ok installed" ]] || missing+=("${pkg}")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    qmlsim_log "All required Debian packages are installed"
    return 0
  fi
  qmlsim_log "Installing missing Debian packages: ${missing[*]}"
  qmlsim_as_root apt-get update
  qmlsim_as_root apt-get install -y --no-install-recommends "${missing[@]}"
}

# The absolute path of a build directory given relative to QMLSIM_ROOT (or already absolute).
qmlsim_build_dir() {
  if [[ $1 == /* ]]; then printf '%s\n' "$1"; else printf '%s\n' "${QMLSIM_ROOT}/$1"; fi
}

# qmlsim_configure BUILD_DIR [CMAKE_ARGS...]: configures QMLSIM_ROOT into BUILD_DIR. Uses Ninja
# when available; an existing build directory keeps the generator it was made with (CMake
# refuses to switch generators in place).
qmlsim_configure() {
  local dir
  dir="$(qmlsim_build_dir "$1")"
  shift
  local generator=()
  if [[ ! -f "${dir}/CMakeCache.txt" ]] && command -v ninja >/dev/null 2>&1; then
    generator=(-G Ninja)
  fi
  qmlsim_log "Configuring ${dir}"
  cmake -S "${QMLSIM_ROOT}" -B "${dir}" "${generator[@]}" "$@"
}

# qmlsim_build BUILD_DIR: builds every target with all cores.
qmlsim_build() {
  local dir
  dir="$(qmlsim_build_dir "$1")"
  qmlsim_log "Building ${dir} with $(nproc) jobs"
  cmake --build "${dir}" --parallel "$(nproc)"
}

# The steps both demo.sh and test.sh start with: packages, then a Release build in build/.
qmlsim_setup_release_build() {
  qmlsim_install_packages
  qmlsim_configure build -DCMAKE_BUILD_TYPE=Release
  qmlsim_build build
}
