#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# e2e_l1.sh - the whole chain, run in the L1 guest of "tests/vm/run KVER
# e2e": module -> hand-off -> generated definition -> a VM (L2) that sees
# the device the way the NVIDIA driver needs it -> hand back.
#
# The CLI and QEMU come from the host's root, shared read-only over 9p and
# entered with chroot (tmpfs on /tmp and /run). L2 boots the same kernel
# with tests/e2e/l2-init, which prints its own KTAP (l2_* results).
. /tests/e2e.env
n=0
ok() { n=$((n + 1)); echo "ok $n e2e_$*"; }
notok() { n=$((n + 1)); echo "not ok $n e2e_$*"; }
check() { name=$1; shift; if "$@" >/tmp/check.out 2>&1; then ok "$name"; else
	notok "$name"; sed 's/^/# /' /tmp/check.out | head -n 20; fi; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

k=$(uname -r)
H=/mnt/host
D=0000:01:00.0
A=0000:01:00.1
gh() { chroot $H "$GH_TOP/userspace/gpuhelper" "$@"; }
drv() { basename "$(readlink /sys/bus/pci/devices/$1/driver 2>/dev/null)" 2>/dev/null; }
state() { cat /sys/class/gpuhelper/$1/state 2>/dev/null; }

# 1. Claimed from the initramfs at boot.
check dgpu_claimed_at_boot_from_initramfs test "$(drv $D):$(state $D)" = gpuhelper:stub

# The host's root, for the CLI and QEMU.
modprobe virtio_pci 2>/dev/null
modprobe 9pnet_virtio && modprobe 9p
mkdir -p $H
check host_root_mounted_over_9p mount -t 9p -o trans=virtio,version=9p2000.L,ro hostroot $H
mount -t proc proc $H/proc
mount -t sysfs sysfs $H/sys
mount -t devtmpfs dev $H/dev
mount -t tmpfs run $H/run
# /dev/shm for the Looking Glass IVSHMEM file (devtmpfs has none)
mkdir -p $H/dev/shm && mount -t tmpfs shm $H/dev/shm
# a writable /tmp too, unless the tree under test lives there (a clone in
# /tmp): a tmpfs would hide it
case "$GH_TOP/ $GH_VMDIR/" in
/tmp/*) ;;
*) mount -t tmpfs tmp $H/tmp ;;
esac
W=/run/gpuhelper-e2e		# as the chroot sees it
mkdir -p $H$W/acpi

# A real lspci capture of this guest (pciutils over the kernel's sysfs:
# q35's root ports, the VGA, the held dGPU and its audio, intel-iommu's
# groups), turned into a snapshot tree by tests/fixtures/lspci2snap: the
# tree must hold every function's config space byte for byte and its
# IOMMU group, and detect must read it as it reads this machine.
chroot $H lspci -D -vvnn -xxxx >$H$W/l1.lspci 2>/dev/null
check lspci_capture_converts_to_a_snapshot \
	chroot $H $GH_TOP/tests/fixtures/lspci2snap $W/l1.lspci $W/snap
snap_matches_live() {
	for d in /sys/bus/pci/devices/*; do
		s=$H$W/snap/sys/bus/pci/devices/${d##*/}
		cmp $d/config $s/config || return 1
		[ "$(basename "$(readlink $d/iommu_group)")" = "$(basename "$(readlink $s/iommu_group)")" ] ||
			{ echo "${d##*/}: group $(readlink $d/iommu_group) vs $(readlink $s/iommu_group)"; return 1; }
		[ "$(drv ${d##*/})" = "$(basename "$(readlink $s/driver 2>/dev/null)" 2>/dev/null)" ] ||
			{ echo "${d##*/}: driver differs"; return 1; }
	done
}
check snapshot_of_the_capture_matches_live_sysfs snap_matches_live
check detect_reads_the_capture_as_it_reads_this_machine sh -c \
	"chroot $H $GH_TOP/userspace/gpuhelper detect --json >$H$W/live.json;
	 chroot $H $GH_TOP/userspace/gpuhelper detect --json --root $W/snap >$H$W/snap.json;
	 diff $H$W/live.json $H$W/snap.json"

