#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dracut pre-udev hook: load gpuhelper before udevd starts and coldplug runs
# (the claim rule loads it too, on the dGPU's add event).
modprobe -q gpuhelper
