#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# gpuhelper vm on the r720 profile: every generated domain must pass
# virt-xml-validate (libvirt's own schema) and define on libvirt's test
# driver, from scratch and --from the seed guide's domain, with and
# without GVT-g; then the guide's facts are checked with XPath.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="$top/userspace/gpuhelper"
seed="$top/tests/fixtures/domains/seed-win10.xml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

. "$top/tests/lib/ktap.sh"

# defines FILE: libvirt's test driver accepts the domain
defines() {
	virsh -q -c test:///default define "$1"
}
has() { grep -q -- "$2" "$1" || { echo "'$2' not in $1"; return 1; }; }
hasnt() { ! grep -q -- "$2" "$1" || { echo "'$2' in $1"; return 1; }; }

q="namespace-uri()='http://libvirt.org/schemas/domain/qemu/1.0'"

echo "TAP version 13"
echo "1..59"

# --- the SSDTs: vm lists a complete set or none (issue 16). Everything
# below runs under a root whose /var/lib/gpuhelper vm filled from --rom.
cc -O2 -o "$tmp/mkrom" "$top/tests/lib/mkrom.c" || { echo "Bail out! mkrom"; exit 1; }
"$tmp/mkrom" -s 12 -x 4 -i 10de:1c8d -S 3 "$tmp/rom"
mkdir -p "$tmp/empty"
"$gh" vm --root "$tmp/empty" --profile r720 -o "$tmp/refused.xml" 2>"$tmp/refused.err"
ok vm_lists_no_vbios_table_without_a_set_and_prints_the_command sh -c "cat $tmp/refused.err;
	! grep -q ssdt-vbios $tmp/refused.xml &&
	grep -q \"run 'gpuhelper acpi vbios --rom VBIOS.rom -o /var/lib/gpuhelper'\" $tmp/refused.err"
mkdir -p "$tmp/half/var/lib/gpuhelper"
"$gh" acpi vbios --rom "$tmp/rom" -o "$tmp/half/var/lib/gpuhelper" >/dev/null
rm "$tmp/half/var/lib/gpuhelper/ssdt-vbios-rom.aml"
"$gh" vm --root "$tmp/half" --profile r720 -o "$tmp/half.xml" 2>/dev/null
"$gh" lint -q --root "$tmp/half" --profile r720 "$tmp/half.xml" >"$tmp/half.lint"
ok vm_never_lists_the_data_tables_without_the_rom_method sh -c "cat $tmp/half.lint;
	! grep -q ssdt-vbios $tmp/half.xml && grep -q GH011 $tmp/half.lint"
troot=$tmp/troot
"$gh" vm --root "$troot" --profile r720 --rom "$tmp/rom" -o "$tmp/rom.xml" 2>"$tmp/rom.err"
ok vm_rom_writes_the_complete_set_and_lint_passes sh -c "cat $tmp/rom.err;
	ls $troot/var/lib/gpuhelper/ssdt-battery.aml $troot/var/lib/gpuhelper/ssdt-vbios-00.aml $troot/var/lib/gpuhelper/ssdt-vbios-rom.aml &&
	grep -q 'file=/var/lib/gpuhelper/ssdt-vbios-rom.aml' $tmp/rom.xml &&
	$gh lint -q --root $troot --profile r720 $tmp/rom.xml"
# this machine's dGPU: gpuhelper.ko's shadow under the root is the source
sroot=$tmp/sroot
mkdir -p "$sroot/sys/class/gpuhelper/0000:01:00.0"
cp -R "$top/userspace/profiles/r720/sys/." "$sroot/sys"
cp "$tmp/rom" "$sroot/sys/class/gpuhelper/0000:01:00.0/vbios"
"$gh" vm --root "$sroot" --libvirt 9.0 -o "$tmp/shadow.xml" 2>"$tmp/shadow.err"
ok vm_writes_the_ssdts_from_the_modules_shadow sh -c "cat $tmp/shadow.err;
	grep -q 'wrote 2 SSDTs for the 12288-byte vBIOS of $sroot/sys/class/gpuhelper/0000:01:00.0/vbios' $tmp/shadow.err &&
	$gh lint -q --root $sroot $tmp/shadow.xml"
