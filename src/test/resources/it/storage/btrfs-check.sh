#!/bin/sh
# The btrfs layout as the booted system sees it, one record per word: the subvolume each mount
# shows (findmnt's FSROOT and options), the quota groups with their limits in bytes (qgroupid,
# referenced, exclusive, max referenced, max exclusive, path), and whether writing past the
# quota of /home is refused (random data: the mount compresses), and where rootflags come from.
for dir in / /home; do
  findmnt -n -r -o TARGET,FSTYPE,FSROOT,OPTIONS "$dir" | tr ' ' ';' | sed 's/^/subvolmount=/'
done
btrfs qgroup show -re --raw /home | tail -n +3 | tr -s ' ' ',' | sed 's/^,//; s/^/qgroup=/'
if dd if=/dev/urandom of=/home/quota-probe bs=1M count=300 conv=fsync 2>/tmp/dd.err; then
  echo quota=not-enforced
else
  grep -q 'quota exceeded' /tmp/dd.err && echo quota=enforced || echo "quota=dd-failed"
fi
rm -f /home/quota-probe /tmp/dd.err
# The image's 10_linux names the root subvolume itself: once on the kernel line, and not again
# from /etc/default/grub, whose next grub-mkconfig would repeat it.
echo "cmdline-rootflags=$(grep -o 'rootflags=' /proc/cmdline | wc -l)"
echo "default-grub-rootflags=$(grep -c 'rootflags=' /etc/default/grub)"
