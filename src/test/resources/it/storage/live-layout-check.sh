#!/bin/sh
# What a Live OS made from a repartitioned image holds of each former partition: the package
# database from /var; /boot empty (its kernel and initrd are on the media); no fstab.
present() { if [ -e "$1" ]; then echo present; else echo absent; fi; }
boot=empty
[ -n "$(ls -A /boot)" ] && boot=not-empty
echo "var=$(present /var/lib/dpkg/status) boot=$boot fstab=$(present /etc/fstab)"
