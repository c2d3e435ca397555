#!/bin/sh
# What the Live OS's /boot holds for kdump: its kdump initrds, their kernels, and its mode.
echo "kdump=$(ls /boot | grep -c 'kdump\.img$') kernels=$(ls /boot | grep -c '^vmlinuz-')" \
  "other=$(ls /boot | grep -v 'kdump\.img$' | grep -vc '^vmlinuz-') mode=$(stat -c %a /boot)"
