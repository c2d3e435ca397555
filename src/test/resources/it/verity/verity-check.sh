#!/bin/sh
# The verity root as the booted system sees it, one record per word: the mount of /, each field of
# `veritysetup status root` as status.<field>=<value>, the device-mapper table, whether / and /var
# take writes, and the canary file read through the verity device.
echo "source=$(findmnt -n -o SOURCE /) options=$(findmnt -n -o OPTIONS /)"
veritysetup status root | awk -F': *' 'NF > 1 {
  k = $1; gsub(/^[ \t]+|[ \t]+$/, "", k); gsub(/[ \t]+/, "_", k)
  v = $2; gsub(/^[ \t]+|[ \t]+$/, "", v); gsub(/[ \t]+/, "_", v)
  print "status." k "=" v }'
echo "table=$(dmsetup table root | tr ' ' ',')"
if touch /verity-write-test 2>/dev/null; then echo "rootwrite=allowed"; else echo "rootwrite=refused"; fi
if touch /var/tmp/verity-write-test 2>/dev/null; then echo "varwrite=allowed"; else echo "varwrite=refused"; fi
echo "canary=$(sha256sum /usr/local/share/verity-canary | cut -c1-16)"
