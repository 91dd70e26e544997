#!/usr/bin/env bash
# Installs the Debian packages ctml needs; quiet and quick when all are there.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git
  libeigen3-dev libboost-dev librange-v3-dev xtensor-dev nlohmann-json3-dev
  libsqlite3-dev libssl-dev sqlite3 libcpp-httplib-dev libspdlog-dev libarchive-dev python3-yaml curl wrk
  gnuplot-nox chromium
  catch2 libbenchmark-dev libcli11-dev
  clang libclang-rt-14-dev
  python3-sklearn python3-pandas
  postgresql libpq-dev libopenmpi-dev openmpi-bin
)
# newman (the Postman CLI) runs the functional test; it needs Node.js and npm.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
install_npm_packages() {
  local dir
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/functional"
  [ -x "$dir/node_modules/.bin/newman" ] && return 0
  echo "installing: newman (npm, tests/functional)" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --silent >/dev/null)
}
if [ ${#missing[@]} -eq 0 ]; then install_npm_packages; exit 0; fi

echo "installing: ${missing[*]}" >&2
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
export DEBIAN_FRONTEND=noninteractive
# Install first from the lists already on the machine; refresh them only if that fails.
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
  { "${as_root[@]}" apt-get update -q >/dev/null && "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
install_npm_packages
