#!/usr/bin/env bash
# Builds a bootable UEFI test disk image from Debian bookworm packages.
#
#   tools/testimage/build-base-image.sh OUT_DIR [--variant azl|azl-bootpart|debian]
#       [--formats raw,qcow2,vhd,vhdx] [--name NAME] [--hostname HOST]
#
# Variants (all GPT, FAT32 ESP first, ext4 root last, /etc/fstab by UUID, console on ttyS0):
#   azl           Azure Linux layout: ESP holds shim + grub-mkimage grub (prefix /boot/grub2) + a
#                 redirect grub.cfg; root holds /boot/grub2/grub.cfg, /boot/vmlinuz-<ver>,
#                 /boot/initramfs-<ver>.img
#   azl-bootpart  the same with /boot on its own ext4 partition (ESP, boot, root)
#   debian        Debian's own layout: shim + Debian's signed grub (prefix /EFI/debian),
#                 /boot/grub/grub.cfg, /boot/initrd.img-<ver>, /vmlinuz and /initrd.img links
# Writes OUT_DIR/NAME.<format> for each format, plus NAME.vmlinuz and NAME.initrd (the image's
# kernel and initramfs, for direct -kernel boots). NAME defaults to testimage for azl and
# testimage-<variant> otherwise; HOST defaults to testimage.
#
# The installed Debian tree is cached in $IMAGECUSTOMIZER_TEST_CACHE (default
# /var/cache/imagecustomizer-test) as rootfs-<hash>, the hash covering the tree recipe (the
# build_tree function, the package list, the mirror, the marker files); downloaded packages are
# kept in debootstrap/ and apt-archives/ there. Cold: a few minutes; warm: seconds.
# Needs root (debootstrap, chroot). Uses no loop device: mkfs.vfat --offset, mtools -i IMG@@OFFSET
# and mkfs.ext4 -E offset -d write the filesystems straight into the image file.
set -euo pipefail

usage="usage: build-base-image.sh OUT_DIR [--variant azl|azl-bootpart|debian] [--formats raw,qcow2,vhd,vhdx] [--name NAME] [--hostname HOST]"
out=${1:?$usage}
shift
variant=azl
formats=raw
name=
host=testimage
while (($#)); do
  case "$1" in
    --variant) variant=$2; shift 2 ;;
    # The option's earlier spelling, still passed by checkouts whose TestImages predates --variant.
    --boot-partition) variant=azl-bootpart; shift ;;
    --formats) formats=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --hostname) host=$2; shift 2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
case "$variant" in
  azl | azl-bootpart | debian) ;;
  *) echo "unknown variant '$variant' (azl, azl-bootpart, debian)" >&2; exit 2 ;;
esac
for format in ${formats//,/ }; do
  case "$format" in
    raw | qcow2 | vhd | vhdx) ;;
    *) echo "unknown format '$format' (raw, qcow2, vhd, vhdx)" >&2; exit 2 ;;
  esac
done
if [[ -z $name ]]; then
  if [[ $variant == azl ]]; then name=testimage; else name=testimage-$variant; fi
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "build-base-image.sh needs root (debootstrap, chroot)" >&2
  exit 1
fi

here=$(cd "$(dirname "$0")" && pwd)
cache=${IMAGECUSTOMIZER_TEST_CACHE:-/var/cache/imagecustomizer-test}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
packages=(linux-image-amd64 systemd-sysv udev kmod dbus dracut dracut-core dracut-live
  dracut-network dracut-squash curl isc-dhcp-client iproute2 ifupdown zstd xz-utils cpio
  e2fsprogs dosfstools util-linux procps less grub-efi-amd64-bin grub-efi-amd64-signed
  shim-signed cloud-init squashfs-tools tar dmsetup passwd grub-pc-bin btrfs-progs
  cryptsetup-bin)
grub_modules=(part_gpt part_msdos fat ext2 xfs btrfs iso9660 udf squash4 loopback normal
  configfile search search_fs_uuid search_fs_file search_label linux echo test ls cat gzio xzio
  lzopio zstd loadenv minicmd reboot halt sleep efi_gop efi_uga all_video font gfxterm serial
  terminal regexp probe true chain efinet net http tftp)

log() { echo "[build-base-image] $*" >&2; }

