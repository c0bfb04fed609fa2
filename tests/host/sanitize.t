#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The CLI under ASan + UBSan and under valgrind (issue 8).
#
# 1. Rebuild the CLI and every host test program with
#    -fsanitize=address,undefined into build/sanitize/ (userspace/build and
#    build/host-tests are left alone), run each test program: it must pass
#    with no sanitizer report (leaks included, LeakSanitizer is on).
# 2. Run the CLI's main commands on the fixtures (detect on every PCI
#    fixture, vm from scratch and --from, lint, acpi, vbios, doctor,
#    host-config, and the netlink commands with no module loaded) under the
#    sanitized binary, and the same under valgrind on the regular binary:
#    no sanitizer report, no valgrind error, no definite or indirect leak.
#    Their own exit status is not judged here (some are refusals on
#    purpose); the other host tests judge it.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/sanitize
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
pkgs="libpci libnl-genl-3.0 libxml-2.0 libvirt"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
export ASAN_OPTIONS=detect_leaks=1:exitcode=98:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=97
# the sanitized binary is not next to userspace/profiles
export GPUHELPER_PROFILES=$top/userspace/profiles
reports='ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|SUMMARY: UndefinedBehaviorSanitizer'

ok() { n=$((n + 1)); echo "ok $n $*"; }
notok() { n=$((n + 1)); echo "not ok $n $*"; fails=$((fails + 1)); }

echo "TAP version 13"

# ---- 1. build
mkdir -p "$out/obj" "$out/tests"
cflags="-O1 -g -std=gnu11 -Wall $san -I$top/userspace -I$top/common -I$top/include \
	-DGH_VERSION=\"test\" -DGH_DATADIR=\"/usr/local/share/gpuhelper\" \
	$(pkg-config --cflags $pkgs)"
