#!/bin/sh
set -e
echo "post-ran:$1" > /etc/post-ran
