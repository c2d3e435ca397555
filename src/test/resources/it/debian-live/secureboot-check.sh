#!/bin/sh
# What the firmware says of Secure Boot (the SecureBoot variable's value byte: 1 when enforced) and
# the lockdown the kernel put itself in because of it.
var=/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c
sb=$(od -An -tu1 -j4 -N1 "$var" 2>/dev/null | tr -d ' ')
lockdown=$(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/security/lockdown 2>/dev/null)
echo "secureboot=${sb:-none} lockdown=${lockdown:-none}"
