#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Every command parses with getopt_long from its option table
# (userspace/lib/opts.c): --opt=value is --opt value, "--" ends the
# options, short options run together, unique prefixes of long options
# work, and a bad option is a usage error (exit 2) that names it and the
# --help to read. Checked on detect, vm, lint, acpi, vbios, handoff and
# mdev by comparing each spelling's output with the spelled-out one.
# Prints KTAP.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="$top/userspace/gpuhelper"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

. "$top/tests/lib/ktap.sh"

# same CMD1 =vs= CMD2: both exit 0 with the same standard output
same() {
	a=""
	while [ "$1" != "=vs=" ]; do a="$a '$1'"; shift; done
	shift
	eval "\"\$gh\" $a" >"$tmp/a" 2>"$tmp/a.err" || { echo "gpuhelper$a failed:"; cat "$tmp/a.err"; return 1; }
	"$gh" "$@" >"$tmp/b" 2>"$tmp/b.err" || { echo "gpuhelper $* failed:"; cat "$tmp/b.err"; return 1; }
	[ -s "$tmp/a" ] || { echo "gpuhelper$a printed nothing"; return 1; }
	cmp "$tmp/a" "$tmp/b"
}

# usage RE ARGS...: gpuhelper ARGS exits 2, saying RE on stderr
usage() {
	re=$1
	shift
	"$gh" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] || { echo "gpuhelper $*: exit $rc, want 2"; cat "$tmp/err"; return 1; }
	grep -q -- "$re" "$tmp/err" || { echo "gpuhelper $*: no '$re' in:"; cat "$tmp/err"; return 1; }
}

# helps ARGS...: gpuhelper ARGS --help exits 0 with its usage on stdout
helps() {
	"$gh" "$@" --help >"$tmp/out" 2>&1 &&
		grep -q "^usage: gpuhelper $*" "$tmp/out" && grep -q '^options:$' "$tmp/out" &&
		grep -q -- '-h, --help' "$tmp/out"
}

echo "TAP version 13"
echo "1..30"

# a domain for lint, a ROM for vbios, from the CLI and the tests' ROM maker
"$gh" vm --profile r720 --libvirt 9.0 -o "$tmp/win10.xml" 2>/dev/null
cc -O2 -o "$tmp/mkrom" "$top/tests/lib/mkrom.c" || { echo "Bail out! mkrom"; exit 1; }
"$tmp/mkrom" -s 12 -x 4 -i 10de:1c8d -S 3 "$tmp/rom"
cp "$tmp/rom" "$tmp/-dash.rom"
cp "$tmp/win10.xml" "$tmp/-dash.xml"

ok detect_opt_equals_value same detect --profile=r720 =vs= detect --profile r720
ok detect_clustered_short_options same detect -jN --profile r720 =vs= detect --json --names --profile r720
ok detect_long_option_prefix same detect --jso --prof r720 =vs= detect --json --profile r720
ok vm_opt_equals_value same vm --profile=r720 --name=Foo --libvirt=9.0 --memory=4096 =vs= \
	vm --profile r720 --name Foo --libvirt 9.0 --memory 4096
ok vm_options_after_a_value_that_looks_like_an_option \
	same vm --profile r720 --libvirt 9.0 --append=--x --kernel /k =vs= \
	vm --profile r720 --libvirt 9.0 --append --x --kernel /k
ok vm_output_short_and_long same vm --profile r720 --libvirt 9.0 --output=- =vs= \
	vm --profile r720 --libvirt 9.0 -o -
ok lint_clustered_short_options sh -c "'$gh' lint -qj --libvirt=9.0 '$tmp/win10.xml' >'$tmp/l1'; a=\$?;
	'$gh' lint --quiet --json --libvirt 9.0 '$tmp/win10.xml' >'$tmp/l2'; b=\$?;
	[ \$a -eq \$b ] && [ -s '$tmp/l1' ] && cmp '$tmp/l1' '$tmp/l2'"
ok lint_options_after_the_file sh -c "'$gh' lint '$tmp/win10.xml' -q --libvirt 9.0 >'$tmp/l1'; a=\$?;
	'$gh' lint -q --libvirt 9.0 '$tmp/win10.xml' >'$tmp/l2'; b=\$?;
	[ \$a -eq \$b ] && [ -s '$tmp/l1' ] && cmp '$tmp/l1' '$tmp/l2'"
