#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gpuhelper host-config --looking-glass / --looking-glass-kvmfr on the
# fixture root: nothing without the option; --dry-run writes nothing; the
# tmpfiles.d rule is one systemd-tmpfiles applies (the file it creates
# under the root has mode 0660, the user and group kvm); kvmfr's option
# is one modprobe reads (--showconfig) with the size of Looking Glass's
# formula; the user's lines under host-config's are kept; --revert
# leaves the root as it was.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="${GPUHELPER:-$top/userspace/gpuhelper}"
base="$top/tests/fixtures/roots/base"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

. "$top/tests/lib/ktap.sh"
hc() { "$gh" host-config --profile r720 --initramfs initramfs-tools --bootloader grub --root "$@"; }

echo "TAP version 13"
echo "1..11"

r=$tmp/r
cp -a "$base" "$r"
rm -f "$r/etc/mkinitcpio.conf"
rm -rf "$r/boot/loader"
# the users and groups systemd-tmpfiles resolves under --root
mkdir -p "$r/etc" "$r/dev/shm"
printf 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n' >>"$r/etc/passwd"
printf 'root:x:0:\nkvm:x:107:\nalice:x:1000:\n' >>"$r/etc/group"
hc "$r" >/dev/null 2>&1
cp -a "$r" "$tmp/before"

ok hostconfig_lg_nothing_without_the_option sh -c "! ls $r/etc/tmpfiles.d/gpuhelper-looking-glass.conf $r/etc/modprobe.d/gpuhelper-kvmfr.conf 2>/dev/null"
ok hostconfig_lg_needs_the_user sh -c "! \"$gh\" host-config --looking-glass --dry-run 2>$tmp/nouser.err; cat $tmp/nouser.err; grep -q -- '--looking-glass-user USER' $tmp/nouser.err"
ok hostconfig_lg_refuses_a_bad_user sh -c "! \"$gh\" host-config --looking-glass --looking-glass-user 'a b' --dry-run 2>/dev/null"
hc "$r" --looking-glass --looking-glass-user alice --dry-run >"$tmp/dry.out" 2>&1
ok hostconfig_lg_dry_run_shows_the_rule_and_writes_nothing sh -c "cat $tmp/dry.out;
	grep -q '^+f /dev/shm/looking-glass 0660 alice kvm -' $tmp/dry.out && diff -r $r $tmp/before"

hc "$r" --looking-glass=2560x1440 --looking-glass-user alice >"$tmp/lg.out" 2>&1
ok hostconfig_lg_systemd_tmpfiles_applies_the_rule sh -c "cat $tmp/lg.out;
	systemd-tmpfiles --create --root=$r $r/etc/tmpfiles.d/gpuhelper-looking-glass.conf &&
	[ \"\$(stat -c '%a %U %G' $r/dev/shm/looking-glass)\" = '660 alice kvm' ] ||
	stat -c '%a %U %G' $r/dev/shm/looking-glass"
rm -f "$r/dev/shm/looking-glass"
printf '%s\n' '# Lines below are yours: gpuhelper host-config keeps them.' \
	'f /dev/shm/other 0600 root root -' >>"$r/etc/tmpfiles.d/gpuhelper-looking-glass.conf"
hc "$r" --looking-glass-kvmfr=3840x2160 --looking-glass-user alice >"$tmp/kvmfr.out" 2>&1
ok hostconfig_lg_kvmfr_option_modprobe_reads_128_mib sh -c "cat $tmp/kvmfr.out;
	modprobe -C $r/etc/modprobe.d --showconfig | grep -qx 'options kvmfr static_size_mb=128'"
ok hostconfig_lg_kvmfr_loads_at_boot_and_udev_rule sh -c "
	grep -qx kvmfr $r/etc/modules-load.d/gpuhelper-kvmfr.conf &&
	grep -qx 'SUBSYSTEM==\"kvmfr\", OWNER=\"alice\", GROUP=\"kvm\", MODE=\"0660\"' $r/etc/udev/rules.d/99-gpuhelper-kvmfr.rules"
ok hostconfig_lg_kvmfr_says_what_libvirt_needs grep -q 'cgroup_device_acl' "$tmp/kvmfr.out"
hc "$r" --looking-glass=2560x1440 --looking-glass-user alice >/dev/null 2>&1
ok hostconfig_lg_keeps_the_users_lines grep -qx 'f /dev/shm/other 0600 root root -' "$r/etc/tmpfiles.d/gpuhelper-looking-glass.conf"
hc "$r" --looking-glass=2560x1440 --looking-glass-user alice >"$tmp/again.out" 2>&1
ok hostconfig_lg_second_run_changes_nothing sh -c "cat $tmp/again.out; ! grep -q '^+' $tmp/again.out &&
	grep -q 'nothing to change\|0 files\|up to date' $tmp/again.out"
"$gh" host-config --revert --root "$r" >"$tmp/revert.out" 2>&1
# the user's own line stays after --revert, as for every file host-config owns
ok hostconfig_lg_revert_removes_ours_keeps_the_users sh -c "cat $tmp/revert.out;
	! ls $r/etc/modprobe.d/gpuhelper-kvmfr.conf $r/etc/modules-load.d/gpuhelper-kvmfr.conf $r/etc/udev/rules.d/99-gpuhelper-kvmfr.rules 2>/dev/null &&
	! grep -q looking-glass $r/etc/tmpfiles.d/gpuhelper-looking-glass.conf &&
	grep -qx 'f /dev/shm/other 0600 root root -' $r/etc/tmpfiles.d/gpuhelper-looking-glass.conf"

exit $((fails > 0))
