#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian/Ubuntu machine, and nothing more.
#
#   .ci/bootstrap.sh run    the demo (`make run`): Python 3.11+, uv, the locked runtime packages.
#                           SQLite and pure-Python wheels only: no compiler, no browser, no MySQL.
#   .ci/bootstrap.sh test   the suite (`make test`): the above plus the dev tools, the MySQL driver
#                           (mysqlclient builds from source: compiler, Python and MySQL headers)
#                           and Chromium with its driver for the browser tests.
#
# uv is taken from PATH, else installed with pip into a virtual environment of its own under
# ~/.cache (Debian 12 and Ubuntu 24.04 refuse `pip install` into the system Python).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-test}
case $mode in run|test) ;; *) echo "usage: $0 run|test" >&2; exit 2 ;; esac

say() { echo "bootstrap: $*"; }

need_apt=()
python_ok() { python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
if ! python_ok; then
  need_apt+=(python3)
fi
uv_bin=$(command -v uv || true)
tools_venv="${XDG_CACHE_HOME:-$HOME/.cache}/agm-store-builder/uv"
if [ -z "$uv_bin" ] && [ -x "$tools_venv/bin/uv" ]; then
  uv_bin="$tools_venv/bin/uv"
fi
if [ -z "$uv_bin" ] && ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  need_apt+=(python3-venv)
fi
if [ "$mode" = test ]; then
  command -v gcc >/dev/null 2>&1 || need_apt+=(build-essential)
  command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
  python3 -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null ||
    need_apt+=(python3-dev)
  pkg-config --exists mysqlclient 2>/dev/null || pkg-config --exists libmariadb 2>/dev/null ||
    need_apt+=(default-libmysqlclient-dev)
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
fi

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "bootstrap: missing system packages: ${need_apt[*]}" >&2
    echo "bootstrap: install them (sudo apt-get install ${need_apt[*]}) or run this as root" >&2
    exit 1
  fi
  say "installing ${need_apt[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  python_ok || { echo "bootstrap: Python 3.11 or newer is needed (python3 is $(python3 -V 2>&1))" >&2; exit 1; }
fi

if [ -z "$uv_bin" ]; then
  say "installing uv into $tools_venv"
  python3 -m venv "$tools_venv"
  "$tools_venv/bin/python" -m pip install --quiet --disable-pip-version-check uv
  uv_bin="$tools_venv/bin/uv"
fi

export UV_PYTHON_DOWNLOADS=never
if [ "$mode" = run ]; then
  # --inexact: a developer's test tools stay installed when they also run the demo.
  "$uv_bin" sync --frozen --quiet --no-dev --inexact
else
  "$uv_bin" sync --frozen --quiet --extra mysql
fi
