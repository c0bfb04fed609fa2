#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# gpuhelper vm --from on the seed guide's own final domain (issue 16):
# what is still valid is kept (the vGPU's UUID, SSDT files that read back
# as a complete set), the patched OVMF gives way to the stock one once the
# SSDTs give the _ROM, a pc-q35 machine type older than 6.1 (no ACPI
# device behind the root port, QEMU's pc_compat_6_0) becomes q35; each is
# said. Every result passes virt-xml-validate, libvirt's test driver and
# gpuhelper lint.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="$top/userspace/gpuhelper"
seed="$top/tests/fixtures/domains/seed-win10.xml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

. "$top/tests/lib/ktap.sh"

valid() {
	virt-xml-validate "$1" domain && virsh -q -c test:///default define "$1" &&
		GPUHELPER_ROOT=$root "$gh" lint -q --profile r720 "$1"
}

echo "TAP version 13"
echo "1..19"

cc -O2 -o "$tmp/mkrom" "$top/tests/lib/mkrom.c" || { echo "Bail out! mkrom"; exit 1; }
"$tmp/mkrom" -s 12 -x 4 -i 10de:1c8d -S 3 "$tmp/rom"
# a root with the complete set gpuhelper vm --rom writes
root=$tmp/root
"$gh" vm --root "$root" --profile r720 --rom "$tmp/rom" -o "$tmp/first.xml" 2>/dev/null
mok='af5972fb-5530-41a7-0000-fd836204445b'	# the guide's vGPU

GPUHELPER_ROOT=$root "$gh" vm --profile r720 --from "$seed" -o "$tmp/seed.xml" 2>"$tmp/seed.err"
ok vm_from_seed_validates_defines_and_lints sh -c "cat $tmp/seed.err; $(command -v virt-xml-validate) $tmp/seed.xml domain &&
	virsh -q -c test:///default define $tmp/seed.xml && GPUHELPER_ROOT=$root $gh lint -q --profile r720 $tmp/seed.xml"
