#!/usr/bin/env bash
# Times disk -> Live OS ISO with imagecustomizer, and the same work done by the bare tools
# (qemu-img, cp, dracut, mksquashfs at its zstd default, xorriso; one after the other) on the same
# input, side by side in one run. Prints each step's time, the ratio tool/bare and both
# rootfs.img sizes. Needs root and ./build.sh done.
#   bench/iso.sh [INPUT.qcow2]
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-host-deps.sh --bench
input=${1:-}
if [[ -z $input ]]; then
  input=/var/cache/imagecustomizer-test/bench/base.qcow2
  [[ -f $input ]] || tools/testimage/build-base-image.sh "$(dirname "$input")" --name base --formats qcow2
fi
work=$(mktemp -d /var/tmp/imagecustomizer-bench.XXXXXX)
cleanup() {
  umount -R "$work/bare/root/proc" "$work/bare/root/sys" "$work/bare/root/dev" 2>/dev/null || true
  [[ -n ${loop:-} ]] && losetup -d "$loop" 2>/dev/null || true
  umount "$work/bare/mnt" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s.%N; }
span() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# 1. The tool; its own stage timings come from --timestamp-file (one JSON record per span start
# and end, see README "Stage timings"), never from log wording.
echo "os:" >"$work/config.yaml"
t0=$(now)
bin/imagecustomizer --build-dir "$work/build" --image-file "$input" --config-file "$work/config.yaml" \
  --output-image-format iso --output-image-file "$work/tool.iso" --timestamp-file "$work/tool.jsonl" \
  >/dev/null 2>&1
t1=$(now)
# Seconds of the spans whose path ("imagecustomizer/write live os/squashfs") starts with $1, summed;
# with a second argument, of the span whose path is $1 alone.
timed() {
  jq -rs --arg want "$1" --arg exact "${2:-}" '
    reduce .[] as $r ({paths: {}, sum: 0};
      ($r.ID | tostring) as $id
      | if $r.EventType == 0 then
          .paths[$id] = (if $r.ID == $r.ParentID then $r.Name
                         else .paths[$r.ParentID | tostring] + "/" + $r.Name end)
        elif (if $exact == "" then (.paths[$id] | startswith($want)) else .paths[$id] == $want end)
        then .sum += $r.ElapsedSeconds
        else . end)
    | .sum * 10 | round / 10' "$work/tool.jsonl"
}
live="imagecustomizer/write live os"
tool_convert=$(timed "imagecustomizer/convert to raw")
# A bootstrap Live OS is packed from the mounted image (no copy), dracut and mksquashfs side by
# side: their spans overlap, and the stage's own span is the wall time of the media.
tool_copy=$(timed "$live/copy os tree")
tool_dracut=$(timed "$live/live initrd")
tool_squash=$(timed "$live/squashfs")
tool_media=$(timed "$live" exact)
tool_iso=$(awk -v a="$(timed "$live/efi boot image")" -v b="$(timed "$live/write iso")" 'BEGIN { printf "%.1f", a + b }')
tool_total=$(span "$t0" "$t1")
# Bytes of /liveos/rootfs.img in an ISO.
squashfs_size() { xorriso -indev "$1" -lsl /liveos/rootfs.img 2>/dev/null | awk '{ print $5 }'; }
tool_size=$(squashfs_size "$work/tool.iso")

# 2. The bare commands on the same input.
mkdir -p "$work/bare/mnt" "$work/bare/root" "$work/bare/iso/liveos" "$work/bare/iso/boot"
b0=$(now)
qemu-img convert -f qcow2 -O raw "$input" "$work/bare/image.raw"
b1=$(now)
start=$(sfdisk -J "$work/bare/image.raw" | grep -o '"start": *[0-9]*' | sed -n 2p | grep -o '[0-9]*$')
loop=$(losetup --find --show --read-only --offset $((start * 512)) "$work/bare/image.raw")
mount -o ro,noload "$loop" "$work/bare/mnt"
cp -a "$work/bare/mnt/." "$work/bare/root/"
umount "$work/bare/mnt"; losetup -d "$loop"; loop=
b2=$(now)
kver=$(basename "$(ls -d "$work"/bare/root/lib/modules/*)")
for fs in proc sys dev; do mount --bind "/$fs" "$work/bare/root/$fs"; done
chroot "$work/bare/root" dracut --force --no-hostonly --kver "$kver" \
  --add "dmsquash-live livenet network-legacy" --add-drivers "overlay squashfs loop iso9660 sr_mod cdrom" \
  /var/tmp/live-initrd.img >/dev/null 2>&1
umount "$work/bare/root/proc" "$work/bare/root/sys" "$work/bare/root/dev"
mv "$work/bare/root/var/tmp/live-initrd.img" "$work/bare/iso/boot/initrd.img"
b3=$(now)
rm -rf "$work/bare/root/boot/"* "$work/bare/root/etc/fstab"
mksquashfs "$work/bare/root" "$work/bare/iso/liveos/rootfs.img" -noappend -xattrs -comp zstd -quiet >/dev/null 2>&1
b4=$(now)
xorriso -as mkisofs -R -l -D -iso-level 3 -J -joliet-long -V CDROM -o "$work/bare.iso" "$work/bare/iso" >/dev/null 2>&1
b5=$(now)

printf '%-28s %8s %8s %7s\n' step "tool s" "bare s" ratio
row() { printf '%-28s %8s %8s %7s\n' "$1" "$2" "$3" "$(awk -v t="$2" -v b="$3" 'BEGIN { if (b > 0) printf "%.2f", t / b; else print "-" }')"; }
row "to raw (qemu-img)" "$tool_convert" "$(span "$b0" "$b1")"
row "copy OS tree (cp -a)" "$tool_copy" "$(span "$b1" "$b2")"
row "live initrd (dracut)" "$tool_dracut" "$(span "$b2" "$b3")"
row "rootfs.img (mksquashfs)" "$tool_squash" "$(span "$b3" "$b4")"
row "ISO (xorriso + EFI image)" "$tool_iso" "$(span "$b4" "$b5")"
row "media (copy..ISO, wall)" "$tool_media" "$(span "$b1" "$b5")"
row "total" "$tool_total" "$(span "$b0" "$b5")"
bare_size=$(stat -c %s "$work/bare/iso/liveos/rootfs.img")
row "rootfs.img MB" "$((tool_size / 1000000))" "$((bare_size / 1000000))"

# 3. The tool's ISO as input again: a media-only change (repackaged) and an OS change (rebuilt),
# each against the first run.
mkdir -p "$work/seed"
echo "instance-id: bench" >"$work/seed/meta-data"
printf 'iso:\n  additionalFiles:\n    seed/meta-data: /cloud-init-data/meta-data\n' >"$work/media.yaml"
printf 'os:\n  hostname: bench-again\n' >"$work/os.yaml"
again() {
  local s e
  s=$(now)
  bin/imagecustomizer --build-dir "$work/build" --image-file "$work/tool.iso" --config-file "$work/$1.yaml" \
    --output-image-format iso --output-image-file "$work/$1.iso" >/dev/null 2>&1
  e=$(now)
  span "$s" "$e"
}
media_s=$(again media)
os_s=$(again os)
echo
printf '%-34s %8s %13s\n' "ISO as input" "tool s" "vs first run"
versus() { printf '%-34s %8s %13s\n' "$1" "$2" "$(awk -v a="$2" -v b="$tool_total" 'BEGIN { printf "%.3f", a / b }')"; }
versus "media only (repackaged)" "$media_s"
versus "hostname change (OS rebuilt)" "$os_s"
