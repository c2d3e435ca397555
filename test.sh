#!/usr/bin/env bash
# Runs the whole test suite: unit tests (mvn test) and the root/loop/QEMU integration tests (*IT),
# then prints how long each integration test class took.
set -euo pipefail
cd "$(dirname "$0")"
tools/install-host-deps.sh --test
status=0
mvn -B verify "$@" || status=$?
tools/it-times.sh target/failsafe-reports || true
exit "$status"