ok lint_double_dash_before_a_file_named_like_an_option sh -c "cd '$tmp' &&
	'$gh' lint -q --libvirt 9.0 -- -dash.xml >'$tmp/l1'; a=\$?;
	'$gh' lint -q --libvirt 9.0 win10.xml >'$tmp/l2'; b=\$?;
	[ \$a -eq \$b ] && [ \$a -ne 2 ] && sed 's/-dash.xml/win10.xml/' '$tmp/l1' | cmp - '$tmp/l2'"
ok lint_a_file_named_like_an_option_without_double_dash_is_unknown \
	sh -c "cd '$tmp' && '$gh' lint -dash.xml >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q \"unknown option '-d'\" '$tmp/e'"
ok vbios_info_double_dash same vbios info --json -- "$tmp/-dash.rom" =vs= vbios info --json "$tmp/-dash.rom"
ok vbios_info_options_after_the_file same vbios info "$tmp/rom" --json =vs= vbios info --json "$tmp/rom"
ok acpi_vbios_rom_equals_value sh -c "'$gh' acpi vbios --rom='$tmp/rom' -o '$tmp/t1' >/dev/null &&
	'$gh' acpi vbios --rom '$tmp/rom' -o'$tmp/t2' >/dev/null &&
	[ -n \"\$(ls '$tmp/t1')\" ] && diff -r '$tmp/t1' '$tmp/t2'"
ok acpi_battery_short_value_attached sh -c "'$gh' acpi battery -o'$tmp/b1.aml' >/dev/null &&
	'$gh' acpi battery -o '$tmp/b2.aml' >/dev/null && cmp '$tmp/b1.aml' '$tmp/b2.aml'"

ok unknown_long_option_is_named usage "unknown option '--bogus': see gpuhelper detect --help" detect --bogus
ok unknown_short_option_in_a_cluster_is_named usage "unknown option '-x'" detect -jx
ok missing_value_names_the_option usage "--name needs a value (NAME)" vm --name
ok value_given_to_a_flag usage "--json takes no value" detect --json=yes
ok verb_option_error_names_the_verb usage "see gpuhelper acpi vbios --help" acpi vbios --bogus
ok unknown_verb usage "gpuhelper vbios: unknown command 'dumpp'" vbios dumpp
ok unknown_command usage "gpuhelper: unknown command 'detcet'" detcet
ok handoff_missing_to_value usage "gpuhelper handoff: --to needs a value (vfio|stub|host)" handoff 01:00.0 --to
ok mdev_verb_rejects_an_option_of_another_verb usage "unknown option '--persist'" mdev list --persist
ok hook_stops_at_qemu_and_keeps_double_dash sh -c "'$gh' hook --root '$tmp/none' qemu -- --weird-domain started begin - </dev/null"
ok no_command_is_a_usage_error sh -c "'$gh' >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q '^usage: gpuhelper COMMAND' '$tmp/e'"

ok help_of_every_command sh -c "for c in version detect vm lint host-config doctor status handoff monitor hook; do
	'$gh' \$c --help >'$tmp/h' 2>&1 && grep -q \"^usage: gpuhelper \$c\" '$tmp/h' || { echo \$c; exit 1; }; done"
ok help_of_every_verb sh -c "for c in 'acpi vbios' 'acpi battery' 'vbios info' 'vbios dump' 'vbios strip' 'mdev list' 'mdev create' 'mdev remove' 'mdev apply'; do
	'$gh' \$c --help >'$tmp/h' 2>&1 && grep -q \"^usage: gpuhelper \$c\" '$tmp/h' || { echo \$c; exit 1; }; done"
ok help_lists_options_with_short_and_long helps detect
ok help_command_word_is_help sh -c "'$gh' help | grep -q '^  host-config ' && '$gh' acpi help | grep -q '^  battery '"
ok help_short_option_in_a_cluster sh -c "'$gh' detect -jh | grep -q '^usage: gpuhelper detect'"
[ $fails -eq 0 ]
