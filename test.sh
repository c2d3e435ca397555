#!/usr/bin/env bash
# Runs the whole test suite: unit tests (mvn test) and the root/loop/QEMU integration tests (*IT).
set -euo pipefail
cd "$(dirname "$0")"
tools/install-host-deps.sh --test
mvn -B verify "$@"
