#!/bin/sh
echo customized > /etc/customized-by-script