export GPUHELPER_ROOT="$troot"

"$gh" vm --profile r720 -o "$tmp/gvt.xml" 2>"$tmp/gvt.err"
"$gh" vm --profile r720 --no-gvt -o "$tmp/nogvt.xml" 2>/dev/null
"$gh" vm --profile r720 --from "$seed" -o "$tmp/from-gvt.xml" 2>/dev/null
"$gh" vm --profile r720 --from "$seed" --no-gvt -o "$tmp/from-nogvt.xml" 2>/dev/null

for f in gvt nogvt from-gvt from-nogvt; do
	ok "vm_${f}_passes_virt_xml_validate" virt-xml-validate "$tmp/$f.xml" domain
	ok "vm_${f}_defines_on_the_test_driver" defines "$tmp/$f.xml"
done

ok vm_dgpu_at_guest_01_00_0_with_rom_bar_off sh -c "
	$(command -v xmllint) --xpath 'string(//hostdev[@type=\"pci\"]/address/@bus)' $tmp/gvt.xml | grep -qx 0x01 &&
	$(command -v xmllint) --xpath 'string(//hostdev[@type=\"pci\"]/address/@slot)' $tmp/gvt.xml | grep -qx 0x00 &&
	$(command -v xmllint) --xpath 'string(//hostdev[@type=\"pci\"]/rom/@bar)' $tmp/gvt.xml | grep -qx off"
