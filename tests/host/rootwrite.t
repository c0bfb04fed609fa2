#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Root's -o writes and file reads against a local user (issue 13, section
# 1), from the command line. uid 65534 (setpriv, no groups) prepares its
# own directory as an attacker would: a setuid file where root will write,
# a FIFO at the output or at its temp name, a symbolic link to /dev/zero or
# to a file of root's. Then root runs gpuhelper vm/acpi/vbios -o into it,
# or reads from it. atomicwrite_test.c does the same for the library, with
# the extended attributes. Prints KTAP; needs root and setpriv.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="$top/userspace/gpuhelper"
seed="$top/tests/fixtures/domains/seed-win10.xml"
tmp=$(mktemp -d /tmp/gh-rootwrite.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
plan=14

. "$top/tests/lib/ktap.sh"

echo "TAP version 13"
echo "1..$plan"
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
	while [ $n -lt $plan ]; do
		n=$((n + 1))
		echo "ok $n rootwrite_$n # SKIP needs root and setpriv"
	done
	exit 0
fi

chmod 755 "$tmp"
h=$tmp/home			# the user's directory
mkdir "$h"
chown 65534:65534 "$h"

# as_user CMD: CMD run by uid/gid 65534 without groups
as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups -- sh -c "$1"; }
# is FILE MODE,UID,GID: the file's permission bits (setuid... included) and owner
is() {
	got=$(stat -c '%a,%u,%g' "$1")
	[ "$got" = "$2" ] || { echo "$1: $got, want $2"; return 1; }
}
# runs RC TEXT CMD...: CMD exits RC within 20 s, in 4 GB of memory (a
# read of /dev/zero must not go on), and its output has TEXT
runs() {
	want=$1 text=$2
	shift 2
	(ulimit -v 4000000; timeout 20 "$@") >"$tmp/cmd.out" 2>&1
	rc=$?
	cat "$tmp/cmd.out"
	[ $rc -eq "$want" ] || { echo "exit $rc, want $want"; return 1; }
	[ -z "$text" ] || grep -qF -- "$text" "$tmp/cmd.out" || { echo "no '$text'"; return 1; }
}
vm_o="$gh vm --profile r720 -o"	# word-split on purpose: no spaces in $top

# --- a setuid file of the user's where root writes
as_user "printf '#!/bin/sh\nid\n' >$h/Win10.xml && chmod 04755 $h/Win10.xml"
ok vm_o_over_setuid_file_writes_the_domain runs 0 "" $vm_o "$h/Win10.xml"
ok the_new_file_is_the_users_without_setuid is "$h/Win10.xml" 755,65534,65534
ok the_backup_is_0600_the_users_and_holds_the_old_text \
	sh -c "grep -qx id '$h/Win10.xml.gpuhelper-bak' && stat -c %a,%u '$h/Win10.xml.gpuhelper-bak' | grep -qx 600,65534"

# commands without a backup: acpi ... -o, vbios ... -o
as_user "printf x >$h/bat.aml && chmod 04777 $h/bat.aml"
"$gh" acpi battery -o "$h/bat.aml" >/dev/null 2>&1
ok acpi_o_over_setuid_file_gives_the_users_file_without_setuid is "$h/bat.aml" 777,65534,65534
cc -O2 -o "$tmp/mkrom" "$top/tests/lib/mkrom.c" && "$tmp/mkrom" -s 12 -x 4 -i 1234:11e8 "$tmp/rom"
as_user "printf x >$h/gpu.rom && chmod 06755 $h/gpu.rom"
"$gh" vbios strip "$tmp/rom" -o "$h/gpu.rom" >/dev/null 2>&1
ok vbios_strip_o_over_setuid_setgid_file_drops_both \
	sh -c "cmp '$tmp/rom' '$h/gpu.rom' && stat -c %a,%u,%g '$h/gpu.rom' | grep -qx 755,65534,65534"

as_user "printf old >$h/own.xml && chmod 0640 $h/own.xml"
$vm_o "$h/own.xml" >/dev/null 2>&1
ok vm_o_keeps_owner_group_and_permission_bits is "$h/own.xml" 640,65534,65534

# --- FIFOs: at the temp name (the stale-temp cleanup opens it), at the output
as_user "mkfifo $h/f.xml.gpuhelper-tmp.AAAAAA"
ok fifo_at_the_temp_name_does_not_hang_vm_o runs 0 "" $vm_o "$h/f.xml"
ok that_fifo_is_left_alone test -p "$h/f.xml.gpuhelper-tmp.AAAAAA"
as_user "mkfifo $h/fifo.xml"
ok fifo_as_output_is_refused_naming_it \
	runs 3 "$h/fifo.xml: not a regular file" $vm_o "$h/fifo.xml"

# --- symbolic links: to /dev/zero, to a file of root's
as_user "ln -s /dev/zero $h/zero.xml"
ok o_through_symlink_to_dev_zero_is_refused_unread \
	runs 3 "$h/zero.xml: it is a symbolic link" $vm_o "$h/zero.xml"
printf "root's\n" >"$tmp/config"
as_user "ln -s $tmp/config $h/cfg.aml"
"$gh" acpi battery -o "$h/cfg.aml" >"$tmp/link.out" 2>&1
echo $? >"$tmp/link.rc"
ok o_through_symlink_to_roots_file_changes_neither \
	sh -c "cat '$tmp/link.out'; grep -qx 3 '$tmp/link.rc' && [ -L '$h/cfg.aml' ] && grep -qx \"root's\" '$tmp/config'"

# --- reads: a FIFO or a device where a file is expected; a real pipe
as_user "mkfifo $h/rom.fifo"
ok vbios_info_of_a_fifo_is_refused_without_hanging \
	runs 3 "$h/rom.fifo: not a regular file" "$gh" vbios info "$h/rom.fifo"
ok lint_of_dev_zero_is_refused runs 3 "/dev/zero: cannot read: not a regular file" \
	"$gh" lint /dev/zero
ok vm_from_stdin_pipe_still_works \
	sh -c "cat '$seed' | '$gh' vm --profile r720 --from /dev/stdin 2>/dev/null | grep -q '<name>Win10</name>'"

[ $n -eq $plan ] || echo "# rootwrite.t: $n results for a plan of $plan"
[ $fails -eq 0 ]
