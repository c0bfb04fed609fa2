#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The docs stand alone and agree with the code (tests/lib/docs-check):
# every "gpuhelper COMMAND --option" README.md and Documentation/ name is
# in that command's --help, every "make TARGET" in the Makefile as make
# reads it, every gpuhelper path under /etc, /usr, /var is one make
# install writes (into a DESTDIR here) or the code names, and every
# option --help lists is in the command's man page. Planted bad names make
# the check fail, planted good ones do not (self-test). Also: the softdeps
# early-claim.rst lists are the shipped kmod/gpuhelper.conf's and the
# ones host-config writes; no document points at a path outside the
# repository. Prints KTAP.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="$top/userspace/gpuhelper"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

. "$top/tests/lib/ktap.sh"

check() { "$top/tests/lib/docs-check" "$top" "$gh" "$tmp/inst" "$@"; }

# says FILE RE: the check's output FILE has a line matching RE
says() { grep -q -- "$2" "$1" || { echo "no '$2' in:"; cat "$1"; return 1; }; }

echo "TAP version 13"
echo "1..16"

ok make_install_into_a_destdir make -s -C "$top" install DESTDIR="$tmp/inst" PREFIX=/usr

ok docs_name_only_commands_options_targets_and_paths_that_exist check

# not vacuous: the documents do name that many things
check >"$tmp/counts" 2>&1
counts() {
	set -- $(sed -n 's/^# docs-check: \([0-9]*\) gpuhelper commands with \([0-9]*\) options, \([0-9]*\) make targets, \([0-9]*\) paths checked; \([0-9]*\) options.*/\1 \2 \3 \4 \5/p' "$tmp/counts")
	[ $# -eq 5 ] && [ "$1" -ge 100 ] && [ "$2" -ge 80 ] && [ "$3" -ge 10 ] && [ "$4" -ge 30 ] &&
		[ "$5" -ge 60 ] || { cat "$tmp/counts"; return 1; }
}
ok check_covers_many_names counts

# self-test: each planted bad name fails the check, naming it
cat >"$tmp/planted.md" <<'EOF'
    gpuhelper frobnicate --all
    gpuhelper vm --no-such-option -o x.xml
    gpuhelper mdev explode
    make no-such-target
    make -C kmod install
See `/usr/lib/gpuhelper/nothing-here` and `gpuhelper detect -jz`.
EOF
check "$tmp/planted.md" >"$tmp/bad" 2>&1
ok self_test_planted_names_fail sh -c "[ $? -eq 1 ]"
ok self_test_unknown_command says "$tmp/bad" "planted.md:1: 'gpuhelper frobnicate': no such command"
ok self_test_unknown_option says "$tmp/bad" "planted.md:2: 'gpuhelper vm --no-such-option': no such option"
ok self_test_unknown_verb says "$tmp/bad" "planted.md:3: 'gpuhelper mdev explode': mdev has no command explode"
ok self_test_unknown_make_target says "$tmp/bad" "planted.md:4: 'make no-such-target': no such target in Makefile"
ok self_test_make_in_a_directory_without_makefile says "$tmp/bad" "planted.md:5: 'make -C kmod': there is no kmod/Makefile"
ok self_test_unknown_short_option_in_a_cluster says "$tmp/bad" "planted.md:6: 'gpuhelper detect -z': no such option"
ok self_test_unknown_installed_path says "$tmp/bad" "planted.md:6: '/usr/lib/gpuhelper/nothing-here': neither make install nor the code"

mkdir -p "$tmp/man"
printf '.TH X 8\n.SH OPTIONS\n.TP\n.B \\-\\-bogus\\-flag\nnothing.\n' >"$tmp/man/gpuhelper-vm.8"
check "$tmp/man/gpuhelper-vm.8" >"$tmp/bad" 2>&1
ok self_test_man_page_option_not_the_commands says "$tmp/bad" "gpuhelper-vm.8:4: '--bogus-flag' is no option of gpuhelper vm"

# and good names pass: no false alarm on the forms the docs use
cat >"$tmp/good.md" <<'EOF'
    sudo gpuhelper vm --name=Win10 --with-audio -o Win10.xml   # a comment --not-an-option
    gpuhelper detect -jN && virsh define --validate x.xml
    gpuhelper mdev list|create|remove [--persist]
    make -C userspace install DESTDIR=/tmp/x
Run `gpuhelper acpi vbios --rom VBIOS.rom -o /var/lib/gpuhelper`; the
record is `/var/lib/gpuhelper/domains/NAME`, the options
`options gpuhelper ids=10de:1c8d` (a modprobe.d line, not a command).
EOF
ok self_test_good_names_pass check "$tmp/good.md"

# the softdeps: the doc's list is the shipped file's and host-config's
grep '^ *softdep ' "$top/Documentation/early-claim.rst" | sed 's/^ *//' >"$tmp/doc.sd"
grep '^softdep ' "$top/kmod/gpuhelper.conf" >"$tmp/conf.sd"
mkdir -p "$tmp/r/etc/default" "$tmp/r/boot/grub"
echo 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"' >"$tmp/r/etc/default/grub"
"$gh" host-config --root "$tmp/r" --profile r720 --initramfs dracut --bootloader grub \
	--kernel 6.1 --dry-run 2>/dev/null | sed -n 's/^+\(softdep .*\)/\1/p' >"$tmp/hc.sd"
ok softdeps_in_early_claim_are_the_shipped_ones sh -c "[ -s '$tmp/doc.sd' ] && diff -u '$tmp/conf.sd' '$tmp/doc.sd'"
ok softdeps_host_config_writes_are_the_shipped_ones sh -c "[ -s '$tmp/hc.sd' ] && diff -u '$tmp/conf.sd' '$tmp/hc.sd'"

# no document points outside the repository (a local checkout, a home)
ok docs_cite_no_local_paths sh -c "! grep -rnE '\\.\\./shared|shared/seed|/home/|/work/|/root/|file://' '$top/README.md' '$top/Documentation'"
[ $fails -eq 0 ]
