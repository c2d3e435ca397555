#!/usr/bin/env bash
# Builds a bootable test disk image from Debian bookworm packages, laid out like an Azure Linux
# image: GPT, FAT ESP with shim + grub (prefix /boot/grub2) + a redirect grub.cfg, ext4 root with
# the main config at /boot/grub2/grub.cfg, /boot/vmlinuz-<ver>, /boot/initramfs-<ver>.img (dracut),
# /etc/fstab by UUID, console on ttyS0, and a marker unit that reports on the serial console.
#
#   tools/testimage/build-base-image.sh OUT_DIR [--name NAME] [--hostname H] [--formats raw,qcow2,vhd,vhdx]
#                                        [--boot-partition]
#
# --boot-partition puts /boot on its own ext4 partition (ESP, boot, root), as some images do.
# Writes OUT_DIR/NAME.raw (and the other formats). The Debian root tree is cached in
# $IMAGECUSTOMIZER_TEST_CACHE (default /var/cache/imagecustomizer-test), keyed by a hash of this
# script, so only the first build downloads packages. Needs root (debootstrap, chroot).
set -euo pipefail

out=${1:?usage: build-base-image.sh OUT_DIR [--name NAME] [--hostname H] [--formats LIST]}
shift
name=testimage
host=testimage
formats=raw
boot_partition=false
while (($#)); do
  case "$1" in
    --boot-partition) boot_partition=true; shift ;;
    --name) name=$2; shift 2 ;;
    --hostname) host=$2; shift 2 ;;
    --formats) formats=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
cache=${IMAGECUSTOMIZER_TEST_CACHE:-/var/cache/imagecustomizer-test}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
packages=(linux-image-amd64 systemd-sysv udev kmod dbus dracut dracut-core dracut-live
  dracut-network dracut-squash curl isc-dhcp-client iproute2 ifupdown zstd xz-utils cpio
  e2fsprogs dosfstools util-linux procps less grub-efi-amd64-bin shim-signed cloud-init
  squashfs-tools tar dmsetup passwd)
