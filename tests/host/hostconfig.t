#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gpuhelper host-config on a fixture root (tests/fixtures/roots/base) for
# every initramfs/bootloader pair, with the r720 profile as the PCI side:
# the diff it shows is the change it makes (patch(1) replays it), the
# files say what the guide needs, backups hold the old text, a second run
# changes nothing, and a read-only target is left as it was.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="$top/userspace/gpuhelper"
base="$top/tests/fixtures/roots/base"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

. "$top/tests/lib/ktap.sh"
has() { grep -qx -- "$2" "$1" || { echo "no line '$2' in $1:"; cat "$1"; return 1; }; }
same_tree() { diff -r "$1" "$2"; }
no_temp_files() { ! find "$1" -name '*.gpuhelper-tmp.*' | grep -q .; }

# mkroot DIR INITRAMFS BOOTLOADER: the base root with only that pair's files
mkroot() {
	cp -a "$base" "$1"
	case $2 in
	mkinitcpio) rm -rf "$1/etc/initramfs-tools" ;;
	dracut) rm -rf "$1/etc/initramfs-tools" "$1/etc/mkinitcpio.conf"; mkdir -p "$1/etc/dracut.conf.d" ;;
	initramfs-tools) rm -f "$1/etc/mkinitcpio.conf" ;;
	esac
	case $3 in
	grub) rm -rf "$1/boot/loader" ;;
	systemd-boot) rm -rf "$1/etc/default" ;;
	esac
}

hc() { "$gh" host-config --profile r720 --root "$@"; }

pairs="mkinitcpio:systemd-boot mkinitcpio:grub dracut:systemd-boot dracut:grub initramfs-tools:systemd-boot initramfs-tools:grub"
echo "TAP version 13"
echo "1..$((6 * 8 + 4))"

for p in $pairs; do
	ir=${p%%:*} bl=${p#*:} t="${ir}_${bl//-/_}"
	t=${t//-/_}
	r="$tmp/$t" pristine="$tmp/$t.pristine"
	mkroot "$r" "$ir" "$bl"
	cp -a "$r" "$pristine"

	hc "$r" --initramfs "$ir" --bootloader "$bl" --dry-run >"$tmp/$t.dry" 2>&1
	ok "${t}_dry_run_shows_a_diff_and_writes_nothing" sh -c \
		"grep -q '^+options gpuhelper ids=10de:1c8d:17aa:39d1\$' $tmp/$t.dry && diff -r $pristine $r"

	hc "$r" --initramfs "$ir" --bootloader "$bl" >"$tmp/$t.run" 2>&1
	echo $? >"$tmp/$t.rc"
	ok "${t}_writes_and_exits_0" sh -c \
		"[ \$(cat $tmp/$t.rc) -eq 0 ] && grep -q 'wrote [0-9]* files' $tmp/$t.run"

	# the diff shown is exactly the change made
	cp -a "$pristine" "$tmp/$t.patched"
	sed -n '/^--- /,$p' "$tmp/$t.run" | sed '/^gpuhelper host-config: wrote/,$d' >"$tmp/$t.diff"
	ok "${t}_shown_diff_replays_with_patch" sh -c \
		"patch -s -p1 -d $tmp/$t.patched <$tmp/$t.diff && diff -r -x '*.gpuhelper-bak' $tmp/$t.patched $r"

	ok "${t}_modprobe_ids_and_softdeps" sh -c "
		f=$r/etc/modprobe.d/gpuhelper.conf
		grep -qx 'options gpuhelper ids=10de:1c8d:17aa:39d1' \$f &&
		grep -qx 'softdep nouveau pre: gpuhelper' \$f && grep -qx 'softdep nvidia pre: gpuhelper' \$f &&
		grep -qx 'softdep snd_hda_intel pre: gpuhelper' \$f &&
		[ \"\$(grep -v '^#' $r/etc/modules-load.d/gpuhelper.conf | tr '\n' ' ')\" = 'kvmgt vfio-iommu-type1 mdev ' ]"

	case $ir in
	mkinitcpio) ok "${t}_initramfs_gpuhelper_first_no_virqfd_no_nvidia" \
		has "$r/etc/mkinitcpio.conf" 'MODULES=(gpuhelper vfio_pci vfio vfio_iommu_type1)' ;;
	dracut) ok "${t}_initramfs_dracut_force_drivers" \
		has "$r/etc/dracut.conf.d/gpuhelper.conf" 'force_drivers+=" gpuhelper "' ;;
	initramfs-tools) ok "${t}_initramfs_tools_modules_list" \
		has "$r/etc/initramfs-tools/modules" 'gpuhelper' ;;
	esac

	case $bl in
	grub) ok "${t}_kernel_cmdline_in_grub_default" \
		has "$r/etc/default/grub" 'GRUB_CMDLINE_LINUX_DEFAULT="quiet intel_iommu=on iommu=pt kvm.ignore_msrs=1 i915.enable_gvt=1"' ;;
	systemd-boot) ok "${t}_kernel_cmdline_in_every_entry" sh -c "
		grep -qx 'options root=PARTUUID=0a1b2c3d-01 rw quiet intel_iommu=on iommu=pt kvm.ignore_msrs=1 i915.enable_gvt=1' $r/boot/loader/entries/arch.conf &&
		grep -qx 'options root=PARTUUID=0a1b2c3d-01 rw intel_iommu=on iommu=pt kvm.ignore_msrs=1 i915.enable_gvt=1' $r/boot/loader/entries/arch-fallback.conf" ;;
	esac

	ok "${t}_backups_hold_the_old_files" sh -c "
		for b in \$(cd $r && find . -name '*.gpuhelper-bak'); do
			cmp $r/\$b $pristine/\${b%.gpuhelper-bak} || exit 1
		done
		[ \$(cd $r && find . -name '*.gpuhelper-bak' | wc -l) -ge 1 ]"

	cp -a "$r" "$tmp/$t.first"
	hc "$r" --initramfs "$ir" --bootloader "$bl" >"$tmp/$t.again" 2>&1
	ok "${t}_second_run_changes_nothing" sh -c \
		"grep -q 'nothing to change' $tmp/$t.again && diff -r $tmp/$t.first $r && ! find $r -name '*.gpuhelper-tmp.*' | grep -q ."