# 2. The vBIOS, from the module's shadow (the L0 ROM BAR), into SSDTs.
check vbios_dump_from_module_equals_l0_rom \
	sh -c "chroot $H $GH_TOP/userspace/gpuhelper vbios dump --device $D -o $W/vbios.rom &&
	       cmp $H$W/vbios.rom $H$GH_VMDIR/dgpu.rom"
check acpi_tables_generated sh -c "chroot $H $GH_TOP/userspace/gpuhelper acpi vbios --rom $W/vbios.rom -o $W/acpi &&
	chroot $H $GH_TOP/userspace/gpuhelper acpi battery -o $W/acpi/ssdt-battery.aml"
tables="--acpi-table $W/acpi/ssdt-battery.aml"
for t in $H$W/acpi/ssdt-vbios-*.aml; do
	tables="$tables --acpi-table ${t#$H}"
done
echo "# e2e: tables: $tables"

# 3. Hand-off of the dGPU and its audio function to vfio-pci. (vfio's
#    softdep on vfio_iommu_type1 is kmod's work; busybox modprobe, which
#    the kernel calls here, ignores softdeps: load it as kmod would.)
modprobe vfio_iommu_type1
check handoff_to_vfio_moves_dgpu_and_audio sh -c \
	"chroot $H $GH_TOP/userspace/gpuhelper handoff --to vfio $D &&
	 test \"$(echo)\$(basename \$(readlink /sys/bus/pci/devices/$D/driver)):\$(basename \$(readlink /sys/bus/pci/devices/$A/driver))\" = vfio-pci:vfio-pci"
grp=$(basename "$(readlink /sys/bus/pci/devices/$D/iommu_group)")

# 4. The definition, generated from the detected hardware: both forms.
opts="--gpu $D --with-audio --no-gvt --subsystem 17aa:39d1 --hide-hypervisor"
opts="$opts --accel tcg --headless --memory 512 --vcpus 1 --kernel /boot/vmlinuz-$k"
opts="$opts --initrd $GH_VMDIR/l2.cpio $tables"
# Looking Glass's IVSHMEM device, small for L2's 512 MiB: 800x600 is
# 16 MiB by its formula; l2-init checks the BAR
opts="$opts --looking-glass=800x600"
append="console=ttyS0 panic=-1 loglevel=5"
check vm_qemu_script_generated gh vm --format qemu $opts --append "$append" -o $W/l2.sh
check vm_libvirt_domain_generated_and_valid sh -c \
	"chroot $H $GH_TOP/userspace/gpuhelper vm $opts --append '$append' -o $W/l2.xml &&
	 chroot $H virt-xml-validate $W/l2.xml"
sed 's/^/# l2.sh: /' $H$W/l2.sh

# libvirt's own QEMU driver, embedded (no daemon in this guest): its
# configuration, then the domain defined there by vm --define with an
# install cdrom (a real ISO 9660 image from xorriso) and a disk vm makes
# (qemu-img: the embedded driver has no storage pools).
lv="qemu:///embed?root=$W/lv"
mkdir -p $H$W/lv/etc/qemu $H$W/iso
printf '%s\n' 'stdio_handler = "file"' 'user = "root"' 'group = "root"' \
	'namespaces = [ ]' 'cgroup_controllers = [ ]' 'security_driver = "none"' \
	| tee $H$W/lv/etc/qemu.conf >$H$W/lv/etc/qemu/qemu.conf
echo "gpuhelper e2e install medium" >$H$W/iso/README
chroot $H xorriso -as mkisofs -quiet -V GHE2E -o $W/l2.iso $W/iso 2>/dev/null
timeout 600 chroot $H $GH_TOP/userspace/gpuhelper vm $opts --append "$append" \
	--iso $W/l2.iso --disk $W/l2.qcow2,64M --connect "$lv" --define \
	-o $W/l2-define.xml >$H$W/define.log 2>&1
