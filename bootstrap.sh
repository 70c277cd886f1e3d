#!/usr/bin/env bash
# One-step setup and run for a fresh Debian machine (root, Python 3.11).
#   ./bootstrap.sh demo   render the bundled example into output/
#   ./bootstrap.sh test   run the whole test suite
# It installs what is missing (graphviz, Noto CJK fonts, Chromium; a venv with
# flowviz and its test tools) and is cheap to run again.
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
command -v dot >/dev/null 2>&1 || need_apt+=(graphviz)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
fc-list 2>/dev/null | grep "Noto Sans CJK" >/dev/null || need_apt+=(fonts-noto-cjk)  # no -q: SIGPIPE under pipefail
ldconfig -p 2>/dev/null | grep "libcairo.so.2" >/dev/null || need_apt+=(libcairo2)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "bootstrap: need root to install: ${need_apt[*]}" >&2
    exit 1
  fi
  echo "bootstrap: installing ${need_apt[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" fontconfig >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.flowviz-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[test,notebook]'
  touch "$stamp"
fi

case "${1:-demo}" in
  demo)
    .venv/bin/flowviz info examples/0048.json
    .venv/bin/flowviz render examples/0048.json --sankey --dot
    ;;
  test)
    shift || true
    # axe-core (npm) checks the pages' accessibility (tests/render/test_axe.py)
    if [ ! -f node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1; then
      npm install --no-audit --no-fund --silent >/dev/null
    fi
    .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: ./bootstrap.sh [demo|test]" >&2
    exit 2
    ;;
esac
