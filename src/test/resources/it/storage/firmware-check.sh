#!/bin/sh
# How the machine booted: BIOS firmware has no /sys/firmware/efi. Also the GPT type of partition 1
# (the BIOS boot partition) and whether the protective MBR carries boot code.
if [ -d /sys/firmware/efi ]; then echo firmware=uefi; else echo firmware=bios; fi
echo "type1=$(lsblk -n -o PARTTYPE /dev/vda1)"
# A blank MBR has zeros where grub's boot.img puts its code (bytes 0-439).
echo "mbr-code=$(head -c 440 /dev/vda | od -An -tx1 | tr -d ' \n' | grep -qv '^0*$' && echo yes || echo no)"