ok vm_root_port_index_1_at_00_01_0_chassis_1_port_0x10 sh -c "
	x=\$($(command -v xmllint) --xpath 'concat(//controller[@index=\"1\"]/@model,\" \",//controller[@index=\"1\"]/address/@slot,\" \",//controller[@index=\"1\"]/address/@function,\" \",//controller[@index=\"1\"]/target/@chassis,\" \",//controller[@index=\"1\"]/target/@port)' $tmp/gvt.xml)
	[ \"\$x\" = 'pcie-root-port 0x01 0x0 1 0x10' ] || { echo \"\$x\"; exit 1; }"
ok vm_hides_the_hypervisor xp "$tmp/gvt.xml" \
	'concat(//hyperv/vendor_id/@state,//kvm/hidden/@state,//vmport/@state,//os/type/@machine)' \
	'ononoffq35'
ok vm_gvt_mdev_display_ramfb_spice_gl_no_video xp "$tmp/gvt.xml" \
	'concat(//hostdev[@type="mdev"]/@display,//hostdev[@type="mdev"]/@ramfb,//graphics/gl/@enable,//video/model/@type)' \
	'ononyesnone'
ok vm_override_subsystem_ids_unsigned_decimal xp "$tmp/gvt.xml" \
	"concat(//*[$q and local-name()='property' and @name='x-pci-sub-vendor-id']/@value,':',//*[$q and local-name()='property' and @name='x-pci-sub-device-id']/@type,':',//*[$q and local-name()='property' and @name='x-pci-sub-device-id']/@value)" \
	'6058:unsigned:14801'
ok vm_override_aliases_are_user_aliases_on_devices sh -c "
	for a in \$($(command -v xmllint) --xpath \"//*[$q and local-name()='device']/@alias\" $tmp/gvt.xml | sed 's/alias=//g; s/\"//g'); do
		case \$a in ua-*) ;; *) echo \"\$a lacks ua-\"; exit 1;; esac
		[ \"\$($(command -v xmllint) --xpath \"count(//devices/*/alias[@name='\$a'])\" $tmp/gvt.xml)\" = 1 ] || { echo \"no device has alias \$a\"; exit 1; }
	done"
ok vm_gvt_overrides_opregion_and_resolution xp "$tmp/gvt.xml" \
	"concat(//*[$q and local-name()='property' and @name='x-igd-opregion']/@value,' ',//*[$q and local-name()='property' and @name='xres']/@value,'x',//*[$q and local-name()='property' and @name='yres']/@value)" \
	'true 1920x1080'
ok vm_ssdts_as_acpitable_for_libvirt_9_0 sh -c "grep -c 'file=/var/lib/gpuhelper/ssdt-' $tmp/gvt.xml | grep -qx 3"

# --from: the user's disks, NICs and name stay; the seed's -set lines go
ok vm_from_keeps_name_disks_and_nic xp "$tmp/from-gvt.xml" \
	'concat(/domain/name,count(//disk),//interface/mac/@address,//disk[1]/source/@file)' \
	'Win10252:54:00:b0:65:5a/var/lib/libvirt/images/Win10.img'
ok vm_from_drops_set_device_hostdevN hasnt "$tmp/from-gvt.xml" 'device.hostdev'
# the SSDTs give the _ROM: the guide's patched OVMF goes (vm-from.t)
ok vm_from_replaces_the_patched_ovmf_once_ssdts_give_rom xp "$tmp/from-gvt.xml" 'string(//os/loader)' \
	'/usr/share/OVMF/OVMF_CODE_4M.fd'
ok vm_from_one_root_port_and_no_stale_pci_addresses xp "$tmp/from-gvt.xml" \
	"concat(count(//controller[@type='pci']),' ',count(//address[@type='pci']))" '2 3'

# every headless "none" video goes when a display comes back, and a
# second patch of the result changes nothing (found by domain_fuzz)
printf '%s' "<domain type='kvm'><name>w</name><devices><video><model type='none'/></video><video><model type='none'/></video></devices></domain>" \
	>"$tmp/twovid-in.xml"
"$gh" vm --profile r720 --no-gvt --from "$tmp/twovid-in.xml" -o "$tmp/twovid.xml" 2>/dev/null
"$gh" vm --profile r720 --no-gvt --from "$tmp/twovid.xml" -o "$tmp/twovid2.xml" 2>/dev/null
ok vm_from_two_none_videos_one_qxl_and_idempotent sh -c "
	[ \"\$(xmllint --xpath 'concat(count(//video),//video/model/@type)' $tmp/twovid.xml)\" = 1qxl ] &&
	cmp $tmp/twovid.xml $tmp/twovid2.xml"

# libvirt reads every <qemu:commandline>/<qemu:override>: a stale -set in
# a second block (its prefix declared on itself) goes too, the user's
# env and override device stay, and one block of each is left
"$gh" vm --profile r720 --no-gvt --from "$top/tests/fixtures/domains/two-qemu-blocks.xml" \
	-o "$tmp/twoblk.xml" 2>/dev/null
ok vm_from_merges_qemu_blocks_and_drops_stale_set_lines sh -c "
	hasnt() { ! grep -q -- \"\$2\" \"\$1\"; }
	hasnt $tmp/twoblk.xml device.hostdev0 && hasnt $tmp/twoblk.xml /old.aml &&
	[ \"\$(xmllint --xpath \"concat(count(/domain/*[$q][local-name()='commandline']),count(/domain/*[$q][local-name()='override']),count(//*[$q][local-name()='env']),count(//*[$q][@alias='ua-mine']))\" $tmp/twoblk.xml)\" = 1111 ] &&
	virt-xml-validate $tmp/twoblk.xml >/dev/null"

# the target libvirt decides the syntax
"$gh" vm --profile r720 --libvirt 8.1 -o "$tmp/old.xml" 2>/dev/null
ok vm_libvirt_8_1_gets_set_lines_no_override sh -c "grep -q 'device.ua-gpuhelper-dgpu.x-pci-sub-vendor-id=0x17aa' $tmp/old.xml && ! grep -q 'qemu:override' $tmp/old.xml && virt-xml-validate $tmp/old.xml"
"$gh" vm --profile r720 --libvirt 11.2 -o "$tmp/new.xml" 2>/dev/null
ok vm_libvirt_11_2_gets_raw_acpi_tables xp "$tmp/new.xml" \
	"concat(count(//os/acpi/table[@type='raw']),count(//*[$q and @value='-acpitable']))" '30'
"$gh" vm --profile r720 --no-gvt --no-dgpu -o "$tmp/bare.xml" 2>/dev/null
ok vm_never_emits_empty_qemu_elements sh -c "! grep -q 'qemu:' $tmp/bare.xml && virt-xml-validate $tmp/bare.xml"
"$gh" vm --profile r720 --acpi-table /a.aml --acpi-table /b.aml -o "$tmp/tables.xml" 2>/dev/null
ok vm_acpi_table_option_replaces_defaults sh -c "grep -q 'file=/a.aml' $tmp/tables.xml && grep -q 'file=/b.aml' $tmp/tables.xml && ! grep -q ssdt-battery $tmp/tables.xml"

"$gh" vm --profile r720 --format qemu >"$tmp/qemu.sh" 2>/dev/null
ok vm_format_qemu_same_topology sh -c "grep -q 'pcie-root-port,id=ua-gpuhelper-rp1,bus=pcie.0,addr=0x1.0x0' $tmp/qemu.sh &&
	grep -q 'vfio-pci,id=ua-gpuhelper-dgpu,host=0000:01:00.0,bus=ua-gpuhelper-rp1,addr=0x0.0x0' $tmp/qemu.sh &&
	grep -q 'x-pci-sub-vendor-id=0x17aa,x-pci-sub-device-id=0x39d1' $tmp/qemu.sh &&
	grep -q 'x-igd-opregion=on' $tmp/qemu.sh && grep -q -- '-acpitable' $tmp/qemu.sh"

"$gh" vm --profile r720 --gvt --root / --profile "$top/tests/fixtures/pci/tigerlake" >/dev/null 2>"$tmp/tgl.err"
rc=$?
ok vm_gvt_on_gen12_is_refused_with_sriov_hint sh -c "[ $rc = 2 ] && grep -q 'SR-IOV' $tmp/tgl.err"

mroot=$tmp/mroot
cp -R "$top/tests/fixtures/pci/muxed/." "$mroot"
cp -R "$troot/var" "$mroot"
"$gh" vm --root "$mroot" --no-gvt >/dev/null 2>"$tmp/muxed.err"
ok vm_warns_about_audio_in_the_group has "$tmp/muxed.err" \
	'0000:01:00.0 is in IOMMU group 1 with 0000:01:00.1 (snd_hda_intel): hand it off too, or pass --with-audio'

for f in gvt nogvt from-gvt from-nogvt; do
	ok "vm_${f}_passes_gpuhelper_lint" "$gh" lint -q --profile r720 "$tmp/$f.xml"
done
# the seed's battery table, /ssdt1.dat, under the root lint reads it from
cp "$troot/var/lib/gpuhelper/ssdt-battery.aml" "$troot/ssdt1.dat"
"$gh" lint -q "$seed" >/dev/null; rc90=$?
"$gh" lint -q --libvirt 7.0 "$seed" >/dev/null; rc70=$?
ok lint_exit_status_seed_fails_on_9_0_passes_on_7_0 sh -c "[ $rc90 = 1 ] && [ $rc70 = 0 ]"

# Emulation and test-boot options: the libvirt form is valid and defines,
# the QEMU script is one QEMU itself accepts (run frozen with -S, killed
# after 3 s: an argument error would end it at once with status 1).
"$gh" vm --profile r720 --no-gvt --accel tcg --hide-hypervisor --headless \
	--subsystem 17aa:39d2 --kernel /boot/vmlinuz --initrd /boot/initrd.img \
	--append 'console=ttyS0' -o "$tmp/tcg.xml" 2>/dev/null
ok vm_tcg_headless_kernel_boot_validates_and_defines sh -c "virt-xml-validate $tmp/tcg.xml && virsh -q -c test:///default define $tmp/tcg.xml"
ok vm_tcg_is_domain_type_qemu_with_maximum_cpu sh -c "xp() { [ \"\$(xmllint --xpath \"\$2\" \$1)\" = \"\$3\" ]; }
	xp $tmp/tcg.xml 'string(/domain/@type)' qemu && xp $tmp/tcg.xml 'string(/domain/cpu/@mode)' maximum"
ok vm_hide_hypervisor_disables_the_cpuid_bit xp "$tmp/tcg.xml" \
	"string(/domain/cpu/feature[@name='hypervisor']/@policy)" disable
ok vm_kernel_boot_replaces_ovmf_and_disk sh -c "xmllint --xpath 'string(/domain/os/kernel)' $tmp/tcg.xml | grep -qx /boot/vmlinuz &&
	! grep -q '<loader' $tmp/tcg.xml && ! grep -q '<disk' $tmp/tcg.xml"
ok vm_subsystem_option_is_what_gets_spoofed xp "$tmp/tcg.xml" \
	"string(//*[local-name()='property'][@name='x-pci-sub-device-id']/@value)" 14802

k=$(ls /boot/vmlinuz-* 2>/dev/null | head -n 1)
"$gh" vm --profile r720 --no-gvt --no-dgpu --accel tcg --hide-hypervisor --headless \
	--memory 256 --vcpus 1 --kernel "$k" --append 'console=ttyS0' \
	--format qemu -o "$tmp/tcg.sh" 2>/dev/null
timeout 3 sh "$tmp/tcg.sh" -S -monitor none -serial none >"$tmp/tcg.out" 2>&1
qrc=$?
ok vm_format_qemu_script_is_accepted_by_qemu sh -c "[ -n '$k' ] && [ $qrc = 124 ] || { cat $tmp/tcg.out; exit 1; }"
ok vm_format_qemu_script_passes_extra_args_on has "$tmp/tcg.sh" '"$@"'
ok vm_tcg_leaves_out_kvm_only_hyperv_enlightenments hasnt "$tmp/tcg.sh" 'hv-'

# --- the target libvirt decides how the dGPU's QEMU properties are set,
# and lint agrees with vm for every generation: <qemu:override> from 8.2;
# -set lines before, with <qemu:capabilities> deleting the capability that
# makes libvirt 7.9-8.1 write JSON -device (which -set cannot find);
# plain -set lines before 7.9. Each is valid by libvirt's schema (the 9.0
# schema this host has: <qemu:capabilities> is in it since 5.5); libvirt.t
# starts the 9.0 and 8.1 forms.
agree() {
	for v in 7.0 7.8 7.9 8.0 8.1 8.2 9.0; do
		"$gh" vm --profile r720 --libvirt $v -o "$tmp/agree$v.xml" 2>/dev/null || return 1
		"$gh" lint -q --profile r720 --libvirt $v "$tmp/agree$v.xml" || { echo "lint --libvirt $v fails vm --libvirt $v"; return 1; }
		virt-xml-validate "$tmp/agree$v.xml" >/dev/null || return 1
	done
	"$gh" vm --profile r720 --libvirt 11.2 -o "$tmp/agree11.2.xml" 2>/dev/null &&
	"$gh" lint -q --profile r720 --libvirt 11.2 "$tmp/agree11.2.xml"
}
ok vm_and_lint_agree_for_every_libvirt_generation agree
delcap() { xmllint --xpath "string(//*[$q and local-name()='del']/@capability)" "$1"; }
ok vm_libvirt_8_0_set_lines_delete_device_json sh -c "
	[ \"\$($(command -v xmllint) --xpath \"string(//*[$q and local-name()='del']/@capability)\" $tmp/agree8.0.xml)\" = device.json ] &&
	grep -q 'device.ua-gpuhelper-dgpu.x-pci-sub-vendor-id=0x17aa' $tmp/agree8.0.xml"
ok vm_libvirt_8_1_deletes_device_json_hotplug sh -c "
	[ \"\$($(command -v xmllint) --xpath \"string(//*[$q and local-name()='del']/@capability)\" $tmp/agree8.1.xml)\" = device.json+hotplug ]"
ok vm_libvirt_7_8_and_9_0_delete_no_capability sh -c "! grep -q 'qemu:capabilities' $tmp/agree7.8.xml && ! grep -q 'qemu:capabilities' $tmp/agree9.0.xml"
# going back to 9.0 --from the 8.0 domain drops the deletion and the -set lines
"$gh" vm --profile r720 --libvirt 9.0 --from "$tmp/agree8.0.xml" -o "$tmp/back90.xml" 2>/dev/null
ok vm_from_to_a_newer_libvirt_drops_set_lines_and_capability_del sh -c "
	! grep -q 'qemu:capabilities\|-set' $tmp/back90.xml && grep -q 'qemu:override' $tmp/back90.xml"

# --- libvirt's C API: libvirt's test driver stands in for the daemon
"$gh" vm --probe --json --connect test:///default >"$tmp/probe.json" 2>&1
ok vm_probe_reads_libvirt_version_over_the_api sh -c "cat $tmp/probe.json;
	grep -q '\"uri\":\"test:///default\",\"libvirt\":\"9\.0\.' $tmp/probe.json &&
	grep -q '\"properties\":\"override\"' $tmp/probe.json"
root=$tmp/droot
cp -R "$top/tests/fixtures/pci/muxed/." "$root"
# the tables are looked for under --root
mkdir -p "$root/var/lib/gpuhelper"
"$gh" acpi battery -o "$root/var/lib/gpuhelper/ssdt-battery.aml" >/dev/null
bat=/var/lib/gpuhelper/ssdt-battery.aml
"$gh" vm --root "$root" --no-gvt --connect test:///default --define --name ghdef \
	--acpi-table $bat >"$tmp/def.out" 2>&1
ok vm_define_defines_on_the_connection sh -c "cat $tmp/def.out; grep -q \"defined 'ghdef' at test:///default\" $tmp/def.out"
"$gh" vm --root "$root" --no-gvt --connect test:///default --define --name test \
	--acpi-table $bat >"$tmp/exists.out" 2>&1
rc=$?
ok vm_define_refuses_an_existing_domain sh -c "cat $tmp/exists.out; [ $rc = 1 ] && grep -q \"a domain 'test' is already defined: pick another --name\" $tmp/exists.out"
"$gh" vm --root "$root" --no-gvt --connect test:///default --start --name ghstart \
	--acpi-table $bat >"$tmp/start.out" 2>&1
ok vm_start_defines_and_starts sh -c "cat $tmp/start.out; grep -q \"defined and started 'ghstart' at test:///default\" $tmp/start.out"
"$gh" vm --root "$root" --no-gvt --connect "qemu+unix:///system?socket=$tmp/no.sock" --define \
	--acpi-table $bat >"$tmp/nod.out" 2>&1
rc=$?
ok vm_define_without_a_daemon_says_what_to_do sh -c "cat $tmp/nod.out; [ $rc = 3 ] &&
	grep -q 'no libvirt daemon answers at qemu+unix.*pass --libvirt VERSION' $tmp/nod.out"

# --- memory from the host's RAM: half, in 512 MiB steps, at most 16 GiB
mem() {
	mkdir -p "$root/proc" && echo "MemTotal:       $1 kB" >"$root/proc/meminfo"
	"$gh" vm --root "$root" --no-gvt --libvirt 9.0 --acpi-table $bat 2>/dev/null |
		xmllint --xpath 'string(/domain/memory)' -
}
m12=$(mem 12000000); m64=$(mem 67108864)
ok vm_memory_is_half_the_hosts_ram_in_512_mib_steps sh -c "[ '$m12' = 5632 ] || { echo 'got $m12'; exit 1; }"
ok vm_memory_is_capped_at_16_gib sh -c "[ '$m64' = 16384 ] || { echo 'got $m64'; exit 1; }"

# --- --with-audio on a dGPU without an audio function says so
"$gh" vm --profile r720 --no-gvt --with-audio -o "$tmp/noaudio.xml" 2>"$tmp/noaudio.err"
ok vm_with_audio_without_an_audio_function_warns has "$tmp/noaudio.err" \
	'warning: --with-audio: 0000:01:00.0 has no audio function'

[ "$fails" -eq 0 ]
