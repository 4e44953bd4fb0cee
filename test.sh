#!/usr/bin/env bash
# Builds movieclassifier and runs its whole test suite. Installs the Debian packages it needs
# when they are missing (run as root, or with sudo available).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/require-packages.sh
require_packages zlib1g-dev libfcgi-dev libsqlite3-dev sqlite3 nginx chromium chromium-driver
swift build --build-tests
swift test --skip-build --disable-swift-testing
