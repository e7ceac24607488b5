#!/usr/bin/env bash
# Build the documentation site (MkDocs, the API reference from the docstrings by mkdocstrings) into
# build/site, offline. Extra arguments go to `mkdocs build`, e.g. tools/docs.sh --strict.
# The API reference reads the package from a tree of links shaped like the installed package.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/link-tree.sh build/api-tree
exec .venv/bin/mkdocs build --quiet "$@"
