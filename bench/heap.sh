#!/usr/bin/env bash
# Peak JVM heap of a disk -> Live OS ISO run and of a disk -> qcow2 run with a package install and
# a UKI, each under the launcher's heap limit, from the JVM's own GC log (-Xlog:gc). Prints, per
# run, the largest heap in use before any collection and the limit. Needs root and ./build.sh done.
#   bench/heap.sh [INPUT.qcow2]
set -euo pipefail
cd "$(dirname "$0")/.."
input=${1:-}
if [[ -z $input ]]; then
  input=/var/cache/imagecustomizer-test/bench/base.qcow2
  [[ -f $input ]] || tools/testimage/build-base-image.sh "$(dirname "$input")" --name base --formats qcow2
fi
work=$(mktemp -d /var/tmp/imagecustomizer-heap.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Largest "used before" of any GC pause line ("... 45M->12M(256M) ..."), and the heap's size.
peak() {
  grep -o '[0-9]*M->[0-9]*M([0-9]*M)' "$1" |
    awk -F'[M>()-]+' '{ if ($1 > max) max = $1; size = $3 } END { printf "%d MiB in use at most (heap %d MiB)", max, size }'
}

run() {
  local name=$1 format=$2 config=$3
  printf '%s' "$config" >"$work/$name.yaml"
  IMAGECUSTOMIZER_JAVA_OPTS="-Xlog:gc:file=$work/$name.gc.log" bin/imagecustomizer \
    --build-dir "$work/build" --image-file "$input" --config-file "$work/$name.yaml" \
    --output-image-format "$format" --output-image-file "$work/$name.out" >/dev/null 2>&1
  echo "$name: $(peak "$work/$name.gc.log"), output $(du -m "$work/$name.out" | cut -f1) MiB"
  rm -f "$work/$name.out"
}

run disk-to-iso iso $'os:\n  hostname: heap\n'
run disk-with-uki qcow2 $'previewFeatures: [uki]\nos:\n  packages:\n    install: [tree]\n  uki:\n    mode: create\n'
