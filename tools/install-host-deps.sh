#!/usr/bin/env bash
# Installs, through apt-get, the host tools imagecustomizer needs and that are missing.
#   tools/install-host-deps.sh          tools the customize pipeline calls
#   tools/install-host-deps.sh --test   plus what the tests use (QEMU, OVMF, debootstrap, groff)
#   tools/install-host-deps.sh --bench  plus what bench/ uses (jq reads --timestamp-file)
# Each line: a command to look for, then the Debian package that provides it.
set -euo pipefail

runtime=(
  "java openjdk-17-jdk-headless"
  "mvn maven"
  "qemu-img qemu-utils"
  "mksquashfs squashfs-tools"
  "unsquashfs squashfs-tools"
  "xorriso xorriso"
  "mcopy mtools"
  "mkfs.vfat dosfstools"
  "sfdisk fdisk"
  "mkfs.ext4 e2fsprogs"
  "losetup mount"
  "unshare util-linux"
  "cpio cpio"
  "zstd zstd"
  "xz xz-utils"
  "createrepo_c createrepo-c"
  "/usr/lib/grub/i386-pc/cdboot.img grub-pc-bin"
)
testing=(
  "qemu-system-x86_64 qemu-system-x86"
  "/usr/share/OVMF/OVMF_CODE_4M.fd ovmf"
  "debootstrap debootstrap"
  "mkfs.xfs xfsprogs"
  "mkfs.btrfs btrfs-progs"
  "veritysetup cryptsetup-bin"
  "rpmbuild rpm"
  "groff groff-base"
  "sbsign sbsigntool"
  "docker-registry docker-registry"
)

bench=(
  "jq jq"
)

wanted=("${runtime[@]}")
case "${1:-}" in
  --test) wanted+=("${testing[@]}") ;;
  --bench) wanted+=("${testing[@]}" "${bench[@]}") ;;
esac

missing=()
for entry in "${wanted[@]}"; do
  probe=${entry%% *}
  package=${entry#* }
  if [[ "$probe" == /* ]]; then
    [[ -e "$probe" ]] && continue
  elif command -v "$probe" >/dev/null 2>&1; then
    continue
  fi
  missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "Installing missing host packages: ${missing[*]}" >&2
if [[ $(id -u) -ne 0 ]]; then
  echo "error: these packages are missing and installing them needs root: ${missing[*]}" >&2
  echo "hint: run this script with sudo, or install them with apt-get yourself" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
