#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The environment and the inputs root code trusts (issue 13, section 4),
# from the command line:
# - GPUHELPER_ROOT and GPUHELPER_PROFILES steer a normal run, but not a
#   setuid one (secure_getenv(): a setuid-root copy of the CLI, run by uid
#   65534), and GPUHELPER_ROOT never steers "gpuhelper mdev apply", the
#   command udev runs; its --root does, and a --root too long for a sysfs
#   path is an error with a message, never a truncated path;
# - a libvirt domain for lint or vm --from: gzip and xz input refused by
#   name (no decompression bomb), 10 MiB at most, its DOCTYPE not copied
#   into the output, entities of the DOCTYPE refused.
# inputs_test.c checks the same in the library. Prints KTAP.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="$top/userspace/gpuhelper"
seed="$top/tests/fixtures/domains/seed-win10.xml"
tmp=$(mktemp -d /tmp/gh-inputs.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

. "$top/tests/lib/ktap.sh"

# runs RC TEXT CMD...: CMD exits RC and its output has TEXT
runs() {
	want=$1 text=$2
	shift 2
	"$@" >"$tmp/cmd.out" 2>&1
	rc=$?
	head -c 2000 "$tmp/cmd.out"
	[ $rc -eq "$want" ] || { echo "exit $rc, want $want"; return 1; }
	[ -z "$text" ] || grep -qF -- "$text" "$tmp/cmd.out" || { echo "no '$text'"; return 1; }
}
hasnt() { ! grep -q -- "$2" "$1" || { grep -- "$2" "$1"; return 1; }; }

echo "TAP version 13"
echo "1..17"

# --- the environment
# A fake sysfs with a device no machine has, its vBIOS in gpuhelper's shadow.
bdf=0000:fe:1f.7
r=$tmp/root
mkdir -p "$r/sys/bus/pci/devices/$bdf" "$r/sys/class/gpuhelper/$bdf"
echo 0x1234 >"$r/sys/bus/pci/devices/$bdf/vendor"
echo 0x11e8 >"$r/sys/bus/pci/devices/$bdf/device"
cc -O2 -o "$tmp/mkrom" "$top/tests/lib/mkrom.c" &&
	"$tmp/mkrom" -s 12 -x 4 -i 1234:11e8 "$r/sys/class/gpuhelper/$bdf/vbios"
mkdir -p "$tmp/profiles"
cp -a "$top/userspace/profiles/r720" "$tmp/profiles/myprof"

ok env_root_steers_a_normal_run runs 0 '"source":"gpuhelper shadow"' \
	env GPUHELPER_ROOT="$r" "$gh" vbios info --device "$bdf" --json
ok env_profiles_steers_a_normal_run runs 0 "<domain" \
	env GPUHELPER_PROFILES="$tmp/profiles" "$gh" vm --profile myprof

# A setuid-root copy, run by uid 65534: AT_SECURE, the variables are ignored.
mkdir "$tmp/suid"
cp "$gh" "$tmp/suid/gpuhelper"
chmod 4755 "$tmp/suid/gpuhelper"
chmod 755 "$tmp"
suid() {
	setpriv --reuid=65534 --regid=65534 --clear-groups -- \
		env GPUHELPER_ROOT="$r" GPUHELPER_PROFILES="$tmp/profiles" "$tmp/suid/gpuhelper" "$@"
}
why=""
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
	why="needs root and setpriv"
elif findmnt -no OPTIONS -T "$tmp" | grep -qw nosuid; then
	why="$tmp is mounted nosuid"
fi
if [ -n "$why" ]; then
	n=$((n + 1)); echo "ok $n setuid_run_ignores_GPUHELPER_ROOT # SKIP $why"
	n=$((n + 1)); echo "ok $n setuid_run_ignores_GPUHELPER_PROFILES # SKIP $why"
else
	ok setuid_run_ignores_GPUHELPER_ROOT runs 3 "no PCI device $bdf" \
		suid vbios info --device "$bdf" --json
	ok setuid_run_ignores_GPUHELPER_PROFILES runs 2 "no profile 'myprof'" \
		suid vm --profile myprof
fi

# mdev apply: a pending mdev on the fake parent
u=af5972fb-5530-41a7-0000-fd836204445b
types=$r/sys/bus/pci/devices/$bdf/mdev_supported_types/i915-GVTg_V5_4
mkdir -p "$types"
echo 1 >"$types/available_instances"
printf 'low_gm_size: 128MB\nresolution: 1920x1200\n' >"$types/description"
: >"$types/create"
printf '%s i915-GVTg_V5_4 pending\n' "$u" >"$r/sys/class/gpuhelper/$bdf/mdevs"
: >"$r/sys/class/gpuhelper/$bdf/mdev_result"
GPUHELPER_ROOT=$r "$gh" mdev apply "$bdf" >"$tmp/apply.out" 2>&1
echo $? >"$tmp/apply.rc"
ok mdev_apply_ignores_GPUHELPER_ROOT \
	sh -c "cat '$tmp/apply.out'; grep -qx 3 '$tmp/apply.rc' && [ ! -s '$types/create' ]"
ok mdev_list_still_reads_GPUHELPER_ROOT runs 0 "parent $bdf" \
	env GPUHELPER_ROOT="$r" "$gh" mdev list
ok mdev_apply_follows_its_root_option \
	sh -c "'$gh' mdev apply --root '$r' '$bdf' && grep -qx '$u' '$types/create' && grep -q '^create $u 0' '$r/sys/class/gpuhelper/$bdf/mdev_result'"
long=$tmp/$(printf '%04080d' 0)
ok mdev_apply_with_a_root_too_long_for_sysfs_paths_says_so \
	runs 3 "give a shorter --root" "$gh" mdev apply --root "$long" "$bdf"

# --- libvirt domains
gzip -c "$seed" >"$tmp/seed.xml.gz"
xz -c "$seed" >"$tmp/seed.xml.xz"
ok lint_refuses_gzip_input_by_name runs 3 "$tmp/seed.xml.gz: gzip-compressed" \
	"$gh" lint "$tmp/seed.xml.gz"
ok lint_refuses_xz_input_by_name runs 3 "$tmp/seed.xml.xz: xz-compressed" \
	"$gh" lint "$tmp/seed.xml.xz"
ok vm_from_refuses_gzip_input_by_name runs 2 "gzip-compressed" \
	"$gh" vm --profile r720 --from "$tmp/seed.xml.gz"
ok vm_from_refuses_xz_input_by_name runs 2 "xz-compressed" \
	"$gh" vm --profile r720 --from "$tmp/seed.xml.xz"

# 11 MiB, well-formed: the seed domain and comments of 1 KiB
c=$(printf '%01017d' 0)
{ cat "$seed"; yes "<!--$c-->" | head -n $((11 * 1024)); } >"$tmp/big.xml"
ok lint_refuses_a_domain_over_10_MiB runs 3 "big.xml: larger than 10 MiB" \
	"$gh" lint "$tmp/big.xml"
ok vm_from_refuses_a_domain_over_10_MiB runs 2 "big.xml: larger than 10 MiB" \
	"$gh" vm --profile r720 --from "$tmp/big.xml"

# a DOCTYPE: internal subset with an entity, and a SYSTEM identifier
{ echo '<!DOCTYPE domain SYSTEM "file:///etc/passwd" [<!ENTITY who "me">]>'; cat "$seed"; } \
	>"$tmp/doctype.xml"
"$gh" vm --profile r720 --from "$tmp/doctype.xml" -o "$tmp/doctype.out.xml" 2>/dev/null
ok vm_from_drops_the_doctype \
	sh -c "grep -q '<name>Win10</name>' '$tmp/doctype.out.xml' && ! grep -n 'DOCTYPE\|ENTITY\|passwd' '$tmp/doctype.out.xml'"
ok lint_reads_a_domain_with_a_doctype runs 1 "rules failed" "$gh" lint "$tmp/doctype.xml"
sed 's|<name>Win10</name>|<name>Win10\&who;</name>|' "$tmp/doctype.xml" >"$tmp/entity.xml"
ok vm_from_refuses_an_entity_of_the_doctype runs 2 "entity.xml: uses an entity" \
	"$gh" vm --profile r720 --from "$tmp/entity.xml"

[ $fails -eq 0 ]
