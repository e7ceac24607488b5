#!/usr/bin/env bash
# Set up everything checkpoint needs on a fresh Debian/Ubuntu machine: the system packages (installed
# only when missing) and a virtual environment in .venv with the project installed in editable mode.
# Usage: tools/setup.sh [EXTRAS]    e.g. tools/setup.sh test,bench
set -euo pipefail
cd "$(dirname "$0")/.."

extras="${1:-}"
system_packages=(tesseract-ocr tesseract-ocr-eng fonts-ocr-b sane-utils libsane1 libusb-1.0-0
    pcscd libpcsclite-dev pcsc-tools swig build-essential pkg-config python3-dev)
# vpcd, the virtual card reader the chip tests use, listens on all network interfaces: only where the tests
# run (the test extra), never on a terminal that `make run` sets up. The tests also start their own
# throwaway PostgreSQL server from Debian's package; a terminal needs only the client library psycopg brings.
if [[ ",${extras}," == *",test,"* ]]; then
    system_packages+=(vsmartcard-vpcd postgresql)
fi

missing=()
for pkg in "${system_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    echo "setup: installing system packages: ${missing[*]}" >&2
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
        sudo=sudo
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
# The versions measured and tested (tools/constraints.txt says why and how to move them on);
# CHECKPOINT_UNPINNED=1 takes the newest that pyproject.toml allows instead.
pins=(-c tools/constraints.txt)
[ -n "${CHECKPOINT_UNPINNED:-}" ] && pins=()
# Re-install only when the project description, the pins or the extras change.
stamp=".venv/.checkpoint-installed"
want="$(cat pyproject.toml tools/constraints.txt | sha256sum | cut -d' ' -f1) ${extras} ${CHECKPOINT_UNPINNED:-}"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check "${pins[@]}" --upgrade pip
    spec="."
    [ -n "$extras" ] && spec=".[${extras}]"
    .venv/bin/python -m pip install -q --disable-pip-version-check "${pins[@]}" -e "$spec"
    echo "$want" > "$stamp"
fi
