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

# good DIR: a host where everything is in place
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

echo "TAP version 13"
echo "1..12"

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

[ "$fails" -eq 0 ]
