#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dracut module: installed as /usr/lib/dracut/modules.d/90gpuhelper/.
# Puts gpuhelper, its modprobe.d files (ids=, mdevs=) and the claim udev
# rule gpuhelper host-config writes into the image. The rule pins the dGPU
# to gpuhelper on its add event, before 80-drivers.rules loads any driver
# by modalias; the pre-udev hook loads gpuhelper before udevd starts.

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
	# by path: inst_rules looks in /etc/udev/rules.d by name only when
	# hostonly, and host-config writes the rule there
	if [[ -f /etc/udev/rules.d/60-gpuhelper-claim.rules ]]; then
		inst_rules /etc/udev/rules.d/60-gpuhelper-claim.rules
	else
		inst_rules 60-gpuhelper-claim.rules
	fi
	inst_hook pre-udev 00 "$moddir/gpuhelper-load.sh"
}
