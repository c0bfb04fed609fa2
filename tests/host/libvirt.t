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
echo "1..12"

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

# --- each libvirt generation's way of setting the dGPU's QEMU properties,
# started for real on this libvirt (9.0, QEMU 7.2, JSON -device): the
# generated domain with the dGPU's <hostdev> swapped for an emulated
# e1000e carrying its alias, and the dGPU's subsystem IDs renamed to the
# e1000e's own (subsys_ven, subsys); QEMU's qtree then shows whether they
# arrived. 9.0 (<qemu:override>, 8.2 and later) and 8.1 (-set with
# <qemu:del capability='device.json+hotplug'/>) must start with them set;
# the plain -set lines written for 7.8 and older must not, here: that is
# the failure the capability deletion avoids. (7.9-8.0's 'device.json'
# deletion is a no-op name on 9.0: checked by schema and lint in vm.t.)
"$gh" acpi battery -o "$tmp/bat.aml" >/dev/null
for v in 9.0 8.1 7.8; do
	"$gh" vm --profile r720 --no-gvt --accel tcg --headless --memory 256 --vcpus 1 \
		--kernel "$k" --append console=ttyS0 --name "gen$v" --libvirt "$v" \
		--acpi-table "$tmp/bat.aml" -o "$tmp/gen$v.xml" 2>/dev/null
	sed -e '/<hostdev /,/<\/hostdev>/d' \
	    -e "s#</devices>#<interface type='user'><model type='e1000e'/><alias name='ua-gpuhelper-dgpu'/><address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></interface></devices>#" \
	    -e '/value="-set"/{N;/x-pci-vendor-id\|x-pci-device-id/d;}' \
	    -e '/name="x-pci-vendor-id"\|name="x-pci-device-id"/d' \
	    -e 's/x-pci-sub-vendor-id/subsys_ven/; s/x-pci-sub-device-id/subsys/' \
	    "$tmp/gen$v.xml" >"$tmp/start$v.xml"
done
for v in 9.0 8.1 7.8; do
	timeout 120 virsh -c "qemu:///embed?root=$tmp/lv" "define $tmp/start$v.xml; start gen$v; \
		qemu-monitor-command gen$v --hmp 'info qtree'; destroy gen$v; undefine gen$v" \
		>"$tmp/gen$v.log" 2>&1
	grep -i "started\|error\|subsys" "$tmp/gen$v.log" | sed "s/^/# $v: /"
done
props_set() {
	grep -q "Domain 'gen$1' started" "$tmp/gen$1.log" &&
	grep -q 'subsys_ven = 6058 (0x17aa)' "$tmp/gen$1.log" &&
	grep -q 'subsys = 14801 (0x39d1)' "$tmp/gen$1.log"
}
ok libvirt_9_0_override_form_starts_with_the_properties props_set 9.0
ok libvirt_8_1_set_form_with_capability_del_starts_with_the_properties props_set 8.1
ok libvirt_plain_set_form_is_refused_by_json_device_qemu sh -c \
	"! grep -q \"Domain 'gen7.8' started\" $tmp/gen7.8.log && grep -q 'there is no device' $tmp/gen7.8.log"
"$gh" vm --probe --json --connect "qemu:///embed?root=$tmp/lv" >"$tmp/probe.json" 2>&1
ok vm_probe_reads_versions_and_domain_capabilities_from_libvirt sh -c \
	"cat $tmp/probe.json; grep -q '\"libvirt\":\"9\\.0\\.' $tmp/probe.json &&
	 grep -q '\"domcaps\":true' $tmp/probe.json && grep -q '\"hostdev_pci\":true' $tmp/probe.json &&
	 grep -q '\"insecure\":true' $tmp/probe.json"

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
