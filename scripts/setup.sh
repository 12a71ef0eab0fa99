#!/usr/bin/env bash
# One setup script for the whole project: installs every Debian package the
# build, tests and benchmarks need (idempotent), then configures and builds.
#   scripts/setup.sh            install + configure + build (Release, build/)
#   scripts/setup.sh --deps     install packages only
# Works as root or through sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  nlohmann-json3-dev libcurl4-openssl-dev libcpp-httplib-dev libcli11-dev
  libeigen3-dev libspdlog-dev libfmt-dev libsqlite3-dev
  libsimdjson-dev  # hot-path JSON: pools, problems files, plan batches
  libgtest-dev libgmock-dev libbenchmark-dev
  wrk  # bench/serve_load.sh
  clang-14 libfuzzer-14-dev  # the sanitizer + fuzz build (fuzz/, docs/fuzzing.md)
  # The Python package (python/, pyproject.toml): its native module, tests
  # and plan_many's arrays, for Debian's python3; pip for the install command.
  python3-dev pybind11-dev python3-pybind11 python3-pytest python3-numpy python3-pip
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js for tests/node (the official OpenAI SDK as the proxy's client);
# any node >= 18 already on the PATH will do.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup: installing ${missing[*]}" >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present" >&2
fi

# The openai npm package, at the version tests/node/package-lock.json pins.
if ! (cd tests/node && npm ci --no-audit --no-fund --loglevel=error); then
  echo "setup: warning: npm ci in tests/node failed (no registry?); the Node SDK test will be skipped" >&2
fi

[ "${1:-}" = "--deps" ] && exit 0

BUILD_DIR="${BUILD_DIR:-build}"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" ${CMAKE_ARGS:-}
cmake --build "$BUILD_DIR"