done

# Linux 6.1 still has vfio_virqfd: it stays in MODULES=()
r="$tmp/k61"
mkroot "$r" mkinitcpio grub
hc "$r" --initramfs mkinitcpio --bootloader grub --kernel 6.1.0-18-amd64 >/dev/null 2>&1
ok mkinitcpio_keeps_vfio_virqfd_before_linux_6_2 \
	has "$r/etc/mkinitcpio.conf" 'MODULES=(gpuhelper vfio_pci vfio vfio_iommu_type1 vfio_virqfd)'

# A read-only target: exit 3, every file as it was, no temporary files.
r="$tmp/ro"
mkroot "$r" mkinitcpio systemd-boot
cp -a "$r" "$tmp/ro.pristine"
unshare -rm sh -c "mount --bind '$r/etc' '$r/etc' && mount -o remount,bind,ro '$r/etc' &&
	'$gh' host-config --profile r720 --root '$r' --initramfs mkinitcpio --bootloader systemd-boot" \
	>"$tmp/ro.out" 2>&1
rc=$?
ok read_only_etc_exits_3_and_names_the_file sh -c \
	"[ $rc = 3 ] && grep -q 'cannot write $r/etc/' $tmp/ro.out"
ok read_only_etc_leaves_the_tree_as_it_was sh -c \
	"diff -r $tmp/ro.pristine $r && ! find $r -name '*.gpuhelper-tmp.*' | grep -q ."

# /boot read-only but /etc writable: the /etc files written first are put back
r="$tmp/ro-boot"
mkroot "$r" mkinitcpio systemd-boot
cp -a "$r" "$tmp/ro-boot.pristine"
unshare -rm sh -c "mount --bind '$r/boot' '$r/boot' && mount -o remount,bind,ro '$r/boot' &&
	'$gh' host-config --profile r720 --root '$r' --initramfs mkinitcpio --bootloader systemd-boot" \
	>"$tmp/ro-boot.out" 2>&1
ok read_only_boot_puts_etc_back sh -c \
	"grep -q 'putting back' $tmp/ro-boot.out && diff -r -x '*.gpuhelper-bak' $tmp/ro-boot.pristine $r &&
	 [ ! -e $r/etc/modprobe.d/gpuhelper.conf ]"

[ "$fails" -eq 0 ]
