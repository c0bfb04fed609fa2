#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# gpuhelper vm's screen and input (issue 18) against programs nobody here
# wrote: every generated domain (both stages, Looking Glass in both
# forms, evdev) passes virt-xml-validate (libvirt's schema) and defines
# on libvirt's test driver; --from switches the seed guide's domain
# between the stages and back to the same file; QEMU itself runs the
# --format qemu Looking Glass device and reports its BAR2 (QMP
# query-pci) at the size of Looking Glass's formula.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="$top/userspace/gpuhelper"
seed="$top/tests/fixtures/domains/seed-win10.xml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

. "$top/tests/lib/ktap.sh"

valid() { virt-xml-validate "$1" domain && virsh -q -c test:///default define "$1"; }
q="namespace-uri()='http://libvirt.org/schemas/domain/qemu/1.0'"

echo "TAP version 13"
echo "1..22"

# a root with udev's names for a USB keyboard and mouse, and a laptop's
root=$tmp/root
mkdir -p "$root/dev/input/by-id" "$root/dev/input/by-path"
for f in usb-Logitech_USB_Receiver-event-kbd usb-Logitech_USB_Receiver-if01-event-mouse \
	 usb-Logitech_USB_Receiver-if01-mouse; do
	: >"$root/dev/input/by-id/$f"
done
: >"$root/dev/input/by-path/platform-i8042-serio-0-event-kbd"
kbd=/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd
mouse=/dev/input/by-id/usb-Logitech_USB_Receiver-if01-event-mouse
export GPUHELPER_ROOT="$root"

"$gh" vm --profile r720 --stage install -o "$tmp/install.xml" 2>/dev/null
"$gh" vm --profile r720 --stage final --looking-glass=2560x1440 --evdev -o "$tmp/final.xml" 2>"$tmp/final.err"
"$gh" vm --profile r720 --looking-glass-kvmfr --evdev="$kbd" --grab-toggle scrolllock \
	-o "$tmp/kvmfr.xml" 2>/dev/null
"$gh" vm --profile r720 --no-gvt --stage install --looking-glass -o "$tmp/nogvt.xml" 2>/dev/null
for f in install final kvmfr nogvt; do
	ok "display_${f}_validates_and_defines" valid "$tmp/$f.xml"
done

ok display_install_stage_vgpu_display_off_qxl_spice_without_gl sh -c "
	$(command -v xmllint) --xpath 'string(//hostdev[@type=\"mdev\"]/@display)' $tmp/install.xml | grep -qx off &&
	! grep -q 'ramfb=' $tmp/install.xml && ! grep -q '<gl ' $tmp/install.xml &&
	! grep -q 'name=\"xres\"' $tmp/install.xml &&
	$(command -v xmllint) --xpath 'string(//video/model/@type)' $tmp/install.xml | grep -qx qxl &&
	$(command -v xmllint) --xpath 'string(//graphics/@type)' $tmp/install.xml | grep -qx spice"
ok display_final_stage_vgpu_display_on_ramfb_gl_no_video xp "$tmp/final.xml" \
	"concat(//hostdev[@type='mdev']/@display, ' ', //hostdev[@type='mdev']/@ramfb, ' ', //graphics/gl/@enable, ' ', //video/model/@type)" \
	"on on yes none"
ok display_final_shmem_64_mib_for_2560x1440 xp "$tmp/final.xml" \
	"concat(//shmem[@name='looking-glass']/model/@type, ' ', //shmem/size, ' ', //shmem/size/@unit)" \
	"ivshmem-plain 64 M"
ok display_evdev_picks_by_id_keyboard_with_grab_and_mouse xp "$tmp/final.xml" \
	"concat(//input[@type='evdev'][1]/source/@dev, ' ', //input[@type='evdev'][1]/source/@grab, ' ', //input[@type='evdev'][1]/source/@grabToggle, ' ', //input[@type='evdev'][2]/source/@dev)" \
	"$kbd all ctrl-ctrl $mouse"
ok display_kvmfr_memory_backend_on_dev_kvmfr0_32m xp "$tmp/kvmfr.xml" \
	"string(//*[$q and local-name()='arg'][preceding-sibling::*[1][@value='-object']]/@value)" \
	"memory-backend-file,id=gpuhelper-lg,mem-path=/dev/kvmfr0,size=32M,share=on"
ok display_evdev_given_keyboard_only_and_toggle xp "$tmp/kvmfr.xml" \
	"concat(count(//input[@type='evdev']), ' ', //input[@type='evdev']/source/@grabToggle)" "1 scrolllock"
ok display_hints_name_the_tmpfiles_rule grep -q "f /dev/shm/looking-glass 0660 USER kvm -" "$tmp/final.err"

# --from: the seed's domain to the install stage and back gives what
# --from gives straight; everything but the screen is the seed's
"$gh" vm --profile r720 --from "$seed" -o "$tmp/s-final.xml" 2>/dev/null
"$gh" vm --profile r720 --from "$seed" --stage install -o "$tmp/s-install.xml" 2>/dev/null
"$gh" vm --profile r720 --from "$tmp/s-install.xml" --stage final -o "$tmp/s-back.xml" 2>/dev/null
"$gh" vm --profile r720 --from "$tmp/s-final.xml" --stage install -o "$tmp/s-again.xml" 2>/dev/null
ok display_from_seed_install_stage_validates valid "$tmp/s-install.xml"
ok display_from_install_to_final_equals_from_seed cmp "$tmp/s-back.xml" "$tmp/s-final.xml"
ok display_from_final_to_install_equals_from_seed cmp "$tmp/s-again.xml" "$tmp/s-install.xml"
ok display_from_keeps_the_seeds_disk_nic_and_channel xp "$tmp/s-install.xml" \
	"concat(//disk[@device='disk']/source/@file, ' ', //interface/source/@bridge, ' ', //channel/@type)" \
	"/var/lib/libvirt/images/Win10.img br0 spicevmc"
# without the options, --from keeps the domain's Looking Glass and evdev
"$gh" vm --profile r720 --from "$tmp/final.xml" --stage install -o "$tmp/f-install.xml" 2>/dev/null
ok display_from_keeps_shmem_and_evdev_not_asked_for xp "$tmp/f-install.xml" \
	"concat(//shmem/size, ' ', count(//input[@type='evdev']), ' ', //video/model/@type)" "64 2 qxl"

# lint: what vm writes passes the new rules, an edit fails them
rules() { "$gh" lint --libvirt 9.0 --profile r720 "$1" | grep -E "GH02[678]" | tr -s ' ' | tr '\n' ';'; }
ok display_lint_judges_the_generated_domains sh -c "
	[ \"$(rules "$tmp/final.xml")\" = 'pass GH026 ivshmem-size;pass GH027 evdev-exists;n/a GH028 one-stage;' ] &&
	[ \"$(rules "$tmp/install.xml")\" = 'n/a GH026 ivshmem-size;n/a GH027 evdev-exists;pass GH028 one-stage;' ]"
sed 's|<size unit="M">64</size>|<size unit="M">32</size>|' "$tmp/final.xml" >"$tmp/small.xml"
rm "$root$mouse"
ok display_lint_fails_a_small_shmem_and_a_missing_mouse sh -c "
	\"$gh\" lint --libvirt 9.0 --profile r720 $tmp/small.xml >$tmp/small.lint; cat $tmp/small.lint;
	grep -q 'fail GH026' $tmp/small.lint && grep -q 'fail GH027' $tmp/small.lint"
ok display_evdev_without_devices_names_the_option sh -c "
	! GPUHELPER_ROOT=$tmp/none \"$gh\" vm --profile r720 --evdev -o $tmp/none.xml 2>$tmp/none.err;
	cat $tmp/none.err; grep -q -- '--evdev=KEYBOARD\[,MOUSE\]' $tmp/none.err"
ok display_evdev_falls_back_to_by_path sh -c "
	rm $root/dev/input/by-id/*event-kbd;
	\"$gh\" vm --profile r720 --evdev --format qemu 2>/dev/null |
	grep -q 'evdev=/dev/input/by-path/platform-i8042-serio-0-event-kbd,grab_all=on'"

# QEMU runs the script's Looking Glass device: its BAR2 is the formula's
# 16 MiB for 800x600 (the shm file moved into the scratch directory)
k=$(ls /boot/vmlinuz-* 2>/dev/null | head -n 1)
"$gh" vm --profile r720 --no-gvt --no-dgpu --accel tcg --headless --memory 256 --vcpus 1 \
	--kernel "$k" --looking-glass=800x600 --format qemu -o "$tmp/lg.sh" 2>/dev/null
sed -i "s|mem-path=/dev/shm/looking-glass|mem-path=$tmp/lg-shm|" "$tmp/lg.sh"
printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"query-pci"}' '{"execute":"quit"}' |
	timeout 20 sh "$tmp/lg.sh" -S -monitor none -serial none -qmp stdio >"$tmp/qmp.out" 2>&1
# the device's object, from its qdev_id to the end of its regions list
grep -o '"qdev_id": "ua-gpuhelper-lg"[^]]*]' "$tmp/qmp.out" >"$tmp/lg.dev"
grep -o '{[^{}]*"bar": 2[,}][^{}]*}' "$tmp/lg.dev" >"$tmp/lg.bar2"
ok display_qemu_ivshmem_1af4_1110_bar2_is_16_mib sh -c "[ -n '$k' ] && head -c 600 $tmp/qmp.out && echo &&
	cat $tmp/lg.dev && grep -q '\"device\": 4368,' $tmp/lg.dev && grep -q '\"vendor\": 6900,' $tmp/lg.dev &&
	grep -q '\"size\": 16777216[,}]' $tmp/lg.bar2"

# with the dGPU and the vGPU: the device QEMU addresses itself comes after
# every device that names its slot (QEMU takes the first free slot when
# it meets it: before the root port it took 00:01.0, in the e2e)
"$gh" vm --profile r720 --looking-glass --format qemu -o "$tmp/full.sh" 2>/dev/null
ok display_qemu_ivshmem_after_every_addressed_device sh -c "
	lg=\$(grep -n 'ivshmem-plain' $tmp/full.sh | cut -d: -f1);
	last=\$(grep -n 'addr=0x' $tmp/full.sh | tail -n 1 | cut -d: -f1);
	grep -q 'addr=0x1.0x0' $tmp/full.sh && [ -n \"\$lg\" ] && [ \"\$lg\" -gt \"\$last\" ]"

exit $((fails > 0))
