#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/fixtures/lspci2snap against a machine nobody here built: this
# one. Its own `lspci -D -vvnn -xxxx` (pciutils, as root) is converted
# into a snapshot tree, and the tree must say what the kernel's live
# /sys/bus/pci says: the same functions, config space byte for byte, the
# same IDs, class and driver; gpuhelper detect reads both alike. A
# capture without its hex dump (what hardware-probe collections keep)
# still gives the IDs and class; a capture with no function, or with a
# dump that contradicts lspci's text, is refused.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="$top/userspace/gpuhelper"
conv="$top/tests/fixtures/lspci2snap"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

. "$top/tests/lib/ktap.sh"

echo "TAP version 13"
echo "1..8"
live=/sys/bus/pci/devices
lspci -D -vvnn -xxxx >"$tmp/cap" 2>/dev/null

ok lspci2snap_converts_this_machines_capture "$conv" "$tmp/cap" "$tmp/snap"

# every live function, and only those, in the spec
same_functions() {
	ls "$live" >"$tmp/want"
	grep -v '^#' "$tmp/snap/pci.spec" | awk '{ print $1 }' >"$tmp/got"
	[ -s "$tmp/want" ] && diff "$tmp/want" "$tmp/got"
}
ok snapshot_has_exactly_the_live_functions same_functions

config_matches() {
	for d in "$live"/*; do
		cmp "$d/config" "$tmp/snap/sys/bus/pci/devices/${d##*/}/config" || return 1
	done
}
ok config_space_matches_live_sysfs_byte_for_byte config_matches

# the id files libpci's sysfs method reads, and the driver link
ids_match() {
	for d in "$live"/*; do
		s=$tmp/snap/sys/bus/pci/devices/${d##*/}
		for f in vendor device class revision subsystem_vendor subsystem_device; do
			[ "$(cat "$d/$f")" = "$(cat "$s/$f")" ] ||
				{ echo "${d##*/}/$f: live $(cat "$d/$f"), snapshot $(cat "$s/$f")"; return 1; }
		done
		a=$(basename "$(readlink "$d/driver" 2>/dev/null)" 2>/dev/null)
		b=$(basename "$(readlink "$s/driver" 2>/dev/null)" 2>/dev/null)
		[ "$a" = "$b" ] || { echo "${d##*/}: driver live '$a', snapshot '$b'"; return 1; }
	done
}
ok ids_class_and_driver_match_live_sysfs ids_match

detect_alike() {
	"$gh" detect --json >"$tmp/live.json" &&
	"$gh" detect --json --root "$tmp/snap" >"$tmp/snap.json" &&
	diff "$tmp/live.json" "$tmp/snap.json"
}
ok detect_reads_the_snapshot_as_it_reads_the_machine detect_alike

# hardware-probe style: lspci -vvnn, no hex dump
text_only() {
	grep -v '^[0-9a-f]*0: ' "$tmp/cap" >"$tmp/cap-text" &&
	"$conv" "$tmp/cap-text" "$tmp/snap-text" || return 1
	for d in "$live"/*; do
		s=$tmp/snap-text/sys/bus/pci/devices/${d##*/}
		for f in vendor device revision; do
			[ "$(cat "$d/$f")" = "$(cat "$s/$f")" ] ||
				{ echo "${d##*/}/$f: live $(cat "$d/$f"), text-only $(cat "$s/$f")"; return 1; }
		done
		# lspci's text gives class, subclass and prog-if
		[ "$(cat "$d/class")" = "$(cat "$s/class")" ] ||
			{ echo "${d##*/}/class: live $(cat "$d/class"), text-only $(cat "$s/class")"; return 1; }
	done
}
ok capture_without_hex_dump_keeps_ids_and_class text_only

refuses_empty() {
	printf 'lspci: Unable to load libkmod resources\n' >"$tmp/empty"
	"$conv" "$tmp/empty" "$tmp/snap-empty" 2>"$tmp/err"
	[ $? -eq 2 ] && grep -q 'no PCI function' "$tmp/err"
}
ok refuses_a_capture_without_functions refuses_empty

# the first dumped function's vendor ID changed in the dump only
refuses_contradiction() {
	awk '/^[0-9a-f]*00: / && !done { $2 = "ab"; done = 1 } { print }' "$tmp/cap" >"$tmp/cap-bad"
	"$conv" "$tmp/cap-bad" "$tmp/snap-bad" 2>"$tmp/err"
	[ $? -eq 2 ] && grep -q 'the dump says' "$tmp/err"
}
ok refuses_a_dump_that_contradicts_lspcis_text refuses_contradiction

exit $((fails > 0))
