#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# gpuhelper doctor on a fixture root: a root set up as the guide wants
# (the r720 snapshot, the command line, modules, OVMF, libvirt) passes
# every check; taking one piece away fails exactly that check, with a fix.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="$top/userspace/gpuhelper"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

. "$top/tests/lib/ktap.sh"

# the SSDTs gpuhelper acpi writes, from a test vBIOS
cc -O2 -o "$tmp/mkrom" "$top/tests/lib/mkrom.c" || { echo "Bail out! mkrom"; exit 1; }
"$tmp/mkrom" -s 12 -x 4 -i 10de:1c8d -S 3 "$tmp/rom"
mkdir -p "$tmp/ssdts"
"$gh" acpi battery -o "$tmp/ssdts/ssdt-battery.aml" >/dev/null
"$gh" acpi vbios --rom "$tmp/rom" -o "$tmp/ssdts" >/dev/null

# good DIR: a host where everything is in place: make install-config's
# libvirt hook and udev rule, the SSDTs, a UEFI option ROM (Debian's
# iPXE one) as the GVT-g ROM, the vGPU, no EFI variables (a BIOS boot)
good() {
	mkdir -p "$1"
	cp -a "$top/tests/fixtures/roots/base/." "$1/"
	cp -a "$top/userspace/profiles/r720/sys" "$1/"
	sed -i 's/vfio_virqfd //' "$1/etc/mkinitcpio.conf"
	echo "BOOT_IMAGE=/vmlinuz-linux root=/dev/sda2 rw intel_iommu=on iommu=pt kvm.ignore_msrs=1 i915.enable_gvt=1" >"$1/proc/cmdline"
	for m in gpuhelper kvmgt vfio_iommu_type1 mdev kvm i915; do mkdir -p "$1/sys/module/$m"; done
	mkdir -p "$1/usr/share/OVMF" "$1/usr/bin" "$1/usr/sbin"
	: >"$1/usr/share/OVMF/OVMF_CODE_4M.fd"
	: >"$1/usr/bin/virsh"
	: >"$1/usr/sbin/virtqemud"
	make -s -C "$top" install-config DESTDIR="$1" >/dev/null
	mkdir -p "$1/var/lib/gpuhelper"
	cp "$tmp/ssdts/"*.aml "$1/var/lib/gpuhelper/"
	cp /usr/lib/ipxe/qemu/efi-e1000e.rom "$1/var/lib/gpuhelper/vbios_gvt_uefi.rom"
	mkdir -p "$1/sys/bus/pci/devices/0000:00:02.0/af5972fb-5530-41a7-0000-fd836204445b"
}

# fails_only NAME CHECK: doctor exits 1 and CHECK is the only FAIL line
fails_only() {
	"$gh" doctor --root "$tmp/$1" >"$tmp/$1.out" 2>&1
	rc=$?
	cat "$tmp/$1.out"
	[ $rc = 1 ] || { echo "exit $rc, want 1"; return 1; }
	[ "$(grep '^FAIL' "$tmp/$1.out" | awk '{print $2}')" = "$2" ] || return 1
	grep -A1 "^FAIL $2" "$tmp/$1.out" | grep -q '     fix: '
}

# fails_with NAME CHECK PATTERN...: fails_only, and each PATTERN is in the output
fails_with() {
	fo_name=$1; fo_check=$2; shift 2
	fails_only "$fo_name" "$fo_check" || return 1
	for p in "$@"; do
		grep -q -- "$p" "$tmp/$fo_name.out" || { echo "'$p' not in the output"; return 1; }
	done
}

echo "TAP version 13"
echo "1..26"

good "$tmp/good"
ok doctor_passes_a_host_set_up_as_the_guide_says "$gh" doctor --root "$tmp/good"

good "$tmp/noiommu"; rm -rf "$tmp/noiommu/sys"; cp -a "$top/tests/fixtures/pci/no-iommu/sys" "$tmp/noiommu/"
for m in gpuhelper kvmgt vfio_iommu_type1 mdev kvm i915; do mkdir -p "$tmp/noiommu/sys/module/$m"; done
sed -i 's/ intel_iommu=on//' "$tmp/noiommu/proc/cmdline"
"$gh" doctor --root "$tmp/noiommu" >"$tmp/noiommu.out" 2>&1
ok doctor_no_iommu_says_intel_iommu_on grep -q 'fix: enable VT-d.*intel_iommu=on' "$tmp/noiommu.out"

good "$tmp/gvt"; sed -i 's/ i915.enable_gvt=1//' "$tmp/gvt/proc/cmdline"
ok doctor_missing_enable_gvt fails_only gvt i915.enable_gvt

