#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dracut module: installed as /usr/lib/dracut/modules.d/90gpuhelper/.
# Puts gpuhelper and its modprobe.d files into the image and loads it
# before udev coldplug, so it claims the dGPU before any GPU driver.

check() {
	return 0
}

depends() {
	return 0
}

installkernel() {
	hostonly='' instmods gpuhelper
}

install() {
	inst_multiple -o /etc/modprobe.d/gpuhelper*.conf /usr/lib/modprobe.d/gpuhelper*.conf
	inst_hook pre-udev 00 "$moddir/gpuhelper-load.sh"
}
