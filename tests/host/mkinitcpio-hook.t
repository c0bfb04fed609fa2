#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The mkinitcpio hooks (packaging/initramfs/mkinitcpio/), as far as they
# can be tested without mkinitcpio, which Debian does not package: the
# install hook's build() is sourced in bash with add_module, add_file and
# add_runscript replaced by stubs that record their calls, in a private
# mount namespace where /etc/modprobe.d, /etc/udev/rules.d,
# /usr/lib/modprobe.d and /usr/lib/udev/rules.d hold what a user's
# machine would after make install and gpuhelper host-config (written by
# the real CLI). The run hook's run_earlyhook is sourced with a modprobe
# stub. Not tested here: mkinitcpio's own add_* functions, the image, and
# a boot (Documentation/early-claim.rst).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
. "$top/tests/lib/ktap.sh"

echo "TAP version 13"
if ! unshare --mount true 2>/dev/null; then
	echo "1..0 # SKIP needs root for a private mount namespace (unshare --mount)"
	exit 0
fi
echo "1..5"

hook=$top/packaging/initramfs/mkinitcpio/gpuhelper
runhook=$top/packaging/initramfs/mkinitcpio/gpuhelper.hook

# A user's files: host-config's output for the seed laptop, the packaged
# softdeps, an mdevs= line.
mkdir -p "$tmp/root/etc/default"
echo 'GRUB_CMDLINE_LINUX=""' >"$tmp/root/etc/default/grub"
"$top/userspace/gpuhelper" host-config --root "$tmp/root" --profile r720 \
	--initramfs mkinitcpio --bootloader grub >"$tmp/hc.log" 2>&1 ||
	{ cat "$tmp/hc.log"; exit 1; }
mkdir -p "$tmp/etc-modprobe" "$tmp/etc-rules" "$tmp/usr-modprobe" "$tmp/usr-rules"
cp "$tmp/root/etc/modprobe.d/"* "$tmp/etc-modprobe/"
echo "options gpuhelper mdevs=0000:00:02.0/i915-GVTg_V5_4/af5972fb-5530-41a7-0000-fd836204445b" \
	>"$tmp/etc-modprobe/gpuhelper-mdev.conf"
cp "$tmp/root/etc/udev/rules.d/60-gpuhelper-claim.rules" "$tmp/etc-rules/"
cp "$top/kmod/gpuhelper.conf" "$tmp/usr-modprobe/gpuhelper.conf"

# build_calls: run build() with the stubs where the namespace shows our dirs
build_calls() {
	unshare --mount --propagation private bash -c '
		set -u
		for d in etc/modprobe.d:etc-modprobe etc/udev/rules.d:etc-rules \
			 usr/lib/modprobe.d:usr-modprobe usr/lib/udev/rules.d:usr-rules; do
			mkdir -p "/${d%%:*}" 2>/dev/null
			mount --bind "$1/${d#*:}" "/${d%%:*}" || exit 1
		done
		add_module() { echo "add_module $*"; }
		add_file() { echo "add_file $*"; }
		add_runscript() { echo "add_runscript"; }
		. "$2"
		build
	' build_calls "$tmp" "$hook"
}

expect_all() {
	cat >"$tmp/want" <<'W'
add_module gpuhelper
add_file /etc/modprobe.d/gpuhelper-local.conf
add_file /etc/modprobe.d/gpuhelper-mdev.conf
add_file /usr/lib/modprobe.d/gpuhelper.conf
add_file /etc/udev/rules.d/60-gpuhelper-claim.rules /usr/lib/udev/rules.d/60-gpuhelper-claim.rules
add_runscript
W
	build_calls >"$tmp/got" && diff -u "$tmp/want" "$tmp/got"
}
ok mkinitcpio_build_adds_module_options_claim_rule_and_runscript expect_all

# the rule lands where the image's udevd reads it, before 80-drivers.rules
rule_before_drivers() {
	local dst
	dst=$(build_calls | sed -n 's|^add_file /etc/udev/rules.d/.* \(/usr/lib/udev/rules.d/.*\)$|\1|p')
	[ -n "$dst" ] && [[ "${dst##*/}" < "80-drivers.rules" ]] &&
		grep -q 'ATTR{driver_override}="gpuhelper"' "$tmp/etc-rules/${dst##*/}"
}
ok mkinitcpio_claim_rule_sorts_before_80_drivers rule_before_drivers

no_rule() {
	mv "$tmp/etc-rules/60-gpuhelper-claim.rules" "$tmp/claim.rules"
	build_calls >"$tmp/got"
	mv "$tmp/claim.rules" "$tmp/etc-rules/60-gpuhelper-claim.rules"
	! grep -q 'rules' "$tmp/got" && grep -qx 'add_module gpuhelper' "$tmp/got" &&
		grep -qx add_runscript "$tmp/got"
}
ok mkinitcpio_build_without_claim_rule_adds_no_rule no_rule

packaged_rule() {
	cp "$tmp/etc-rules/60-gpuhelper-claim.rules" "$tmp/usr-rules/"
	mv "$tmp/etc-rules/60-gpuhelper-claim.rules" "$tmp/claim.rules"
	build_calls >"$tmp/got"
	mv "$tmp/claim.rules" "$tmp/etc-rules/60-gpuhelper-claim.rules"
	rm "$tmp/usr-rules/60-gpuhelper-claim.rules"
	grep -qx 'add_file /usr/lib/udev/rules.d/60-gpuhelper-claim.rules /usr/lib/udev/rules.d/60-gpuhelper-claim.rules' "$tmp/got"
}
ok mkinitcpio_build_takes_a_packaged_claim_rule packaged_rule

early_hook() {
	[ "$(bash -c 'modprobe() { echo "modprobe $*"; }; . "$1"; run_earlyhook' x "$runhook")" = \
		"modprobe -q gpuhelper" ]
}
ok mkinitcpio_run_hook_loads_gpuhelper_early early_hook

[ "$fails" -eq 0 ]