ok vm_from_seed_keeps_the_vgpu_uuid sh -c "grep -q 'kept the vGPU $mok' $tmp/seed.err &&
	[ \"\$(xmllint --xpath 'string(//hostdev[@type=\"mdev\"]/source/address/@uuid)' $tmp/seed.xml)\" = $mok ]"
ok vm_from_seed_replaces_the_patched_ovmf_with_a_note sh -c "grep -q \"replaced the domain's OVMF /opt/edk2/Build/OvmfX64/DEBUG_GCC5/FV/OVMF_CODE.fd\" $tmp/seed.err &&
	[ \"\$(xmllint --xpath 'string(//os/loader)' $tmp/seed.xml)\" = /usr/share/OVMF/OVMF_CODE_4M.fd ]"
ok vm_from_seed_gets_vars_of_its_own_from_the_stock_template xp "$tmp/seed.xml" \
	"concat(//os/nvram,' ',//os/nvram/@template)" \
	"/var/lib/libvirt/qemu/nvram/Win10_stock_VARS.fd /usr/share/OVMF/OVMF_VARS_4M.fd"
ok vm_from_seed_machine_4_2_becomes_q35_with_a_note sh -c "grep -q 'machine type pc-q35-4.2 becomes q35' $tmp/seed.err &&
	[ \"\$(xmllint --xpath 'string(//os/type/@machine)' $tmp/seed.xml)\" = q35 ]"
ok vm_from_seed_ssdt_that_is_gone_is_replaced_with_a_note sh -c "grep -q \"the domain's SSDTs are replaced by gpuhelper's (/ssdt1.dat cannot be read)\" $tmp/seed.err &&
	grep -q 'file=/var/lib/gpuhelper/ssdt-vbios-rom.aml' $tmp/seed.xml && ! grep -q ssdt1.dat $tmp/seed.xml"

# the iGPU has another vGPU: that one is used; --mdev beats both
mroot=$tmp/mroot
mkdir -p "$mroot"; cp -R "$root/." "$mroot/"; cp -R "$top/userspace/profiles/r720/sys" "$mroot/sys"
mkdir "$mroot/sys/bus/pci/devices/0000:00:02.0/11111111-2222-4333-8444-555555555555"
"$gh" vm --root "$mroot" --libvirt 9.0 --from "$seed" -o "$tmp/host.xml" 2>"$tmp/host.err"
ok vm_from_an_existing_vgpu_wins_over_the_domains sh -c "cat $tmp/host.err; grep -q 'the vGPU $mok does not exist; using the iGPU.s 11111111-2222-4333-8444-555555555555' $tmp/host.err &&
	[ \"\$(xmllint --xpath 'string(//hostdev[@type=\"mdev\"]/source/address/@uuid)' $tmp/host.xml)\" = 11111111-2222-4333-8444-555555555555 ]"
GPUHELPER_ROOT=$root "$gh" vm --profile r720 --from "$seed" --mdev 99999999-2222-4333-8444-555555555555 -o "$tmp/mdev.xml" 2>/dev/null
ok vm_from_mdev_option_beats_the_domains xp "$tmp/mdev.xml" 'string(//hostdev[@type="mdev"]/source/address/@uuid)' 99999999-2222-4333-8444-555555555555
sed "s/$mok/not-a-uuid/" "$seed" >"$tmp/baduuid.xml"
GPUHELPER_ROOT=$root "$gh" vm --profile r720 --from "$tmp/baduuid.xml" -o "$tmp/baduuid.out.xml" 2>"$tmp/baduuid.err"
ok vm_from_a_vgpu_that_is_not_a_uuid_is_replaced sh -c "cat $tmp/baduuid.err; grep -q \"the vGPU 'not-a-uuid' is not a UUID\" $tmp/baduuid.err &&
	! grep -q not-a-uuid $tmp/baduuid.out.xml"

# no vBIOS SSDTs: the patched OVMF still gives the _ROM, and stays
"$gh" vm --root "$tmp/empty" --profile r720 --from "$seed" -o "$tmp/keep.xml" 2>"$tmp/keep.err"
ok vm_from_without_ssdts_keeps_the_patched_ovmf_and_machine sh -c "cat $tmp/keep.err;
	grep -q \"kept the domain's OVMF /opt/edk2/Build/OvmfX64/DEBUG_GCC5/FV/OVMF_CODE.fd\" $tmp/keep.err &&
	[ \"\$(xmllint --xpath 'concat(string(//os/loader),\" \",string(//os/type/@machine))' $tmp/keep.xml)\" = '/opt/edk2/Build/OvmfX64/DEBUG_GCC5/FV/OVMF_CODE.fd pc-q35-4.2' ]"
# a stock OVMF and a newer machine type are the user's, left alone
sed "s|/opt/edk2/Build/OvmfX64/DEBUG_GCC5/FV/OVMF_CODE.fd|/usr/share/OVMF/OVMF_CODE.fd|; s/pc-q35-4.2/pc-q35-7.2/" "$seed" >"$tmp/stock.xml"
GPUHELPER_ROOT=$root "$gh" vm --profile r720 --from "$tmp/stock.xml" -o "$tmp/stock.out.xml" 2>"$tmp/stock.err"
ok vm_from_keeps_a_stock_ovmf_its_nvram_and_machine_7_2 sh -c "cat $tmp/stock.err; ! grep -q OVMF $tmp/stock.err &&
	[ \"\$(xmllint --xpath 'concat(string(//os/loader),\" \",string(//os/nvram),\" \",string(//os/type/@machine))' $tmp/stock.out.xml)\" = '/usr/share/OVMF/OVMF_CODE.fd /var/lib/libvirt/qemu/nvram/Win10_VARS.fd pc-q35-7.2' ]"
sed "s/pc-q35-4.2/pc-q35-6.1/" "$seed" >"$tmp/m61.xml"
sed "s/pc-q35-4.2/pc-q35-6.0/" "$seed" >"$tmp/m60.xml"
GPUHELPER_ROOT=$root "$gh" vm --profile r720 --from "$tmp/m61.xml" -o "$tmp/m61.out.xml" 2>/dev/null
GPUHELPER_ROOT=$root "$gh" vm --profile r720 --from "$tmp/m60.xml" -o "$tmp/m60.out.xml" 2>/dev/null
ok vm_from_machine_6_1_is_kept_6_0_is_not sh -c "
	[ \"\$(xmllint --xpath 'string(//os/type/@machine)' $tmp/m61.out.xml)\" = pc-q35-6.1 ] &&
	[ \"\$(xmllint --xpath 'string(//os/type/@machine)' $tmp/m60.out.xml)\" = q35 ]"

# the domain's own SSDTs, elsewhere: kept while they read back as a set
mkdir -p "$root/srv/acpi"
"$gh" acpi battery -o "$root/srv/acpi/bat.aml" >/dev/null
"$gh" acpi vbios --rom "$tmp/rom" -o "$root/srv/acpi" >/dev/null
set -- $(cd "$root" && ls srv/acpi/*.aml)
args=""; for f; do args="$args --acpi-table /$f"; done
GPUHELPER_ROOT=$root "$gh" vm --profile r720 $args -o "$tmp/own.xml" 2>/dev/null
GPUHELPER_ROOT=$root "$gh" vm --profile r720 --from "$tmp/own.xml" -o "$tmp/own2.xml" 2>"$tmp/own2.err"
ok vm_from_keeps_ssdts_that_read_back_as_a_set sh -c "cat $tmp/own2.err; grep -q \"kept the domain's 3 SSDTs\" $tmp/own2.err &&
	[ \$(grep -c 'file=/srv/acpi/' $tmp/own2.xml) = 3 ] && ! grep -q 'file=/var/lib/gpuhelper' $tmp/own2.xml"
ok vm_from_kept_ssdts_validate_and_lint valid "$tmp/own2.xml"
cp -R "$root" "$tmp/croot"
printf '\377' | dd of="$tmp/croot/srv/acpi/ssdt-vbios-00.aml" bs=1 seek=100 conv=notrunc 2>/dev/null
GPUHELPER_ROOT=$tmp/croot "$gh" vm --profile r720 --from "$tmp/own.xml" -o "$tmp/own3.xml" 2>"$tmp/own3.err"
ok vm_from_replaces_ssdts_with_a_bad_checksum sh -c "cat $tmp/own3.err; grep -q \"SSDTs are replaced by gpuhelper's (/srv/acpi/ssdt-vbios-00.aml: \" $tmp/own3.err &&
	grep -q 'file=/var/lib/gpuhelper/ssdt-vbios-00.aml' $tmp/own3.xml && ! grep -q /srv/acpi $tmp/own3.xml"
GPUHELPER_ROOT=$root "$gh" vm --profile r720 --acpi-table /srv/acpi/bat.aml \
	--acpi-table /srv/acpi/ssdt-vbios-00.aml -o "$tmp/norom.xml" 2>/dev/null
GPUHELPER_ROOT=$root "$gh" vm --profile r720 --from "$tmp/norom.xml" -o "$tmp/own4.xml" 2>"$tmp/own4.err"
ok vm_from_replaces_a_set_without_its_rom_method sh -c "cat $tmp/own4.err;
	grep -q 'not a complete set (a battery, no _ROM method, 1 vBIOS buffer table)' $tmp/own4.err &&
	grep -q 'file=/var/lib/gpuhelper/ssdt-vbios-rom.aml' $tmp/own4.xml"
mkdir -p "$root/srv/s10"
"$gh" acpi vbios --rom "$tmp/rom" --path '\_SB.PCI0.S10.S00' -o "$root/srv/s10" >/dev/null
GPUHELPER_ROOT=$root "$gh" vm --profile r720 --acpi-table /srv/acpi/bat.aml \
	--acpi-table /srv/s10/ssdt-vbios-00.aml --acpi-table /srv/s10/ssdt-vbios-rom.aml -o "$tmp/s10.xml" 2>/dev/null
GPUHELPER_ROOT=$root "$gh" vm --profile r720 --from "$tmp/s10.xml" -o "$tmp/s10b.xml" 2>"$tmp/s10.err"
ok vm_from_replaces_ssdts_for_another_acpi_path sh -c "cat $tmp/s10.err; grep -q 'puts the vBIOS at ._SB.PCI0.S10.S00, not at the dGPU.s ._SB.PCI0.S08.S00' $tmp/s10.err &&
	! grep -q /srv/s10 $tmp/s10b.xml"
GPUHELPER_ROOT=$root "$gh" vm --profile r720 --from "$tmp/own.xml" --rom "$tmp/rom" -o "$tmp/own5.xml" 2>/dev/null
ok vm_from_rom_option_replaces_the_domains_ssdts sh -c "! grep -q /srv/acpi $tmp/own5.xml && grep -q 'file=/var/lib/gpuhelper/ssdt-vbios-rom.aml' $tmp/own5.xml"
# patching the result again changes nothing
GPUHELPER_ROOT=$root "$gh" vm --profile r720 --from "$tmp/seed.xml" -o "$tmp/seed2.xml" 2>"$tmp/seed2.err"
ok vm_from_twice_is_idempotent sh -c "cat $tmp/seed2.err; cmp $tmp/seed.xml $tmp/seed2.xml"

echo "# $fails failed"
[ "$fails" = 0 ]