good "$tmp/msrs"; sed -i 's/ kvm.ignore_msrs=1//' "$tmp/msrs/proc/cmdline"
ok doctor_missing_ignore_msrs fails_only msrs kvm.ignore_msrs

good "$tmp/kvmgt"; rmdir "$tmp/kvmgt/sys/module/kvmgt"
ok doctor_kvmgt_not_loaded fails_only kvmgt kvmgt

good "$tmp/mod"; rmdir "$tmp/mod/sys/module/gpuhelper"
ok doctor_gpuhelper_not_loaded fails_only mod gpuhelper

good "$tmp/held"; ln -sfn ../../drivers/nouveau "$tmp/held/sys/bus/pci/devices/0000:01:00.0/driver"; mkdir -p "$tmp/held/sys/bus/pci/drivers/nouveau"
ok doctor_dgpu_on_nouveau_is_not_held fails_only held dgpu-held

good "$tmp/group"; rm -rf "$tmp/group/sys"; cp -a "$top/tests/fixtures/pci/muxed/sys" "$tmp/group/"
for m in gpuhelper kvmgt vfio_iommu_type1 mdev kvm i915; do mkdir -p "$tmp/group/sys/module/$m"; done
"$gh" doctor --root "$tmp/group" >"$tmp/group.out" 2>&1
ok doctor_audio_in_the_group_is_named grep -q 'FAIL iommu-group .*0000:01:00.0 is in IOMMU group 1 with 0000:01:00.1 (snd_hda_intel)' "$tmp/group.out"

good "$tmp/tgl"; rm -rf "$tmp/tgl/sys"; cp -a "$top/tests/fixtures/pci/tigerlake/sys" "$tmp/tgl/"
"$gh" doctor --root "$tmp/tgl" >"$tmp/tgl.out" 2>&1
ok doctor_gen12_igpu_points_to_sriov sh -c "grep -A1 '^FAIL igpu-gvt-g' $tmp/tgl.out | grep -q 'SR-IOV'"

good "$tmp/ovmf"; rm "$tmp/ovmf/usr/share/OVMF/OVMF_CODE_4M.fd"
ok doctor_no_ovmf fails_only ovmf ovmf

good "$tmp/virt"; rm "$tmp/virt/usr/bin/virsh"
ok doctor_no_libvirt fails_only virt libvirt

good "$tmp/virqfd"; sed -i 's/MODULES=(/MODULES=(vfio_virqfd /' "$tmp/virqfd/etc/mkinitcpio.conf"
ok doctor_vfio_virqfd_on_6_12 fails_only virqfd module-names

# --- what the guest needs installed (issue 16)
good "$tmp/hook"; rm "$tmp/hook/etc/libvirt/hooks/qemu.d/gpuhelper"
ok doctor_libvirt_hook_not_installed fails_only hook libvirt-hook
good "$tmp/hookx"; chmod 0644 "$tmp/hookx/etc/libvirt/hooks/qemu.d/gpuhelper"
ok doctor_libvirt_hook_not_executable fails_only hookx libvirt-hook
good "$tmp/udev"; rm "$tmp/udev/usr/lib/udev/rules.d/70-gpuhelper-mdev.rules"
ok doctor_udev_rule_not_installed fails_only udev udev-rule
good "$tmp/norom"; rm "$tmp/norom/var/lib/gpuhelper/ssdt-vbios-rom.aml"
ok doctor_vbios_ssdts_without_the_rom_method fails_only norom ssdts
good "$tmp/badbat"; printf 'SSDT garbage' >"$tmp/badbat/var/lib/gpuhelper/ssdt-battery.aml"
ok doctor_battery_ssdt_that_does_not_read_back fails_only badbat ssdts
good "$tmp/path"; rm "$tmp/path/var/lib/gpuhelper/ssdt-vbios-"*
"$gh" acpi vbios --rom "$tmp/rom" --path '\_SB.PCI0.S10.S00' -o "$tmp/path/var/lib/gpuhelper" >/dev/null
ok doctor_vbios_ssdts_for_another_acpi_path fails_with path ssdts \
	'is for ._SB.PCI0.S10.S00, but gpuhelper vm puts the dGPU at ._SB.PCI0.S08.S00'
good "$tmp/gvtrom"; rm "$tmp/gvtrom/var/lib/gpuhelper/vbios_gvt_uefi.rom"
ok doctor_gvt_rom_missing_says_gvt_rom_none fails_with gvtrom gvt-rom '--gvt-rom none'
good "$tmp/notrom"; cp "$tmp/ssdts/ssdt-battery.aml" "$tmp/notrom/var/lib/gpuhelper/vbios_gvt_uefi.rom"
ok doctor_gvt_rom_that_is_not_an_option_rom fails_only notrom gvt-rom
good "$tmp/vgpu"; rmdir "$tmp/vgpu/sys/bus/pci/devices/0000:00:02.0/af5972fb-5530-41a7-0000-fd836204445b"
ok doctor_no_gvt_vgpu_says_mdev_create fails_with vgpu gvt-vgpu \
	'fix: gpuhelper mdev create --parent 0000:00:02.0 --persist'