sed 's/^/# vm --define: /' $H$W/define.log
check vm_define_iso_disk_defines_in_libvirts_qemu_driver sh -c \
	"grep -q \"defined 'win10' at $lv\" $H$W/define.log &&
	 grep -q 'created $W/l2.qcow2 (qcow2, 64 MiB) with qemu-img' $H$W/define.log &&
	 chroot $H qemu-img info $W/l2.qcow2 | grep -q 'virtual size: 64 MiB'"

# 5. Boot L2 to the end, once per kernel to keep the suite's time: from
#    the libvirt domain vm --define wrote on 6.1, from the QEMU script on
#    the other kernels (6.12, where the retry below was needed). Both
#    forms are generated and validated on both (4.; libvirt starts the
#    domain on 6.12 too, in 6.).
#    L2 is TCG inside TCG, and the outer emulator now and then corrupts
#    the inner one's state during L2's early boot: a general protection
#    fault on iretq in text_poke_early, EFLAGS with NT and reserved bits
#    set (seen once in CI, and in 1 of 10 boots of a dedicated run here,
#    6.12 only). A kernel that dies before /init has run nothing of
#    gpuhelper's (no module loaded, no _ROM call made), so that one case,
#    and only it, is reported and L2 started again, at most twice; any
#    later failure counts as it is.
case "$k" in
6.1.*) boot=libvirt ;;
*) boot=script ;;
esac
echo "# e2e: L2 boots from the $boot form on $k"
bad='BUG:|WARNING:|Oops|general protection|list_del corruption|blocked for more than|Kernel panic'
run_l2() {
	t0=$(uptime_s)
	timeout 1500 chroot $H sh $W/l2.sh -no-reboot -monitor none \
		-serial file:$W/l2-console.log -serial file:$W/l2-ktap.log >$H$W/l2-qemu.log 2>&1
	qrc=$?
	t1=$(uptime_s)
	echo "# e2e: L2 ran $(echo "$t1 $t0" | awk '{ printf "%.0f", $1 - $2 }') s, qemu exit $qrc"
}
# The defined domain gets L2's two serial ports (libvirt adds them to its
# definition) and starts; virsh exits, QEMU runs on (libvirt's -no-shutdown
# keeps it paused at L2's poweroff) until the done marker is on the KTAP
# port, or 900 s (so that L1 ends in its time and L2's console is shown),
# then it is stopped by its pid. A panic reboots L2 (on_reboot).
run_l2_libvirt() {
	for p in 0:l2-console 1:l2-ktap; do
		printf "<serial type='file'><source path='%s/%s.log'/><target port='%s'/></serial>\n" \
			$W ${p#*:} ${p%%:*} >$H$W/serial${p%%:*}.xml
	done
	t0=$(uptime_s)
	timeout 600 chroot $H virsh -c "$lv" "attach-device win10 $W/serial0.xml --config;
		attach-device win10 $W/serial1.xml --config; start win10" >$H$W/virsh-boot.log 2>&1
	pid=$(cat $H$W/lv/run/qemu/win10.pid 2>/dev/null)
	i=0
	while [ -n "$pid" ] && [ $i -lt 900 ] && kill -0 "$pid" 2>/dev/null &&
	      ! grep -q '^GH-L2-DONE' $H$W/l2-ktap.log 2>/dev/null; do
		sleep 2; i=$((i + 2))
	done
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
	fi
	t1=$(uptime_s)
	echo "# e2e: L2 ran $(echo "$t1 $t0" | awk '{ printf "%.0f", $1 - $2 }') s under libvirt, QEMU pid ${pid:-none}"
	cp $H$W/lv/log/qemu/win10.log $H$W/l2-qemu.log 2>/dev/null
}
if [ $boot = libvirt ]; then
	run_l2_libvirt
	awk '{ print "# virsh: " $0 }' $H$W/virsh-boot.log
	check libvirt_started_the_defined_domain grep -q "Domain 'win10' started" $H$W/virsh-boot.log
else
	run_l2
	for try in 1 2; do
		grep -q '^# l2: ' $H$W/l2-ktap.log && break
		echo "# e2e: L2's kernel died before /init (emulator fault, not gpuhelper's); its log, then rerun $try of 2:"
		tr -d '\r' <$H$W/l2-console.log | grep -E -B2 -A12 "$bad" | head -n 40 | sed "s/^/# l2-console-$try: /"
		mv $H$W/l2-console.log $H$W/l2-console-$try.log
		run_l2
	done
fi
awk '{ print "# l2-qemu: " $0 }' $H$W/l2-qemu.log
tr -d '\r' <$H$W/l2-ktap.log | grep -v '^GH-L2-DONE$'
if grep -q '^GH-L2-DONE' $H$W/l2-ktap.log; then
	ok l2_ran_to_the_end
else
	notok l2_ran_to_the_end
	tail -n 60 $H$W/l2-console.log | tr -d '\r' | sed 's/^/# l2-console: /'
fi
if grep -v 'ommand line' $H$W/l2-console.log | grep -Eq "$bad"; then
	notok l2_kernel_log_clean
	grep -E -A10 "$bad" $H$W/l2-console.log | head -n 40 | sed 's/^/# l2-console: /'
else
	ok l2_kernel_log_clean
fi

# 6. What libvirt ran: on the kernel where L2 booted from the script,
#    libvirt starts the defined domain and destroys it (what libvirt says
#    is kept as comments); on both, its QEMU had the dGPU, the SSDTs and
#    the install media.
if [ $boot = script ]; then
	timeout 300 chroot $H virsh -c "$lv" "start win10; domstate win10; destroy win10" \
		>$H$W/virsh.log 2>&1
	awk '{ print "# virsh: " $0 }' $H$W/virsh.log
	check libvirt_starts_generated_domain_with_dgpu sh -c \
		"grep -q \"Domain 'win10' started\" $H$W/virsh.log && grep -qx running $H$W/virsh.log"
fi
check libvirt_ran_qemu_with_vfio_dgpu_and_ssdts sh -c \
	"grep -q 'vfio-pci' $H$W/lv/log/qemu/win10.log && grep -q 'acpitable' $H$W/lv/log/qemu/win10.log"
check libvirt_ran_qemu_with_the_looking_glass_ivshmem sh -c \
	"grep -q 'ivshmem-plain' $H$W/lv/log/qemu/win10.log && grep -q 'mem-path.*/dev/shm/looking-glass' $H$W/lv/log/qemu/win10.log"
# the disk boots first, the read-only install cdrom second, in what
# libvirt gave QEMU
check libvirt_ran_qemu_with_the_disk_first_and_the_iso_second sh -c \
	"grep -q 'l2.qcow2' $H$W/lv/log/qemu/win10.log && grep -q 'l2.iso' $H$W/lv/log/qemu/win10.log &&
	 grep -q '\"driver\":\"ide-hd\",[^}]*\"bootindex\":1' $H$W/lv/log/qemu/win10.log &&
	 grep -q '\"driver\":\"ide-cd\",[^}]*\"bootindex\":2' $H$W/lv/log/qemu/win10.log &&
	 grep -q '\"read-only\":true,\"driver\":\"raw\"' $H$W/lv/log/qemu/win10.log"

# 7. Hand back, and nothing left behind.
check handoff_back_to_stub_after_l2 sh -c \
	"chroot $H $GH_TOP/userspace/gpuhelper handoff --to stub $D &&
	 test \"\$(cat /sys/class/gpuhelper/$D/state):\$(cat /sys/class/gpuhelper/$A/state)\" = stub:stub"
check vfio_group_gone_no_stale_users test ! -e /dev/vfio/$grp
umount $H/tmp 2>/dev/null
umount $H/run $H/dev/shm $H/dev $H/sys $H/proc $H
check module_unloads_cleanly_after_the_run rmmod gpuhelper
check module_reloads_and_reclaims sh -c "modprobe gpuhelper && test \"\$(basename \$(readlink /sys/bus/pci/devices/$D/driver))\" = gpuhelper"
echo "1..$n"
