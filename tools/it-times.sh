#!/usr/bin/env bash
# it-times.sh REPORTS_DIR: one line per integration test class from failsafe's XML reports, the
# slowest first: seconds, tests, failures+errors, class. Also the sum of the classes' times (with
# classes running side by side in two JVMs, the sum is more than the wall-clock time).
set -euo pipefail
dir=${1:-target/failsafe-reports}
shopt -s nullglob
reports=("$dir"/TEST-*.xml)
((${#reports[@]})) || { echo "no integration test reports in $dir"; exit 0; }
echo "integration test classes (seconds, tests, failed, class):"
rows=$(for report in "${reports[@]}"; do
  head -c 4096 "$report" | tr '\n' ' ' | grep -o '<testsuite [^>]*>' | head -1 |
    sed -E 's/.* name="([^"]*)".*/\1/;t;d' | tr '\n' ' '
  head -c 4096 "$report" | tr '\n' ' ' | grep -o '<testsuite [^>]*>' | head -1 | tr ' ' '\n' |
    sed -nE 's/^(time|tests|failures|errors)="([^"]*)".*/\1=\2/p' | tr '\n' ' '
  echo
done | awk '{
  for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
  gsub(",", "", v["time"])
  printf "%8.1f %4d %4d  %s\n", v["time"], v["tests"], v["failures"] + v["errors"], $1
}' | sort -rn)
echo "$rows"
echo "$rows" | awk '{ total += $1 } END { printf "%8.1f  total of the classes\n", total }'
