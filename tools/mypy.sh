#!/usr/bin/env bash
# Type-check the checkpoint package as it is installed. drivers/ and hardware-mocks/ become
# checkpoint.drivers and checkpoint.mocks only through the package-dir mapping, which mypy cannot
# follow, so it checks a tree of links laid out like the installed package (tools/link-tree.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
tree="$PWD/.mypy_cache/link-tree"
tools/link-tree.sh "$tree"
# Report the real file names, not the links.
MYPYPATH="$tree" .venv/bin/mypy --cache-dir .mypy_cache -p checkpoint "$@" |
    sed -e "s#[^ :]*link-tree/checkpoint/drivers/#drivers/#g" -e "s#[^ :]*link-tree/checkpoint/mocks/#hardware-mocks/#g" \
        -e "s#[^ :]*link-tree/checkpoint/#src/checkpoint/#g"