libs=$(pkg-config --libs $pkgs)
build() {
	local objs=() src o
	for src in "$top"/userspace/*/*.c "$top"/common/*.c; do
		o=$out/obj/$(basename "${src%.c}").o
		if [ ! -e "$o" ] || [ "$src" -nt "$o" ] ||
		   [ -n "$(find "$top/userspace" "$top/common" -name '*.h' -newer "$o" -print -quit)" ]; then
			# shellcheck disable=SC2086
			gcc $cflags -c -o "$o" "$src" || return 1
		fi
		objs+=("$o")
	done
	rm -f "$out/libgpuhelper.a"
	ar rcs "$out/libgpuhelper.a" "${objs[@]}" || return 1
	# shellcheck disable=SC2086
	gcc $cflags -o "$out/gpuhelper" "$top/userspace/main.c" "$out/libgpuhelper.a" $libs || return 1
	for t in "$top"/tests/host/*_test.c; do
		# shellcheck disable=SC2086
		gcc $cflags -I"$top/build/ksft" -DGH_TOP="\"$top\"" -o "$out/tests/$(basename "${t%.c}")" \
			"$t" "$out/libgpuhelper.a" $libs || return 1
	done
}
if [ ! -f "$top/build/ksft/kselftest_harness.h" ]; then
	"$top/tests/lib/ksft-tree" >/dev/null 2>&1
fi
if build >"$tmp/build.log" 2>&1; then
	ok sanitize_build
else
	sed 's/^/# /' "$tmp/build.log" | tail -n 30
	notok sanitize_build
	echo "1..$n"
	exit 1
fi

# ---- 2. the host test programs, sanitized
for t in "$out"/tests/*_test; do
	name=$(basename "$t")
	# ACPICA's iasl/acpiexec checks ran in the plain run (aml_test.c)
	(cd "$tmp" && GH_NO_ACPICA=1 "$t") >"$tmp/$name.log" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && ! grep -Eq "$reports" "$tmp/$name.log"; then
		ok "asan_ubsan_$name # $(grep -E '^# Totals' "$tmp/$name.log" | sed 's/^# //')"
	else
		grep -E -A12 "$reports|^not ok" "$tmp/$name.log" | head -n 40 | sed 's/^/# /'
		notok "asan_ubsan_$name # exit $rc"
	fi
done

# ---- 3. the CLI's commands on fixtures
cc -O2 -Wall -o "$tmp/mkrom" "$top/tests/lib/mkrom.c"
"$tmp/mkrom" -s 8 -x 4 -i 10de:1c8d -S 7 "$tmp/rom"
head -c 4096 /dev/urandom >"$tmp/bad"
seed=$top/tests/fixtures/domains/seed-win10.xml
fix=$top/tests/fixtures/pci
# valgrind is slow: every command once, the fixtures' detect/doctor on two
cmds=(
	"detect --root $fix/muxless-fresh" "detect --json --root $fix/two-dgpus"
	"doctor --root $fix/muxless-fresh" "doctor --root $fix/no-iommu"

	"detect --profile r720"
	"vm --profile r720 -o @/gvt.xml"
	"vm --profile r720 --no-gvt --with-audio -o @/r720.xml"
	"vm --profile r720 --from $seed -o @/from.xml"
	"vm --profile r720 --format qemu"
	"vm --root $top/tests/fixtures/pci/muxed --no-gvt"
	"vm --profile r720 --from @/bad"
	"lint -q $seed"
	"lint --libvirt 7.0 $seed"
	"lint @/bad"
	"acpi battery -o @/bat.aml"
	"acpi vbios --rom @/rom -o @/acpi --split 5000 --json"
	"acpi vbios --rom @/bad -o @/acpi2"
	"vbios info @/rom"
	"vbios info --json @/rom"
	"vbios info @/bad"
	"vbios strip @/rom -o @/stripped"
	"host-config --profile r720 --root @/root-RUN"
	"status"
	"handoff --to vfio 0000:01:00.0"
	"monitor --help"
	"mdev list"
	"--help"
	"no-such-command"
)

run_all() {	# run_all TAG WRAPPER...: every command once; failures counted
	local tag=$1 c i=0 bad=0 log
	shift
	for c in "${cmds[@]}"; do
		i=$((i + 1))
		log=$tmp/$tag-$i.log
		rm -rf "$tmp/root-RUN"
		cp -a "$top/tests/fixtures/roots/base" "$tmp/root-RUN"
		# shellcheck disable=SC2086
		(cd "$tmp" && timeout 120 "$@" ${c//@/$tmp}) >"$log" 2>&1 </dev/null
		rc=$?
		if grep -q "no profile 'r720'" "$log"; then
			echo "# $tag: gpuhelper $c: the profile was not found"
			bad=$((bad + 1))
		fi
		if [ $rc -eq 97 ] || [ $rc -eq 98 ] || [ $rc -eq 99 ] || [ $rc -eq 124 ] ||
		   grep -Eq "$reports|definitely lost: [1-9]|indirectly lost: [1-9]" "$log"; then
			echo "# $tag: gpuhelper $c: exit $rc"
			grep -E -A15 "$reports|lost:|Invalid|uninitialised" "$log" | head -n 30 | sed 's/^/#   /'
			bad=$((bad + 1))
		fi
	done
	return $bad
}

vgcmds=("${cmds[@]}")
for f in "$fix"/*/; do
	f=${f%/}
	cmds+=("detect --root $f" "detect --json --root $f" "doctor --root $f")
done
if run_all asan "$out/gpuhelper"; then
	ok "asan_ubsan_cli_commands # ${#cmds[@]} commands"
else
	notok "asan_ubsan_cli_commands"
fi
cmds=("${vgcmds[@]}")

if ! command -v valgrind >/dev/null 2>&1; then
	ok "valgrind_cli_commands # SKIP valgrind not installed"
elif [ ! -x "$top/userspace/gpuhelper" ]; then
	notok "valgrind_cli_commands # userspace/gpuhelper not built"
elif run_all valgrind valgrind -q --leak-check=full \
	--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
	--error-exitcode=99 "$top/userspace/gpuhelper"; then
	ok "valgrind_cli_commands # ${#cmds[@]} commands, no error, no leak"
else
	notok "valgrind_cli_commands"
fi

echo "1..$n"
[ $fails -eq 0 ]
