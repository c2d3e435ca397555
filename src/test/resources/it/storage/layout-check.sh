#!/bin/sh
# The disk layout as the booted system sees it, one record per word: each partition (lsblk) as
# KEY=value pairs, each mount (findmnt) and each fstab line, fields joined by commas.
lsblk -b -n -P -o NAME,SIZE,FSTYPE,UUID,PARTUUID,PARTLABEL /dev/vda | tail -n +2 \
  | sed 's/" /,/g; s/"//g; s/^/part=/'
findmnt -n -r -o TARGET,SOURCE,FSTYPE | grep -E '^/(boot|boot/efi|var)? ' | tr ' ' ',' | sed 's/^/mount=/'
grep -v '^#' /etc/fstab | grep . | tr -s ' \t' ',' | sed 's/^/fstab=/'
