#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dracut pre-udev hook: load gpuhelper before coldplug.
modprobe -q gpuhelper
