#!/usr/bin/env bash
# Lay out, in DIR/checkpoint, a tree of links shaped like the installed package: drivers/ and
# hardware-mocks/ become checkpoint.drivers and checkpoint.mocks only through setuptools' package-dir
# mapping, which static tools (mypy, the API reference's griffe) cannot follow.
# Usage: tools/link-tree.sh DIR
set -euo pipefail
cd "$(dirname "$0")/.."
tree="${1:?usage: tools/link-tree.sh DIR}"
rm -rf "$tree"
mkdir -p "$tree/checkpoint"
for entry in src/checkpoint/*; do
    ln -s "$PWD/$entry" "$tree/checkpoint/$(basename "$entry")"
done
ln -s "$PWD/drivers" "$tree/checkpoint/drivers"
ln -s "$PWD/hardware-mocks" "$tree/checkpoint/mocks"
