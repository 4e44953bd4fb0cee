#!/usr/bin/env bash
# Formats the Swift code with swift-format (the toolchain's `swift format`) and the project's
# .swift-format; with --check, changes nothing and fails if anything is not formatted.
#
#   scripts/format.sh [--check]
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Package.swift Sources Tests bench/empty-swift)
case ${1:-} in
    --check)
        findings=$(swift format lint --strict --recursive "${paths[@]}" 2>&1) || true
        if [ -n "$findings" ]; then
            echo "$findings" >&2
            echo "format check: $(echo "$findings" | wc -l) findings; scripts/format.sh fixes most of them" >&2
            exit 1
        fi
        echo "format check: clean"
        ;;
    "") swift format format --in-place --recursive "${paths[@]}" ;;
    *) echo "usage: scripts/format.sh [--check]" >&2; exit 2 ;;
esac
