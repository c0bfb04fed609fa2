#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The libvirt hook (packaging/libvirt/gpuhelper-hook, which execs
# "gpuhelper hook qemu") run as libvirt runs it: DOMAIN OPERATION SUB-OP
# EXTRA, the domain XML on stdin. It acts on a fake tree under
# GPUHELPER_ROOT: the module's class directory (state, role, blockers of
# the dGPU 0000:01:00.0 and its audio function 0000:01:00.1), their
# drivers, and the hook's own files (records, allow files, prior states).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="$top/userspace/gpuhelper"
hook="$top/packaging/libvirt/gpuhelper-hook"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
. "$top/tests/lib/ktap.sh"
umask 022

D=0000:01:00.0
A=0000:01:00.1
root=$tmp/root
rec=$root/var/lib/gpuhelper/domains
allowd=$root/etc/gpuhelper/hook-allow.d
prior=$root/run/gpuhelper/libvirt

# fn BDF ROLE STATE DRIVER: a function gpuhelper tracks
fn() {
	mkdir -p "$root/sys/class/gpuhelper/$1" "$root/sys/bus/pci/devices/$1"
	echo "$2" >"$root/sys/class/gpuhelper/$1/role"
	echo "$3" >"$root/sys/class/gpuhelper/$1/state"
	: >"$root/sys/class/gpuhelper/$1/blockers"
	ln -s "../../../../bus/pci/drivers/$4" "$root/sys/bus/pci/devices/$1/driver"
}
# fresh DGPU-STATE AUDIO-STATE: a new tree, nothing recorded
fresh() {
	rm -rf "$root"
	mkdir -p "$root"
	if [ "$1" = host ]; then fn $D dgpu host nvidia; else fn $D dgpu "$1" gpuhelper; fi
	if [ "$2" = host ]; then fn $A audio host snd_hda_intel; else fn $A audio "$2" gpuhelper; fi
}
record() { mkdir -p "$rec" && printf 'dgpu %s\n' $D >"$rec/$1"; }
allow() { mkdir -p "$allowd" && printf '%s\n' "$2" >>"$allowd/$1"; }
state() { cat "$root/sys/class/gpuhelper/$1/state"; }
states() { echo "$(state $D) $(state $A)"; }
# hook DOMAIN OPERATION XML: run as libvirt runs it; output and status kept
hook() {
	GPUHELPER=${cli:-$gh} GPUHELPER_ROOT=$root sh "$hook" "$1" "$2" begin - <"$3" \
		>"$tmp/stdout" 2>"$tmp/stderr"
	echo $? >"$tmp/rc"
}
# expect RC STATES [TEXT]: the last run's status and stderr, the states now
expect() {
	rc=$(cat "$tmp/rc")
	sed 's/^/stderr: /' "$tmp/stderr"
	[ "$rc" = "$1" ] || { echo "exit status $rc, want $1"; return 1; }
	[ "$(states)" = "$2" ] || { echo "states '$(states)', want '$2'"; return 1; }
	[ $# -lt 3 ] || grep -qF -- "$3" "$tmp/stderr" || { echo "stderr lacks '$3'"; return 1; }
}
# noted DOMAIN [LINE...]: the prior-state file holds those lines; none without
noted() {
	f=$prior/$1
	shift
	if [ $# = 0 ]; then
		[ ! -e "$f" ] || { echo "$f left:"; cat "$f"; return 1; }
		return 0
	fi
	for l; do grep -qx "$l" "$f" 2>/dev/null || { echo "'$l' not in $f"; return 1; }; done
}
# took DOMAIN: the dGPU and its audio function went to vfio, stub noted
took() {
	expect 0 "vfio vfio" && noted "$1" "dgpu $D stub" "audio $A stub"
}
# untouched RC STATES DOMAIN [TEXT]: refused or ignored; nothing moved or noted
untouched() {
	u_rc=$1 u_states=$2 u_dom=$3
	shift 3
	expect "$u_rc" "$u_states" "$@" && noted "$u_dom"
}

# xml NAME HOSTDEV...: a domain passing those hostdevs through
xml() {
	dom=$1
	shift
	printf '%s\n' "<domain type='kvm'><name>$dom</name><memory unit='KiB'>1048576</memory>" \
		"<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>" "$@" \
		"</devices></domain>"
}
addr="domain='0x0000' bus='0x01' slot='0x00' function='0x0'"
# pci MANAGED ADDRESS-ATTRIBUTES: a PCI hostdev with gpuhelper's alias
pci() {
	echo "<hostdev mode='subsystem' type='pci' managed='$1'><source><address $2/></source>" \
		"<alias name='ua-gpuhelper-dgpu'/><rom bar='off'/></hostdev>"
}
audio=$(pci no "domain='0x0000' bus='0x01' slot='0x00' function='0x1'" | sed 's/dgpu/dgpu-audio/')
xml win10 "$(pci no "$addr")" "$audio" >"$tmp/win10.xml"

echo "TAP version 13"
echo "1..19"

# --- prepare notes what it found; release gives exactly that back
fresh stub stub
record win10
hook win10 prepare "$tmp/win10.xml"
ok hook_prepare_notes_states_and_hands_dgpu_to_vfio took win10

# prepare then release; after_prepare: the states in between
cycle() {
	hook "$1" prepare "$2"
	after_prepare=$(states)
	cp "$tmp/stderr" "$tmp/prepare.stderr"
	hook "$1" release "$2"
}
given_back() {
	sed 's/^/prepare: /' "$tmp/prepare.stderr"
	[ "$after_prepare" = "vfio vfio" ] || { echo "after prepare: '$after_prepare'"; return 1; }
	expect 0 "$1" && noted win10
}
fresh stub host
record win10
cycle win10 "$tmp/win10.xml"
ok hook_release_gives_each_function_its_own_state_back given_back "stub host"

fresh host host
record win10
allow win10 'from-host allow'
cycle win10 "$tmp/win10.xml"
ok hook_release_restores_host_state_taken_with_permission given_back "host host"

# --- a dGPU the host is using stays with the host
fresh host stub
record win10
hook win10 prepare "$tmp/win10.xml"
ok hook_refuses_dgpu_in_host_state untouched 1 "host stub" win10 \
	"$D is the host's (state host, driver nvidia)"
hook win10 release "$tmp/win10.xml"
ok hook_release_after_refused_prepare_changes_nothing untouched 0 "host stub" win10

# --- only <hostdev mode='subsystem' type='pci' managed='no'> with a whole address
fresh stub stub
record win10
xml win10 "<hostdev mode='subsystem' type='usb' managed='no'><source><vendor id='0x046d'/>
	<product id='0xc52b'/><address bus='1' device='0'/></source>
	<alias name='ua-gpuhelper-dgpu'/></hostdev>" >"$tmp/usb.xml"
hook win10 prepare "$tmp/usb.xml"
ok hook_ignores_usb_hostdev untouched 0 "stub stub" win10

fresh stub stub
record win10
xml win10 "$(pci yes "$addr")" >"$tmp/managed.xml"
hook win10 prepare "$tmp/managed.xml"
ok hook_ignores_managed_pci_hostdev untouched 0 "stub stub" win10

missing() {
	fresh stub stub
	record win10
	xml win10 "$(pci no "domain='0x0000' slot='0x00' function='0x0'")" >"$tmp/nobus.xml"
	hook win10 prepare "$tmp/nobus.xml"
	untouched 1 "stub stub" win10 "<source><address> has no bus=" || return 1
	xml win10 "$(pci no "domain='0x0000' bus='0x01' slot='0x00'")" >"$tmp/nofn.xml"
	hook win10 prepare "$tmp/nofn.xml"
	untouched 1 "stub stub" win10 "<source><address> has no function="
}
ok hook_refuses_address_missing_an_attribute missing

fresh stub stub
record win10
xml win10 "$(pci no "domain='0x0000' bus='0x01' slot='0x20' function='0x0'")" >"$tmp/slot.xml"
hook win10 prepare "$tmp/slot.xml"
ok hook_refuses_address_out_of_range untouched 1 "stub stub" win10 \
	"<source><address slot='0x20'> is not a PCI slot"

# --- only for domains gpuhelper generated or the admin allowed
fresh stub stub
hook win10 prepare "$tmp/win10.xml"
silent() { untouched 0 "stub stub" win10 && [ ! -s "$tmp/stderr" ]; }
ok hook_ignores_domain_without_record silent

untrusted() {
	fresh stub stub
	record win10
	chmod 0666 "$rec/win10"
	hook win10 prepare "$tmp/win10.xml"
	untouched 1 "stub stub" win10 "chmod go-w $rec/win10" || return 1
	mv "$rec/win10" "$tmp/elsewhere"
	chmod 0644 "$tmp/elsewhere"
	ln -s "$tmp/elsewhere" "$rec/win10"
	hook win10 prepare "$tmp/win10.xml"
	untouched 1 "stub stub" win10 "$rec/win10 is a symbolic link"
}
ok hook_refuses_record_others_could_write untrusted

fresh stub stub
allow mine "dgpu $D"
xml mine "<hostdev mode='subsystem' type='pci' managed='no'><source>
	<address $addr/></source></hostdev>" >"$tmp/mine.xml"
hook mine prepare "$tmp/mine.xml"
ok hook_acts_for_domain_the_admin_allowed took mine

# --- the shell hook: the CLI missing fails the start; no xmllint needed
fresh stub stub
record win10
cli=$tmp/no-such-gpuhelper
hook win10 prepare "$tmp/win10.xml"
unset cli
ok hook_without_cli_fails_the_start_with_the_fix untouched 1 "stub stub" win10 \
	"gpuhelper hook: $tmp/no-such-gpuhelper is missing, so domain 'win10' is not started"
# ... but only for the domains gpuhelper manages: any other one starts
cli=$tmp/no-such-gpuhelper
hook other prepare "$tmp/win10.xml"
unset cli
ok hook_without_cli_lets_other_domains_start untouched 0 "stub stub" other

mkdir -p "$tmp/bin"
GPUHELPER=$gh GPUHELPER_ROOT=$root PATH=$tmp/bin /bin/sh "$hook" win10 prepare begin - \
	<"$tmp/win10.xml" >"$tmp/stdout" 2>"$tmp/stderr"
echo $? >"$tmp/rc"
ok hook_needs_no_xmllint took win10

# libvirt reads a qemu.d hook's output as a changed domain (migrate, restore)
quiet() {
	fresh stub stub
	record win10
	for op in migrate restore prepare release; do
		hook win10 $op "$tmp/win10.xml"
		[ ! -s "$tmp/stdout" ] || { echo "$op wrote:"; cat "$tmp/stdout"; return 1; }
	done
	expect 0 "stub stub"
}
ok hook_writes_nothing_on_stdout quiet

# --- the domain XML: bounded, and the domain's own
fresh stub stub
record win10
{
	echo "<domain type='kvm'><name>win10</name><description>"
	head -c 5000000 /dev/zero | tr '\0' x
	echo "</description><devices>$(pci no "$addr")</devices></domain>"
} >"$tmp/big.xml"
hook win10 prepare "$tmp/big.xml"
ok hook_refuses_domain_xml_over_4_mib untouched 1 "stub stub" win10 "larger than 4 MiB"

xml other "$(pci no "$addr")" >"$tmp/other.xml"
hook win10 prepare "$tmp/other.xml"
ok hook_refuses_xml_of_another_domain untouched 1 "stub stub" win10 \
	"the domain XML on standard input is for 'other', not for 'win10'"

# --- gpuhelper vm records what it generates for this machine
vroot=$tmp/vmroot
cp -R "$top/tests/fixtures/pci/muxed/." "$vroot"
"$gh" vm --root "$vroot" --no-gvt --name win10 -o "$tmp/vm.xml" 2>"$tmp/vm.err"
"$gh" vm --root "$vroot" --no-gvt --profile r720 --name r720 -o "$tmp/r720.xml" 2>/dev/null
vm_records() {
	f=$vroot/var/lib/gpuhelper/domains/win10
	cat "$tmp/vm.err"
	grep -qx "dgpu $D" "$f" || { echo "no 'dgpu $D' in $f"; return 1; }
	[ "$(stat -c '%a %u' "$f")" = "644 $(id -u)" ] || { stat "$f"; return 1; }
	[ ! -e "${f%/*}/r720" ] || { echo "recorded with --profile"; return 1; }
}
ok vm_records_the_domain_it_generates_for_this_machine vm_records

[ "$fails" -eq 0 ]
