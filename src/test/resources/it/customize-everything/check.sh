#!/bin/sh
# Prints what the customization changed, as key=value pairs on one line.
r=""
dpkg -s tree >/dev/null 2>&1 && r="$r tree=installed"
dpkg -s less >/dev/null 2>&1 || r="$r less=removed"
r="$r alice=$(id -u alice):$(id -gn alice):$(id -Gn alice | tr ' ' ,)"
r="$r ops=$(getent group ops | cut -d: -f3)"
[ -s /home/alice/.ssh/authorized_keys ] && r="$r sshkey=$(stat -c %U:%a /home/alice/.ssh/authorized_keys)"
r="$r motd=$(stat -c %a /etc/motd)"
r="$r treefile=$(cat /opt/tree/sub/file.txt)"
r="$r networkd=$(systemctl is-enabled systemd-networkd 2>/dev/null)"
r="$r e2scrub=$(systemctl is-enabled e2scrub_reap.service 2>/dev/null)"
r="$r dummy=$(grep -c '^dummy ' /proc/modules):$(modprobe -c 2>/dev/null | grep -c '^options dummy numdummies=3')"
r="$r post=$(cat /etc/post-ran 2>/dev/null)"
r="$r finalize=$(cat /etc/finalize-ran 2>/dev/null)"
r="$r release=$(grep -c IMAGE_UUID /etc/image-customizer-release 2>/dev/null)"
r="$r apt=$(command -v apt-get >/dev/null || echo gone):$([ -e /var/lib/apt ] || echo nodb):$(command -v dpkg >/dev/null && echo dpkg)"
echo $r
