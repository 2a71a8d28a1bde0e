#!/usr/bin/env bash
# Prepares a fresh machine for the project; sourced by run-local.sh and run-tests.sh.
#  - JAVA_HOME: a JDK 21 or newer (the build targets the java21 Lambda runtime);
#  - .venv: what running needs, the local AWS endpoint (moto) from
#    infrastructure/local/requirements.txt, reinstalled whenever that file changes.
# The template's checkers are only run-tests.sh's, which makes their environments with
# setup_venv below, so a first ./run-local.sh installs none of them:
#  - .venv-tools: SAM CLI and cfn-lint, from requirements-tools.txt;
#  - .venv-checkov: checkov alone, from requirements-checkov.txt (its pins conflict with
#    aws-sam-cli's and moto's in one environment);
#  - api/node_modules: the pinned npm tools of the API description (Spectral, Swagger UI), from
#    api/package-lock.json with `npm ci`, reinstalled whenever the lock changes; never global.
# Sourced: it leaves the caller's shell options alone and returns non-zero on failure.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# shellcheck source=jdk.sh
. "$ROOT/infrastructure/jdk.sh" || return 1

# setup_venv DIR REQUIREMENTS: DIR holds exactly the pinned REQUIREMENTS (reinstalled when they change).
setup_venv() {
  local venv="$ROOT/$1" req="$ROOT/infrastructure/local/$2" stamp="$ROOT/$1/.requirements.sha256"
  local want; want="$(sha256sum "$req" | cut -d' ' -f1)"
  if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  echo "Installing the pinned Python tools of $2 into $1 (first run only)..." >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
  echo "$want" > "$stamp"
}

# setup_npm DIR: DIR/node_modules holds exactly DIR/package-lock.json (npm ci, no install scripts run).
setup_npm() {
  local dir="$ROOT/$1" stamp="$ROOT/$1/node_modules/.package-lock.sha256"
  local want; want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  if ! command -v npm >/dev/null; then
    echo "npm not found: install Node.js 20 or newer (it runs the API description's linter and reference page)." >&2
    return 1
  fi
  echo "Installing the pinned npm tools of $1/package-lock.json (first run only)..." >&2
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2) || return 1
  echo "$want" > "$stamp"
}

setup_venv .venv requirements.txt || return 1
export PATH="$ROOT/.venv/bin:$PATH"
setup_npm api || return 1
# SAM CLI: no usage telemetry from developers' machines or CI.
export SAM_CLI_TELEMETRY=0

# The web client (web/): its npm packages exactly as package-lock.json pins them (reinstalled when
# the lock changes), and Debian's Chromium for its browser tests (Playwright cannot download a
# browser here: playwright-core drives /usr/bin/chromium).
setup_web() {
  [ -f "$ROOT/web/package-lock.json" ] || return 0
  local stamp="$ROOT/web/node_modules/.package-lock.sha256"
  local want; want="$(sha256sum "$ROOT/web/package-lock.json" | cut -d' ' -f1)"
  if ! command -v npm >/dev/null; then
    echo "The web client needs Node.js 20.19+ and npm (Debian: apt-get install nodejs npm)." >&2
    return 1
  fi
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installing the web client's pinned npm packages (npm ci)..." >&2
    (cd "$ROOT/web" && npm ci --no-audit --no-fund --loglevel=error) || return 1
    echo "$want" > "$stamp"
  fi
}
setup_chromium() {
  [ -x /usr/bin/chromium ] && return
  echo "Installing Debian's chromium for the browser tests..." >&2
  if [ "$(id -u)" = 0 ]; then
    { apt-get install -y -q chromium >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }; } || return 1
  else
    sudo apt-get install -y -q chromium >/dev/null || return 1
  fi
}
setup_web || return 1

# The HEIC decoder (infrastructure/heif/native): libheif and libde265 from pinned Debian sources,
# compiled to WebAssembly with Debian's clang, rebuilt only when its inputs change (30 s on 2 cores).
# The Maven build compiles the result to JVM bytecode (infrastructure/heif/pom.xml).
HEIF_TOOLCHAIN=(clang-19 lld-19 libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 libclang-rt-19-dev-wasm32 wasi-libc dpkg-dev patch curl)
setup_heif() {
  local out="$ROOT/.cache/heif/territoire-heif.wasm" stamp="$ROOT/.cache/heif/inputs.sha256"
  if [ -f "$out" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$(cat "$ROOT"/infrastructure/heif/native/* | sha256sum | cut -d' ' -f1)" ]; then
    return
  fi
  local installed; installed="$(dpkg-query -W -f='${Status}\n' "${HEIF_TOOLCHAIN[@]}" 2>/dev/null | grep -c 'install ok installed')"
  if [ "$installed" != "${#HEIF_TOOLCHAIN[@]}" ]; then
    echo "Installing clang and wasi-libc from Debian for the HEIC decoder (first run only)..." >&2
    local sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
    { $sudo apt-get install -y -q "${HEIF_TOOLCHAIN[@]}" >/dev/null \
      || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q "${HEIF_TOOLCHAIN[@]}" >/dev/null; }; } || return 1
  fi
  echo "Building the HEIC decoder from its pinned sources (first run only)..." >&2
  "$ROOT/infrastructure/heif/native/build.sh" "$out" || return 1
}
setup_heif || return 1
