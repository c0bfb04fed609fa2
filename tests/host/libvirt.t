#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The generated libvirt domain meets libvirt itself: its QEMU driver, run
# embedded (qemu:///embed, no daemon), defines and starts it (TCG, direct
# kernel boot, headless, no dGPU on this host) and what libvirt says is
# kept in the log; and the libvirt hook hands the dGPU off at prepare and
# back at release (in a copy of a laptop's sysfs, under GPUHELPER_ROOT).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="$top/userspace/gpuhelper"
hook="$top/packaging/libvirt/gpuhelper-hook"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
. "$top/tests/lib/ktap.sh"
echo "TAP version 13"
echo "1..8"

# --- libvirt's QEMU driver starts the generated domain
k=$(ls /boot/vmlinuz-* 2>/dev/null | head -n 1)
"$gh" vm --profile r720 --no-gvt --no-dgpu --accel tcg --headless --memory 256 \
	--vcpus 1 --kernel "$k" --append console=ttyS0 --name ghtest -o "$tmp/d.xml" 2>/dev/null
mkdir -p "$tmp/lv/etc/qemu"
# root runs QEMU, no virtlogd: the embedded driver has no daemons around it
printf 'stdio_handler = "file"\nuser = "root"\ngroup = "root"\nnamespaces = [ ]\n' \
	| tee "$tmp/lv/etc/qemu.conf" >"$tmp/lv/etc/qemu/qemu.conf"
timeout 120 virsh -c "qemu:///embed?root=$tmp/lv" \
	"define $tmp/d.xml; start ghtest; domstate ghtest; destroy ghtest; undefine ghtest" \
	>"$tmp/virsh.log" 2>&1
sed 's/^/# virsh: /' "$tmp/virsh.log"
ok libvirt_qemu_driver_defines_generated_domain grep -q "Domain 'ghtest' defined" "$tmp/virsh.log"
ok libvirt_qemu_driver_starts_generated_domain sh -c \
	"grep -q \"Domain 'ghtest' started\" $tmp/virsh.log && grep -qx running $tmp/virsh.log"

# --- the domain's dGPU is managed='no': gpuhelper moves it, not libvirt
"$gh" vm --profile r720 --no-gvt --with-audio -o "$tmp/r720.xml" 2>/dev/null
ok generated_dgpu_hostdev_is_managed_no sh -c \
	"[ \"\$(xmllint --xpath 'string(//hostdev[alias/@name=\"ua-gpuhelper-dgpu\"]/@managed)' $tmp/r720.xml)\" = no ]"

# --- the hook, on the domain gpuhelper vm generated for this machine: a
# copy of the muxed laptop's sysfs with gpuhelper's class directory added
# (GPUHELPER_ROOT), where gpuhelper vm records the domain and the hook
# moves the dGPU and its audio function as the module would (tests/host/hook.t)
root=$tmp/root
cp -R "$top/tests/fixtures/pci/muxed/." "$root"
for f in 0000:01:00.0:dgpu 0000:01:00.1:audio; do
	c=$root/sys/class/gpuhelper/${f%:*}
	mkdir -p "$c" && echo "${f##*:}" >"$c/role" && echo stub >"$c/state" && : >"$c/blockers"
done
"$gh" vm --root "$root" --no-gvt --with-audio --name win10 -o "$tmp/win10.xml" 2>/dev/null
run_hook() { GPUHELPER="$gh" GPUHELPER_ROOT="$root" sh "$hook" "$1" "$2" begin - <"$3"; }
state() { cat "$root/sys/class/gpuhelper/$1/state"; }
states() { echo "$(state 0000:01:00.0) $(state 0000:01:00.1)"; }
states_are() { [ "$(states)" = "$1" ] || { echo "states: $(states), want $1"; return 1; }; }
run_hook win10 prepare "$tmp/win10.xml"
ok hook_prepare_hands_dgpu_to_vfio states_are 'vfio vfio'
run_hook win10 started "$tmp/win10.xml"
run_hook win10 stopped "$tmp/win10.xml"
running=$(states)
run_hook win10 release "$tmp/win10.xml"
ok hook_release_hands_dgpu_back_to_stub states_are 'stub stub'
run_hook Win10 prepare "$top/tests/fixtures/domains/seed-win10.xml"
ignored() {
	[ "$running" = 'vfio vfio' ] || { echo "after started, stopped: $running"; return 1; }
	states_are 'stub stub'
}
ok hook_ignores_other_operations_and_foreign_domains ignored
blockers=$root/sys/class/gpuhelper/0000:01:00.0/blockers
echo '0000:00:1f.3 bound to snd_hda_intel shares IOMMU group 1: hand it off too' >"$blockers"
run_hook win10 prepare "$tmp/win10.xml" 2>/dev/null
rc_v=$?
run_hook win10 release "$tmp/win10.xml" 2>/dev/null
rc_s=$?
ok hook_failed_handoff_to_vfio_fails_the_start sh -c "[ $rc_v = 1 ]"
ok hook_failed_handback_does_not_fail_the_shutdown sh -c "[ $rc_s = 0 ]"
[ "$fails" -eq 0 ]
