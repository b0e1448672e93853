# Shared set-up for scripts/app and scripts/test (sourced, not run).
# Installs what a fresh Debian/Ubuntu machine lacks, checking first so a
# prepared machine skips it. Rust itself must come from rustup.

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/lectern-target}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

# System packages: a C toolchain (bundled SQLite), WebKitGTK for the window,
# ripgrep (a peer in `lectern bench`), Xvfb and WebKitWebDriver for the
# end-to-end tests.
ensure_system_packages() {
  local want=(build-essential pkg-config libwebkit2gtk-4.1-dev libssl-dev ripgrep "$@")
  command -v npm >/dev/null 2>&1 || want+=(nodejs npm)
  local need=()
  for p in "${want[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    echo "Installing ${need[*]}"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
  fi
}

# The UI's npm packages, exactly as locked.
ensure_ui_packages() {
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    (cd ui && npm ci --no-audit --no-fund)
  fi
}

# Type-checks and bundles the UI into ui/dist, which the app embeds.
build_ui() {
  (cd ui && npm run --silent build)
}

ensure_tauri_driver() {
  command -v tauri-driver >/dev/null 2>&1 || export PATH="$HOME/.cargo/bin:$PATH"
  command -v tauri-driver >/dev/null 2>&1 || cargo install tauri-driver --locked --version 2.1.0
}

# Python with venv, for scripts/fetch-test-data (it counts the entries of
# real bibliographies with an independent parser, outside the tests).
ensure_python_venv() {
  if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    echo "Installing python3-venv"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends python3 python3-venv
  fi
}
