#!/usr/bin/env bash
# Set-up and main job: installs missing host tools, builds bin/imagecustomizer, and runs it
# on the example configuration.
set -euo pipefail
cd "$(dirname "$0")"
tools/install-host-deps.sh
mvn -B -q -DskipTests package
bin/imagecustomizer --version
bin/imagecustomizer validate-config --config-file examples/liveos-cloud-init-media.yaml
