#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# gpuhelper vm's install media and sizing (issue 16): --disk PATH,SIZE
# made by qemu-img or libvirt's storage API and checked with qemu-img
# info, --iso and --virtio-win as read-only SATA cdroms with a per-device
# boot order that virt-xml-validate and libvirt's test driver accept,
# vCPUs from the host's topology compared with lscpu's, and the QEMU
# script's VARS copy, sound and viewer, run by QEMU itself.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="$top/userspace/gpuhelper"
seed="$top/tests/fixtures/domains/seed-win10.xml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

. "$top/tests/lib/ktap.sh"

# vsize FILE: qemu-img's format and virtual size of FILE
vsize() {
	qemu-img info --output=json "$1" |
		sed -n 's/.*"format": "\(.*\)".*/\1/p; s/.*"virtual-size": \([0-9]*\).*/\1/p' | tr '\n' ' '
}

echo "TAP version 13"
echo "1..26"

# this machine's root as a tree: the r720's PCI devices and CPUs
root=$tmp/root
mkdir -p "$root/img"
cp -R "$top/userspace/profiles/r720/sys" "$root/sys"
base="--root $root --libvirt 9.0 --acpi-table /a.aml"

"$gh" vm $base --disk img/w.qcow2,1G -o "$tmp/x.xml" 2>"$tmp/err"; rc2=$?
"$gh" vm $base --disk /img/w.qcow2,0 -o "$tmp/x.xml" 2>>"$tmp/err"; rc3=$?
"$gh" vm $base --disk /img/w.qcow2,12X -o "$tmp/x.xml" 2>>"$tmp/err"; rc4=$?
ok vm_disk_refuses_relative_paths_zero_and_unknown_units sh -c "cat $tmp/err;
	[ $rc2 = 2 ] && [ $rc3 = 2 ] && [ $rc4 = 2 ] && ! ls $root/img/w.qcow2 &&
	grep -q 'expected /ABSOLUTE/PATH.qcow2,SIZE' $tmp/err"

"$gh" vm $base --disk /img/w.qcow2,2G --dry-run -o "$tmp/dry.xml" 2>"$tmp/dry.err"
ok vm_disk_dry_run_creates_nothing_and_says_what_it_would sh -c "cat $tmp/dry.err;
	[ ! -e $root/img/w.qcow2 ] && [ ! -e $tmp/dry.xml ] &&
	grep -q 'would create /img/w.qcow2: qcow2, 2048 MiB with qemu-img' $tmp/dry.err"

"$gh" vm $base --disk /img/w.qcow2,2G --iso /iso/win.iso --virtio-win /iso/virtio-win.iso \
	-o "$tmp/media.xml" 2>"$tmp/media.err"
got=$(vsize "$root/img/w.qcow2")
ok vm_disk_is_created_by_qemu_img_as_qcow2_of_that_size sh -c "cat $tmp/media.err; echo 'qemu-img info: $got';
	grep -q 'created /img/w.qcow2 (qcow2, 2048 MiB) with qemu-img' $tmp/media.err &&
	[ '$got' = '2147483648 qcow2 ' ]"
ok vm_media_domain_passes_virt_xml_validate virt-xml-validate "$tmp/media.xml" domain
ok vm_media_domain_defines_on_the_test_driver virsh -q -c test:///default define "$tmp/media.xml"
ok vm_media_disk_boots_first xp "$tmp/media.xml" \
	"concat(//disk[@device='disk']/source/@file,' ',//disk[@device='disk']/driver/@type,' ',//disk[@device='disk']/boot/@order)" \
	"/img/w.qcow2 qcow2 1"
ok vm_media_install_cdrom_boots_second_read_only_on_sata xp "$tmp/media.xml" \
	"concat(//disk[source/@file='/iso/win.iso']/@device,' ',//disk[source/@file='/iso/win.iso']/target/@bus,' ',count(//disk[source/@file='/iso/win.iso']/readonly),' ',//disk[source/@file='/iso/win.iso']/boot/@order)" \
	"cdrom sata 1 2"
ok vm_media_virtio_win_is_a_cdrom_that_does_not_boot xp "$tmp/media.xml" \
	"concat(//disk[source/@file='/iso/virtio-win.iso']/@device,' ',count(//disk[source/@file='/iso/virtio-win.iso']/readonly),' ',count(//disk[source/@file='/iso/virtio-win.iso']/boot))" \
	"cdrom 1 0"