# Cleanup stack, run in reverse on any exit. Long commands run through `run` in their own process
# group, so a signal reaches this shell at once (not after the command) and stops the whole group.
cleanups=()
child=
cleanup() {
  local i
  for ((i = ${#cleanups[@]} - 1; i >= 0; i--)); do eval "${cleanups[i]}" || true; done
  cleanups=()
}
on_signal() {
  if [[ -n $child ]]; then
    kill -TERM -- "-$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  exit 143
}
trap cleanup EXIT
trap on_signal INT TERM
run() {
  setsid -w "$@" &
  child=$!
  local rc=0
  wait "$child" || rc=$?
  child=
  return "$rc"
}

build_tree() {
  local work=$1
  rm -rf --one-file-system "$work"
  mkdir -p "$work" "$cache/debootstrap" "$cache/apt-archives/partial"
  cleanups+=("rm -rf --one-file-system '$work'")
  log "debootstrap bookworm into $work"
  run debootstrap --variant=minbase --cache-dir="$cache/debootstrap" bookworm "$work" "$mirror" >&2
  mkdir -p "$work/etc/dracut.conf.d"
  # A host-only initrd made in a chroot would describe the build host, not the image; it must be
  # set before the kernel's postinst runs dracut.
  printf 'hostonly="no"\nhostonly_cmdline="no"\ncompress="zstd"\n' \
    >"$work/etc/dracut.conf.d/50-testimage.conf"
  local fs
  for fs in proc sys dev; do
    mount --bind "/$fs" "$work/$fs"
    cleanups+=("umount -l '$work/$fs'")
  done
  rm -f "$work"/var/cache/apt/archives/*.deb
  mount --bind "$cache/apt-archives" "$work/var/cache/apt/archives"
  cleanups+=("umount -l '$work/var/cache/apt/archives'")
  printf '#!/bin/sh\nexit 101\n' >"$work/usr/sbin/policy-rc.d"
  chmod 755 "$work/usr/sbin/policy-rc.d"
  log "installing ${#packages[@]} packages"
  # INITRD=No: the kernel's postinst and dracut's trigger would each build an initrd we replace.
  run chroot "$work" env DEBIAN_FRONTEND=noninteractive INITRD=No apt-get install -y -q \
    --no-install-recommends "${packages[@]}" >&2
  # systemd-boot and its EFI stubs from bookworm-backports (254), for os.uki: bookworm's own (252)
  # stub cannot load the UKI addons that hold the kernel command line.
  echo "deb $mirror bookworm-backports main" >"$work/etc/apt/sources.list.d/backports.list"
  run chroot "$work" apt-get update -q >&2
  run chroot "$work" env DEBIAN_FRONTEND=noninteractive INITRD=No apt-get install -y -q \
    --no-install-recommends -t bookworm-backports systemd-boot-efi >&2
  rm "$work/etc/apt/sources.list.d/backports.list"
  # Any initrd a package trigger still wrote would sit beside ours under another name.
  rm -f "$work/usr/sbin/policy-rc.d" "$work"/initrd.img* "$work"/vmlinuz* "$work"/boot/initrd.img-*
  local kver
  kver=$(tree_kernel "$work")
  log "dracut for kernel $kver"
  run chroot "$work" dracut --force --no-hostonly --kver "$kver" "/boot/initramfs-$kver.img" >&2
  mkdir -p "$work/usr/lib/testimage"
  log "grub-mkimage (prefix /boot/grub2, as Azure Linux's grub2-efi-binary)"
  run chroot "$work" grub-mkimage -O x86_64-efi -o /usr/lib/testimage/grubx64.efi \
    -p /boot/grub2 "${grub_modules[@]}"
  dpkg-query --admindir="$work/var/lib/dpkg" -W >"$work/usr/lib/testimage/packages.txt"
  umount "$work/var/cache/apt/archives" "$work/proc" "$work/sys" "$work/dev"
  # Quiet, quick boots under TCG: no timers that start work.
  local unit
  for unit in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer man-db.timer; do
    ln -sf /dev/null "$work/etc/systemd/system/$unit"
  done
  # Two real datasources: without a seed ds-identify disables cloud-init (a lone NoCloud keeps it
  # running with DataSourceNone, ~40 s per TCG boot). minbase has no locales.
  mkdir -p "$work/etc/cloud/cloud.cfg.d"
  printf 'datasource_list: [ NoCloud, ConfigDrive ]\nlocale: false\n' \
    >"$work/etc/cloud/cloud.cfg.d/99-testimage.cfg"
  : >"$work/etc/machine-id"
  printf 'auto lo\niface lo inet loopback\n' >"$work/etc/network/interfaces"
  chroot "$work" passwd -d root >/dev/null
  install -D -m 755 "$here/marker/imagecustomizer-test-marker" \
    "$work/usr/local/sbin/imagecustomizer-test-marker"
  install -D -m 644 "$here/marker/imagecustomizer-test-marker.service" \
    "$work/etc/systemd/system/imagecustomizer-test-marker.service"
  ln -sf /etc/systemd/system/imagecustomizer-test-marker.service \
    "$work/etc/systemd/system/multi-user.target.wants/imagecustomizer-test-marker.service"
  install -D -m 755 -t "$work/usr/local/lib/imagecustomizer-test/checks.d" "$here"/marker/checks.d/*
}

tree_kernel() {
  local dir kver=
  for dir in "$1"/lib/modules/*; do
    [[ -z $kver ]] || { log "more than one kernel in $1"; return 1; }
    kver=${dir##*/}
  done
  echo "$kver"
}

tree_key=$( (declare -f build_tree; echo "${packages[*]} ${grub_modules[*]} $mirror"
  cd "$here/marker" && find . -type f | LC_ALL=C sort | xargs cat) | sha256sum | cut -c1-16)
tree=$cache/rootfs-$tree_key

mkdir -p "$cache"
exec {lock}>"$cache/.tree.lock"
flock "$lock"
if [[ -d $tree ]]; then
  log "reusing the cached root tree $tree"
else
  build_tree "$tree.partial"
  mv "$tree.partial" "$tree"
  cleanups=()
  log "cached the root tree as $tree"
  # Older recipes' trees, unused for a day, only take space.
  find "$cache" -maxdepth 1 -name 'rootfs-*' ! -name "rootfs-$tree_key" -mtime +0 \
    -exec rm -rf {} + || true
fi
touch "$tree"
# Other builds may read the tree meanwhile; none may replace or prune it.
flock -s "$lock"

kver=$(tree_kernel "$tree")
mkdir -p "$out"
work=$(mktemp -d "$out/.$name.XXXXXX")
cleanups+=("rm -rf --one-file-system '$work'")
root_uuid=$(cat /proc/sys/kernel/random/uuid)
boot_uuid=$(cat /proc/sys/kernel/random/uuid)
esp_serial=$(od -An -tx4 -N4 /dev/urandom | tr -d ' ' | tr a-f A-F)
esp_uuid=${esp_serial:0:4}-${esp_serial:4:4}
cmdline="root=UUID=$root_uuid ro console=tty0 console=ttyS0,115200n8 net.ifnames=0"

log "composing the $variant root filesystem (kernel $kver)"
# An overlay on the cached tree: each image's changes land in upper/, the tree stays as it is,
# and nothing of its 900 MB is copied.
root=$work/root
mkdir -p "$root" "$work/upper" "$work/overlay-work"
mount -t overlay overlay -o "lowerdir=$tree,upperdir=$work/upper,workdir=$work/overlay-work" "$root"
cleanups+=("umount '$root'")
echo "$host" >"$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 %s\n' "$host" >"$root/etc/hosts"
mkdir -p "$root/boot/efi"
boot_fs_uuid=$root_uuid
bootprefix=/boot
fstab_boot=
if [[ $variant == azl-bootpart ]]; then
  boot_fs_uuid=$boot_uuid
  bootprefix=
  fstab_boot="UUID=$boot_uuid /boot ext4 defaults 0 2"
fi
{
  echo "UUID=$root_uuid / ext4 defaults 0 1"
  [[ -z $fstab_boot ]] || echo "$fstab_boot"
  echo "UUID=$esp_uuid /boot/efi vfat umask=0077 0 2"
} >"$root/etc/fstab"

mkdir -p "$work/esp/EFI/BOOT"
cp "$tree/usr/lib/shim/shimx64.efi.signed" "$work/esp/EFI/BOOT/bootx64.efi"
if [[ $variant == debian ]]; then
  initrd=/boot/initrd.img-$kver
  mv "$root/boot/initramfs-$kver.img" "$root$initrd"
  ln -s "boot/vmlinuz-$kver" "$root/vmlinuz"
  ln -s "boot/initrd.img-$kver" "$root/initrd.img"
  mkdir -p "$root/boot/grub" "$work/esp/EFI/debian"
  cat >"$root/boot/grub/grub.cfg" <<GRUB
set timeout=0
set default=0
search --no-floppy --fs-uuid --set=root $root_uuid
menuentry "Debian GNU/Linux, with Linux $kver" {
	linux /boot/vmlinuz-$kver $cmdline
	initrd $initrd
}
GRUB
  # Debian's signed grub has /EFI/debian as its built-in prefix, whichever folder it runs from.
  cp "$tree/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed" "$work/esp/EFI/BOOT/grubx64.efi"
  cp "$work/esp/EFI/BOOT/bootx64.efi" "$work/esp/EFI/debian/shimx64.efi"
  cp "$work/esp/EFI/BOOT/grubx64.efi" "$work/esp/EFI/debian/grubx64.efi"
  printf "search --no-floppy --fs-uuid --set=root %s\nset prefix=(\$root)'/boot/grub'\nconfigfile \$prefix/grub.cfg\n" \
    "$root_uuid" >"$work/esp/EFI/debian/grub.cfg"
else
  initrd=$bootprefix/initramfs-$kver.img
  mkdir -p "$root/boot/grub2" "$work/esp/boot/grub2"
  cat >"$root/boot/grub2/grub.cfg" <<GRUB
set timeout=0
set default=0
set bootprefix=$bootprefix
search -n -u $boot_fs_uuid -s
menuentry "Debian GNU/Linux $kver (imagecustomizer test image, $variant)" {
	linux \$bootprefix/vmlinuz-$kver $cmdline
	initrd $initrd
}
GRUB
  cp "$tree/usr/lib/testimage/grubx64.efi" "$work/esp/EFI/BOOT/grubx64.efi"
  # The redirect Azure Linux puts on its ESP: find the filesystem with /boot, read its grub.cfg.
  printf 'search -n -u %s -s\nset prefix=($root)%s/grub2\nconfigfile $prefix/grub.cfg\n' \
    "$boot_fs_uuid" "$bootprefix" >"$work/esp/boot/grub2/grub.cfg"
fi
cp "$root/boot/vmlinuz-$kver" "$work/vmlinuz"
cp "$root/boot/${initrd##*/}" "$work/initrd"

esp_mib=64
boot_mib=0
if [[ $variant == azl-bootpart ]]; then
  boot_mib=256
  mkdir -p "$work/bootfs"
  mv "$root/boot/"* "$work/bootfs/"
  mkdir -p "$root/boot/efi" "$work/bootfs/efi"
fi
root_mib=$(($(du -sm "$root" | cut -f1) * 13 / 10 + 512))
total_mib=$((1 + esp_mib + boot_mib + root_mib + 1))
log "disk: $total_mib MiB (ESP $esp_mib, boot $boot_mib, root $root_mib)"
disk=$work/disk.raw
truncate -s "${total_mib}M" "$disk"
{
  echo "label: gpt"
  echo "size=${esp_mib}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=\"esp\""
  if ((boot_mib)); then
    echo "size=${boot_mib}MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=\"boot\""
  fi
  echo "size=${root_mib}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name=\"rootfs\""
} | sfdisk -q "$disk"
mib=$((1024 * 1024))
esp_offset=$mib
boot_offset=$(((1 + esp_mib) * mib))
root_offset=$(((1 + esp_mib + boot_mib) * mib))

# mkfs.vfat warns that the file is larger than the filesystem it was asked for.
mkfs.vfat -F 32 -s 1 -n ESP -i "$esp_serial" --offset=$((esp_offset / 512)) "$disk" \
  $((esp_mib * 1024)) 2>&1 >/dev/null | { grep -v '^Warning: block count mismatch' || true; } >&2
mcopy -s -p -Q -i "$disk@@$esp_offset" "$work/esp/"* ::/
if ((boot_mib)); then
  run mkfs.ext4 -q -F -L boot -U "$boot_uuid" -E offset=$boot_offset -d "$work/bootfs" "$disk" "${boot_mib}M"
fi
run mkfs.ext4 -q -F -L rootfs -U "$root_uuid" -E offset=$root_offset -d "$root" "$disk" "${root_mib}M"

# Finished files appear under their final names only once complete.
for format in ${formats//,/ }; do
  case "$format" in
    raw) ;;
    qcow2) run qemu-img convert -f raw -O qcow2 "$disk" "$work/out.qcow2" ;;
    vhd) run qemu-img convert -f raw -O vpc -o subformat=dynamic,force_size=on "$disk" "$work/out.vhd" ;;
    vhdx) run qemu-img convert -f raw -O vhdx "$disk" "$work/out.vhdx" ;;
  esac
done
for format in ${formats//,/ }; do
  if [[ $format == raw ]]; then mv "$disk" "$out/$name.raw"; else mv "$work/out.$format" "$out/$name.$format"; fi
done
mv "$work/vmlinuz" "$out/$name.vmlinuz"
# Last, so its presence says the whole set is there.
mv "$work/initrd" "$out/$name.initrd"
log "done: $out/$name.{${formats}} ($variant, kernel $kver, root UUID $root_uuid)"