# --- Secure Boot and the module's signature: the kernel's sign-file signs
# with a key made as DKMS makes its MOK; efitools' cert-to-efi-sig-list
# writes the MOK list; the efivarfs files are modelled (4 attribute bytes,
# then the value, as efivarfs shows a variable).
kbuild=$(ls -d /usr/lib/linux-kbuild-*/scripts 2>/dev/null | head -n 1)
mkkey() {
	openssl req -new -x509 -newkey rsa:2048 -nodes -days 36500 -subj "/CN=$1/" \
		-outform DER -keyout "$tmp/$1.key" -out "$tmp/$1.der" 2>/dev/null
	openssl x509 -inform DER -in "$tmp/$1.der" -out "$tmp/$1.pem"
}
mkkey dkms; mkkey other
# sb DIR 0|1 [MOKCERT.pem]: Secure Boot off or on; MokListRT with that cert
sb() {
	ev="$1/sys/firmware/efi/efivars"
	mkdir -p "$ev"
	printf "\006\000\000\000\00$2" >"$ev/SecureBoot-8be4df61-93ca-11d2-aa0d-e0800e14d4a2"
	if [ -n "${3:-}" ]; then
		cert-to-efi-sig-list "$3" "$tmp/list.esl" >/dev/null
		{ printf '\006\000\000\000'; cat "$tmp/list.esl"; } >"$ev/MokListRT-605dab50-e046-4300-abef-d6e9b3aeac3d"
	fi
}
# mod DIR KEY|none: gpuhelper.ko for the root's kernel, signed by KEY
mod() {
	d="$1/lib/modules/$(cat "$1/proc/sys/kernel/osrelease")/updates/dkms"
	mkdir -p "$d" "$1/var/lib/dkms"
	head -c 4096 /dev/urandom >"$d/gpuhelper.ko"
	cp "$tmp/dkms.der" "$1/var/lib/dkms/mok.pub"
	[ "$2" = none ] || "$kbuild/sign-file" sha256 "$tmp/$2.key" "$tmp/$2.der" "$d/gpuhelper.ko"
}
good "$tmp/sboff"; sb "$tmp/sboff" 0; mod "$tmp/sboff" none
"$gh" doctor --root "$tmp/sboff" >"$tmp/sboff.out"; rc=$?
ok doctor_secure_boot_off_needs_no_signature sh -c "cat $tmp/sboff.out; [ $rc = 0 ] && grep -q '^ok   secure-boot .*off' $tmp/sboff.out"
good "$tmp/unsigned"; sb "$tmp/unsigned" 1; mod "$tmp/unsigned" none
ok doctor_secure_boot_on_unsigned_module_gives_dkms_mok_steps fails_with unsigned module-signature \
	'is not signed: with Secure Boot on' 'dkms build --force gpuhelper/VERSION' \
	'mokutil --import /var/lib/dkms/mok.pub'
good "$tmp/notenrolled"; sb "$tmp/notenrolled" 1 "$tmp/other.pem"; mod "$tmp/notenrolled" dkms
ok doctor_dkms_signed_but_not_enrolled_says_mokutil_import fails_with notenrolled module-signature \
	"signed by DKMS's key /var/lib/dkms/mok.pub, which is not in the MOK list" \
	'fix: mokutil --import /var/lib/dkms/mok.pub'
good "$tmp/enrolled"; sb "$tmp/enrolled" 1 "$tmp/dkms.pem"; mod "$tmp/enrolled" dkms
"$gh" doctor --root "$tmp/enrolled" >"$tmp/enrolled.out"; rc=$?
ok doctor_dkms_signed_and_enrolled_passes sh -c "cat $tmp/enrolled.out; [ $rc = 0 ] &&
	grep -q \"^ok   module-signature .*signed by DKMS's key /var/lib/dkms/mok.pub, enrolled in the MOK list\" $tmp/enrolled.out"
good "$tmp/otherkey"; sb "$tmp/otherkey" 1 "$tmp/dkms.pem"; mod "$tmp/otherkey" other
ok doctor_signed_by_a_key_not_enrolled fails_with otherkey module-signature \
	"a key other than DKMS's, which is not in the MOK list"

[ "$fails" -eq 0 ]
