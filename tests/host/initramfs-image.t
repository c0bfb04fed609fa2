#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gpuhelper doctor's initramfs-image check, with Debian's own listers
# (lsinitramfs from initramfs-tools, lsinitrd from dracut-core) reading
# small cpio images made here: one with gpuhelper.ko, the root's
# /etc/modprobe.d/gpuhelper*.conf and the claim rule passes, each one with
# a piece taken away fails naming that piece, with the generator's
# rebuild command as the fix. Real generator output: tests/boot/run runs
# the same check on the images mkinitramfs and dracut build there.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="$top/userspace/gpuhelper"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
. "$top/tests/lib/ktap.sh"

echo "TAP version 13"
echo "1..6"

kv=6.1.0-99-amd64
# a user's root after host-config: options, mdevs=, the claim rule
root() {
	rm -rf "$tmp/root"
	mkdir -p "$tmp/root/etc/modprobe.d" "$tmp/root/etc/udev/rules.d" "$tmp/root/boot" \
		"$tmp/root/proc/sys/kernel" "$tmp/root/etc/$1"
	echo "$kv" >"$tmp/root/proc/sys/kernel/osrelease"
	echo "options gpuhelper ids=10de:1c8d:17aa:39d1" >"$tmp/root/etc/modprobe.d/gpuhelper-local.conf"
	echo "options gpuhelper mdevs=0000:00:02.0/i915-GVTg_V5_4/af5972fb-5530-41a7-0000-fd836204445b" \
		>"$tmp/root/etc/modprobe.d/gpuhelper-mdev.conf"
	echo 'ACTION=="add", ATTR{driver_override}="gpuhelper"' \
		>"$tmp/root/etc/udev/rules.d/60-gpuhelper-claim.rules"
}
# image [-module] [-rule] [-mdev]: a gzip'd newc cpio as the generators write
image() {
	local d=$tmp/img
	rm -rf "$d"
	mkdir -p "$d/usr/lib/modules/$kv/updates" "$d/etc/modprobe.d" "$d/usr/lib/udev/rules.d" "$d/bin"
	echo x >"$d/bin/sh"
	case " $* " in *" -module "*) ;; *) echo ko >"$d/usr/lib/modules/$kv/updates/gpuhelper.ko.xz" ;; esac
	case " $* " in *" -rule "*) ;; *) cp "$tmp/root/etc/udev/rules.d/60-gpuhelper-claim.rules" "$d/usr/lib/udev/rules.d/" ;; esac
	cp "$tmp/root/etc/modprobe.d/gpuhelper-local.conf" "$d/etc/modprobe.d/"
	case " $* " in *" -mdev "*) ;; *) cp "$tmp/root/etc/modprobe.d/gpuhelper-mdev.conf" "$d/etc/modprobe.d/" ;; esac
	(cd "$d" && find . | cpio -o -H newc --quiet | gzip) >"$tmp/root/boot/initrd.img-$kv"
}
line() { "$gh" doctor --root "$tmp/root" --profile r720 2>&1 | grep -A1 '^[a-zA-Z]* *initramfs-image'; }

passes_with() {	# GENERATOR-DIR LISTER
	root "$1" && image && line >"$tmp/l" && cat "$tmp/l" &&
		grep -q "^ok   initramfs-image .*($2) holds gpuhelper.ko, 2 option files and the claim rule" "$tmp/l"
}
ok doctor_image_with_module_options_rule_passes_lsinitramfs passes_with initramfs-tools lsinitramfs
ok doctor_image_with_module_options_rule_passes_lsinitrd passes_with dracut.conf.d lsinitrd

fails_with() {	# WHAT-TO-DROP PATTERN FIX
	root initramfs-tools && image "$1" && line >"$tmp/l" && cat "$tmp/l" &&
		grep -q "^FAIL initramfs-image .*$2" "$tmp/l" && grep -q "fix: $3" "$tmp/l"
}
ok doctor_image_without_claim_rule_fails fails_with -rule "lacks the claim rule" "update-initramfs -u -k $kv"
ok doctor_image_without_module_fails fails_with -module "has no gpuhelper.ko" "update-initramfs -u -k $kv"
ok doctor_image_without_mdevs_options_fails fails_with -mdev "lacks /etc/modprobe.d/gpuhelper-mdev.conf" "update-initramfs"

no_image() {
	root initramfs-tools && line >"$tmp/l" && cat "$tmp/l" &&
		grep -q "^skip initramfs-image *no initramfs image of the running kernel $kv" "$tmp/l"
}
ok doctor_without_image_skips_and_says_why no_image

[ "$fails" -eq 0 ]