ok vm_media_boot_order_only_per_device xp "$tmp/media.xml" "count(/domain/os/boot)" 0

cp "$root/img/w.qcow2" "$tmp/w.before"
"$gh" vm $base --disk /img/w.qcow2,1G -o "$tmp/again.xml" 2>"$tmp/again.err"; rc=$?
ok vm_disk_uses_an_existing_qcow2_at_least_that_large sh -c "cat $tmp/again.err; [ $rc = 0 ] &&
	grep -q 'using the existing qcow2 image (2048 MiB)' $tmp/again.err && cmp $tmp/w.before $root/img/w.qcow2"
"$gh" vm $base --disk /img/w.qcow2,4G -o "$tmp/small.xml" 2>"$tmp/small.err"; rc=$?
ok vm_disk_refuses_a_smaller_existing_image_and_keeps_it sh -c "cat $tmp/small.err; [ $rc = 1 ] &&
	[ ! -e $tmp/small.xml ] && grep -q 'qemu-img resize' $tmp/small.err && cmp $tmp/w.before $root/img/w.qcow2"
echo 'my thesis' >"$root/img/notes.qcow2"
qemu-img create -q -f raw "$root/img/raw.img" 2G
"$gh" vm $base --disk /img/notes.qcow2,1G -o "$tmp/t.xml" 2>"$tmp/notes.err"; rc=$?
"$gh" vm $base --disk /img/raw.img,1G -o "$tmp/t.xml" 2>>"$tmp/notes.err"; rc2=$?
got=$(vsize "$root/img/raw.img")
ok vm_disk_never_overwrites_a_file_that_is_not_qcow2 sh -c "cat $tmp/notes.err; [ $rc = 1 ] && [ $rc2 = 1 ] &&
	[ \"\$(cat $root/img/notes.qcow2)\" = 'my thesis' ] && [ '$got' = '2147483648 raw ' ] &&
	grep -c 'is not a qcow2 image: not overwriting it' $tmp/notes.err | grep -qx 2"
ln -s notes.qcow2 "$root/img/link.qcow2"
"$gh" vm $base --disk /img/link.qcow2,1G -o "$tmp/t.xml" 2>"$tmp/link.err"; rc=$?
ok vm_disk_never_follows_a_symlink sh -c "cat $tmp/link.err; [ $rc = 1 ] && [ \"\$(cat $root/img/notes.qcow2)\" = 'my thesis' ]"
"$gh" vm $base --disk /img/none.qcow2 -o "$tmp/t.xml" 2>"$tmp/none.err"; rc=$?
ok vm_disk_without_a_size_must_exist sh -c "cat $tmp/none.err; [ $rc = 1 ] && grep -q 'give its size' $tmp/none.err"

# libvirt's storage API: the test driver's pool 'default-pool' at /default-pool
"$gh" vm --no-dgpu --no-gvt --accel tcg --name ghvol --connect test:///default --define \
	--disk /default-pool/ghvol.qcow2,1G 2>"$tmp/vol.err"
ok vm_disk_in_a_pools_directory_is_a_libvirt_volume sh -c "cat $tmp/vol.err;
	grep -q \"created /default-pool/ghvol.qcow2 (qcow2, 1024 MiB) in libvirt's storage pool 'default-pool' at test:///default\" $tmp/vol.err &&
	grep -q \"defined 'ghvol' at test:///default\" $tmp/vol.err"

# --from the guide's domain: its disk is replaced, its cdrom keeps its place
"$gh" vm $base --from "$seed" --disk /img/w.qcow2 --iso /iso/win.iso -o "$tmp/from.xml" 2>/dev/null
ok vm_from_with_media_validates_and_defines sh -c "virt-xml-validate $tmp/from.xml domain &&
	virsh -q -c test:///default define $tmp/from.xml"
ok vm_from_media_disk_first_install_second_others_after xp "$tmp/from.xml" \
	"concat(//disk[source/@file='/img/w.qcow2']/boot/@order,' ',//disk[source/@file='/iso/win.iso']/boot/@order,' ',//disk[contains(source/@file,'virtio-win-0.1.141')]/boot/@order,' ',count(//disk[@device='disk']))" \
	"1 2 3 1"

# vCPUs: the r720's i7-7700HQ (4 cores, 2 threads each) gives 3 cores of 2
ok vm_vcpus_are_all_host_cores_but_one_with_their_threads xp "$tmp/media.xml" \
	"concat(/domain/vcpu,' ',/domain/cpu/topology/@sockets,' ',/domain/cpu/topology/@cores,' ',/domain/cpu/topology/@threads)" \
	"6 1 3 2"
"$gh" vm $base --vcpus 4 -o "$tmp/v4.xml" 2>/dev/null
"$gh" vm $base --vcpus 5 -o "$tmp/v5.xml" 2>/dev/null
ok vm_vcpus_option_keeps_smt_when_it_divides sh -c "
	xmllint --xpath 'concat(/domain/vcpu,\" \",/domain/cpu/topology/@cores,\" \",/domain/cpu/topology/@threads)' $tmp/v4.xml | grep -qx '4 2 2' &&
	xmllint --xpath 'concat(/domain/vcpu,\" \",/domain/cpu/topology/@cores,\" \",/domain/cpu/topology/@threads)' $tmp/v5.xml | grep -qx '5 5 1'"
# this machine: the kernel's topology as lscpu reads it
cores=$(lscpu -p=SOCKET,CORE | grep -v '^#' | sort -u | wc -l)
cpus=$(lscpu -p=CPU | grep -vc '^#')
thr=$((cpus / cores)); [ $((thr * cores)) = "$cpus" ] || thr=1
want=$(( (cores > 1 ? cores - 1 : 1) * thr ))
"$gh" vm --no-dgpu --no-gvt --libvirt 9.0 -o "$tmp/host.xml" 2>/dev/null
ok vm_vcpus_match_lscpu_on_this_host xp "$tmp/host.xml" "concat(/domain/vcpu,' ',/domain/cpu/topology/@threads)" "$want $thr"
mkdir -p "$tmp/nocpu"; cp -R "$top/userspace/profiles/r720/sys" "$tmp/nocpu/sys"; rm -rf "$tmp/nocpu/sys/devices"
"$gh" vm --root "$tmp/nocpu" --libvirt 9.0 --acpi-table /a.aml -o "$tmp/nocpu.xml" 2>/dev/null
ok vm_vcpus_default_to_4_without_a_topology xp "$tmp/nocpu.xml" "concat(/domain/vcpu,' ',/domain/cpu/topology/@cores)" "4 4"

# the QEMU script: QEMU itself accepts it (frozen with -S, killed after
# 3 s), with a real ISO from xorriso, and the VARS copy is made
mkdir -p "$tmp/isodir" && echo hello >"$tmp/isodir/README"
xorriso -as mkisofs -quiet -o "$tmp/win.iso" "$tmp/isodir" 2>/dev/null
cp "$tmp/win.iso" "$tmp/virtio.iso"
"$gh" vm --no-dgpu --no-gvt --accel tcg --memory 256 --vcpus 1 --disk "$tmp/q.qcow2,64M" \
	--iso "$tmp/win.iso" --virtio-win "$tmp/virtio.iso" --format qemu -o "$tmp/q.sh" 2>"$tmp/q.err"
tpl=$(sed -n "s/^\[ -e \"\$vars\" \] || cp -- '\(.*\)' .*/\1/p" "$tmp/q.sh")
timeout 3 sh "$tmp/q.sh" -S -monitor none -serial none -display none >"$tmp/q.out" 2>&1; qrc=$?
ok vm_format_qemu_with_media_and_sound_is_accepted_by_qemu sh -c "cat $tmp/q.err $tmp/q.out; [ $qrc = 124 ]"
ok vm_format_qemu_copies_the_vars_template_next_to_the_disk sh -c "[ -n '$tpl' ] && cmp '$tpl' $tmp/win10_VARS.fd"
ok vm_format_qemu_has_ich9_hda_with_an_audiodev sh -c "grep -q \"audiodev 'spice,id=snd0'\" $tmp/q.sh &&
	grep -q \"'hda-duplex,bus=sound0.0,audiodev=snd0'\" $tmp/q.sh"
ok vm_format_qemu_names_the_viewer sh -c "grep -qx '# The display: remote-viewer spice://127.0.0.1:5930' $tmp/q.sh &&
	grep -q 'the display, once QEMU runs: remote-viewer spice://127.0.0.1:5930' $tmp/q.err"
"$gh" vm --profile r720 --format qemu -o "$tmp/gvt.sh" 2>/dev/null
ok vm_format_qemu_gvt_viewer_is_the_spice_socket grep -qx '# The display: remote-viewer spice+unix:///run/gpuhelper/win10.spice' "$tmp/gvt.sh"

echo "# $fails failed"
[ "$fails" = 0 ]
