#!/bin/sh
# Each verity device as the booted system sees it, one record per word, prefixed by its name (root
# or usr): the mount it backs, each field of `veritysetup status` as status.<field>=<value>, the
# device-mapper table, whether the mount takes writes; then whether /etc and /var do, and the
# canary file read through the verity device.
for name in root usr; do
  [ -e "/dev/mapper/$name" ] || continue
  mnt=/
  [ "$name" = usr ] && mnt=/usr
  echo "$name.source=$(findmnt -n -o SOURCE "$mnt") $name.options=$(findmnt -n -o OPTIONS "$mnt")"
  veritysetup status "$name" | awk -F': *' -v p="$name." 'NF > 1 {
    k = $1; gsub(/^[ \t]+|[ \t]+$/, "", k); gsub(/[ \t]+/, "_", k)
    v = $2; gsub(/^[ \t]+|[ \t]+$/, "", v); gsub(/[ \t]+/, "_", v)
    print p "status." k "=" v }'
  echo "$name.table=$(dmsetup table "$name" | tr ' ' ',')"
  if touch "$mnt/verity-write-test" 2>/dev/null; then w=allowed; else w=refused; fi
  echo "$name.write=$w"
done
for dir in /etc /var/tmp; do
  if touch "$dir/verity-write-test" 2>/dev/null; then w=allowed; else w=refused; fi
  echo "write$dir=$w"
done
echo "canary=$(sha256sum /usr/local/share/verity-canary | cut -c1-16)"
# What an overlay on /etc shows: its type, and whether a file written through it lands in its upper
# folder on /var; and the file a second customization of the verity image added.
echo "etc.type=$(findmnt -n -o FSTYPE /etc)"
if [ -e /var/overlays/etc/upper/verity-write-test ]; then u=yes; else u=no; fi
echo "etc.upper=$u"
if [ -e /usr/local/share/reinit-canary ]; then r=present; else r=absent; fi
echo "reinit-canary=$r"
