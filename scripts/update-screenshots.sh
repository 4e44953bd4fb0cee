#!/usr/bin/env bash
# Runs the browser test with SCREENSHOTS pointing at docs/screenshots, so the README shows the
# pages as they are now.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/require-packages.sh
require_packages zlib1g-dev libdeflate-dev libfcgi-dev libsqlite3-dev nginx chromium chromium-driver
source scripts/bundled-model.sh
unpack_bundled_model
swift build --build-tests
SCREENSHOTS="$PWD/docs/screenshots" swift test --skip-build --disable-swift-testing --filter BrowserTests
