#!/usr/bin/env bash
# Builds movieclassifier and runs its whole test suite. Installs the Debian packages it needs
# when they are missing (run as root, or with sudo available). Builds the release tarball too
# (scripts/release.sh: a static release build, a few minutes the first time, incremental after)
# for the tests that unpack it (ReleaseArtifactTests, skipped when run without this script).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/require-packages.sh
source scripts/bundled-model.sh
require_packages zlib1g-dev libdeflate-dev libfcgi-dev libsqlite3-dev sqlite3 nginx chromium chromium-driver apache2 libapache2-mod-fcgid spawn-fcgi libfcgi-bin binutils python3-venv postgresql libpq5 iproute2 strace
unpack_bundled_model
# The API's test tools, from PyPI, in a venv of their own (APITests runs them).
api_venv=.build/api-venv
[ -x "$api_venv/bin/python" ] || python3 -m venv "$api_venv"
"$api_venv/bin/pip" install -q --disable-pip-version-check schemathesis==4.32.5 openapi-spec-validator==0.9.0 prometheus-client==0.26.0
export MOVIECLASSIFIER_API_TOOLS=$PWD/$api_venv/bin
# The format check first: it fails in a second, before a long build.
scripts/format.sh --check
swift build --build-tests
MOVIECLASSIFIER_RELEASE_TARBALL=$(scripts/release.sh --version test)
export MOVIECLASSIFIER_RELEASE_TARBALL
# Every system test runs: a missing nginx, browser or Apache is a failure here, not a skip.
MOVIECLASSIFIER_REQUIRE_SYSTEM_TESTS=1 swift test --skip-build --disable-swift-testing