# Bump tree_version when build_tree changes; the disk layout below is cheap and not cached here.
tree_version=1
recipe=$( (echo "$tree_version ${packages[*]} $mirror"; cat "$here"/marker/*) | sha256sum | cut -c1-16)
tree=$cache/rootfs-$recipe

cleanups=()
cleanup() {
  local i
  for ((i = ${#cleanups[@]} - 1; i >= 0; i--)); do eval "${cleanups[i]}" || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[build-base-image] $*" >&2; }

build_tree() {
  local work=$tree.partial
  rm -rf "$work"
  mkdir -p "$work" "$cache/debs"
  log "debootstrap bookworm into $work"
  debootstrap --variant=minbase --cache-dir="$cache/debs" bookworm "$work" "$mirror" >&2
  mkdir -p "$work/etc/dracut.conf.d"
  # A host-only initrd built in a chroot would describe the build host, not the image.
  printf 'hostonly="no"\nhostonly_cmdline="no"\ncompress="zstd"\n' >"$work/etc/dracut.conf.d/50-testimage.conf"
  for fs in proc sys dev; do
    mount --bind "/$fs" "$work/$fs"
    cleanups+=("umount -l '$work/$fs'")
  done
  mkdir -p "$work/var/cache/apt/archives"
  mount --bind "$cache/debs" "$work/var/cache/apt/archives"
  cleanups+=("umount -l '$work/var/cache/apt/archives'")
  printf '#!/bin/sh\nexit 101\n' >"$work/usr/sbin/policy-rc.d"
  chmod 755 "$work/usr/sbin/policy-rc.d"
  log "installing ${#packages[@]} packages"
  chroot "$work" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends "${packages[@]}" >&2
  rm -f "$work/usr/sbin/policy-rc.d" "$work"/boot/initrd.img-* "$work/initrd.img" "$work/vmlinuz" \
    "$work/initrd.img.old" "$work/vmlinuz.old"
  local kver
  kver=$(basename "$(ls -d "$work"/lib/modules/*)")
  log "dracut for kernel $kver"
  chroot "$work" dracut --force --no-hostonly --kver "$kver" "/boot/initramfs-$kver.img" >&2
  log "grub-mkimage (prefix /boot/grub2, as Azure Linux's grub2-efi-binary)"
  chroot "$work" grub-mkimage -O x86_64-efi -o /usr/lib/testimage-grubx64.efi -p /boot/grub2 \
    part_gpt part_msdos fat ext2 iso9660 squash4 loopback normal configfile search search_fs_uuid \
    search_fs_file search_label linux echo test ls cat gzio xzio zstd loadenv minicmd reboot halt \
    sleep efi_gop all_video font gfxterm serial terminal regexp probe true chain efinet net http tftp
  chroot "$work" apt-get clean
  umount "$work/var/cache/apt/archives" "$work/proc" "$work/sys" "$work/dev"
  cleanups=()
  # Quiet, fast boots under TCG: no timers that start work, no cloud-init without a seed.
  for unit in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer man-db.timer; do
    ln -sf /dev/null "$work/etc/systemd/system/$unit"
  done
  mkdir -p "$work/etc/cloud/cloud.cfg.d"
  printf 'datasource_list: [ NoCloud, ConfigDrive ]\nlocale: false\n' \
    >"$work/etc/cloud/cloud.cfg.d/99-testimage.cfg"
  : >"$work/etc/machine-id"
  printf 'auto lo\niface lo inet loopback\n' >"$work/etc/network/interfaces"
  chroot "$work" passwd -d root >/dev/null
  install -D -m 755 "$here/marker/imagecustomizer-test-marker" "$work/usr/local/sbin/imagecustomizer-test-marker"
  install -D -m 644 "$here/marker/imagecustomizer-test-marker.service" \
    "$work/etc/systemd/system/imagecustomizer-test-marker.service"
  ln -sf /etc/systemd/system/imagecustomizer-test-marker.service \
    "$work/etc/systemd/system/multi-user.target.wants/imagecustomizer-test-marker.service"
  mkdir -p "$work/usr/local/lib/imagecustomizer-test/checks.d"
  mv "$work" "$tree"
}

if [[ ! -d $tree ]]; then
  build_tree
else
  log "reusing cached root tree $tree"
fi

kver=$(basename "$(ls -d "$tree"/lib/modules/*)")
mkdir -p "$out"
disk=$out/$name.raw
work=$(mktemp -d "$out/.$name.XXXXXX")
cleanups+=("rm -rf '$work'")
root_uuid=$(cat /proc/sys/kernel/random/uuid)
boot_uuid=$(cat /proc/sys/kernel/random/uuid)
esp_id=$(od -An -tx4 -N4 /dev/urandom | tr -d ' ' | tr a-f A-F)
esp_uuid="${esp_id:0:4}-${esp_id:4:4}"

log "composing the root filesystem"
mkdir -p "$work/root"
cp -a "$tree/." "$work/root/"
echo "$host" >"$work/root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 %s\n' "$host" >"$work/root/etc/hosts"
mkdir -p "$work/root/boot/efi" "$work/root/boot/grub2"
if $boot_partition; then
  boot_fs_uuid=$boot_uuid bootprefix="" grub_dir=/grub2
  fstab_boot="UUID=$boot_uuid /boot ext4 defaults 0 2"
else
  boot_fs_uuid=$root_uuid bootprefix=/boot grub_dir=/boot/grub2
  fstab_boot="# /boot is on the root filesystem"
fi
cat >"$work/root/etc/fstab" <<FSTAB
UUID=$root_uuid / ext4 defaults 0 1
$fstab_boot
UUID=$esp_uuid /boot/efi vfat umask=0077 0 2
FSTAB
cat >"$work/root/boot/grub2/grub.cfg" <<GRUB
set timeout=0
set default=0
set bootprefix=$bootprefix
search -n -u $boot_fs_uuid -s
menuentry "Debian GNU/Linux $kver (imagecustomizer test image)" {
	linux \$bootprefix/vmlinuz-$kver root=UUID=$root_uuid ro console=tty0 console=ttyS0,115200n8 net.ifnames=0
	initrd \$bootprefix/initramfs-$kver.img
}
GRUB

esp_mib=64
boot_mib=0
if $boot_partition; then
  boot_mib=256
  mkdir -p "$work/bootfs"
  mv "$work/root/boot/"* "$work/bootfs/"
  mkdir -p "$work/bootfs/efi"
fi
root_mib=$(($(du -sm "$work/root" | cut -f1) * 13 / 10 + 512))
total_mib=$((1 + esp_mib + boot_mib + root_mib + 1))
log "disk: ${total_mib} MiB (ESP ${esp_mib} MiB, boot ${boot_mib} MiB, root ${root_mib} MiB)"
rm -f "$disk"
truncate -s "${total_mib}M" "$disk"
{
  echo "label: gpt"
  echo "size=${esp_mib}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=\"esp\""
  if $boot_partition; then
    echo "size=${boot_mib}MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=\"boot\""
  fi
  echo "size=${root_mib}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name=\"rootfs\""
} | sfdisk -q "$disk"
esp_offset=$((1024 * 1024))
boot_offset=$(((1 + esp_mib) * 1024 * 1024))
root_offset=$(((1 + esp_mib + boot_mib) * 1024 * 1024))

mkfs.vfat -F 32 -s 1 -n ESP -i "$esp_id" --offset=$((esp_offset / 512)) "$disk" $((esp_mib * 1024)) >/dev/null
esp="$disk@@$esp_offset"
mmd -i "$esp" ::/EFI ::/EFI/BOOT ::/boot ::/boot/grub2
mcopy -i "$esp" "$tree/usr/lib/shim/shimx64.efi.signed" ::/EFI/BOOT/bootx64.efi
mcopy -i "$esp" "$tree/usr/lib/testimage-grubx64.efi" ::/EFI/BOOT/grubx64.efi
printf 'search -n -u %s -s\nset prefix=($root)%s\nconfigfile $prefix/grub.cfg\n' "$boot_fs_uuid" "$grub_dir" \
  >"$work/redirect.cfg"
mcopy -i "$esp" "$work/redirect.cfg" ::/boot/grub2/grub.cfg

if $boot_partition; then
  mkfs.ext4 -q -F -L boot -U "$boot_uuid" -E offset=$boot_offset -d "$work/bootfs" "$disk" "${boot_mib}M"
fi
mkfs.ext4 -q -F -L rootfs -U "$root_uuid" -E offset=$root_offset -d "$work/root" "$disk" "${root_mib}M"

for format in ${formats//,/ }; do
  case "$format" in
    raw) ;;
    qcow2) qemu-img convert -f raw -O qcow2 "$disk" "$out/$name.qcow2" ;;
    vhd) qemu-img convert -f raw -O vpc -o subformat=dynamic,force_size=on "$disk" "$out/$name.vhd" ;;
    vhdx) qemu-img convert -f raw -O vhdx "$disk" "$out/$name.vhdx" ;;
    *) echo "unknown format $format" >&2; exit 2 ;;
  esac
done
if [[ ",$formats," != *,raw,* ]]; then rm -f "$disk"; fi
log "done: $out/$name.{${formats}} kernel $kver root UUID $root_uuid"
