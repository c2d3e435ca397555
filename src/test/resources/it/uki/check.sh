#!/bin/sh
# Prints how the machine booted a UKI image, as key=value pairs on one line.
vendor=4a67b082-0a4c-41cf-b6c7-440b29bb8c4f
# systemd's EFI variables: 4 attribute bytes, then UTF-16 text (efivarfs files cannot seek)
efivar() { cat "/sys/firmware/efi/efivars/$1-$vendor" 2>/dev/null | tail -c +5 | tr -d '\0' | tr ' ' _; }
sb=/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c
r="secureboot=$(od -An -tu1 -j4 -N1 "$sb" 2>/dev/null | tr -d ' ')"
r="$r loader=$(efivar LoaderInfo | cut -d_ -f1)"
r="$r stub=$(efivar StubInfo | cut -d_ -f1)"
r="$r ukis=$(ls /boot/efi/EFI/Linux 2>/dev/null | tr '\n' , )"
r="$r addons=$(ls /boot/efi/EFI/Linux/*.extra.d 2>/dev/null | grep -c 'addon.efi$')"
r="$r bootkernels=$(ls /boot | grep -c '^vmlinuz-')"
echo $r
