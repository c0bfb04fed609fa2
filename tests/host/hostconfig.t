#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gpuhelper host-config on a fixture root (tests/fixtures/roots/base) for
# every initramfs/bootloader pair, with the r720 profile as the PCI side.
#
# For each pair, what depends on the files it touches: the diff it shows
# is the change it makes (patch(1) replays it), backups hold the old text,
# a second run changes nothing, --revert puts every file back and a second
# --revert has nothing to do. What each file says is checked once per kind
# of file (one modprobe.d check, one per initramfs generator, one per
# bootloader), not once per pair. Then: the old modprobe.d name migrated,
# iommu=pt only on request, and a read-only target left as it was.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="${GPUHELPER:-$top/userspace/gpuhelper}"
base="$top/tests/fixtures/roots/base"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

. "$top/tests/lib/ktap.sh"
has() { grep -qx -- "$2" "$1" || { echo "no line '$2' in $1:"; cat "$1"; return 1; }; }
# same_files A B: the same regular files with the same content (empty
# directories a run created and --revert leaves do not count)
same_files() {
	diff <(cd "$1" && find . -type f | sort | xargs -r sha256sum) \
	     <(cd "$2" && find . -type f | sort | xargs -r sha256sum)
}

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
echo "1..$((6 * 6 + 7 + 1 + 1 + 4 + 3))"

for p in $pairs; do
	ir=${p%%:*} bl=${p#*:} t="${ir}_${bl//-/_}"
	t=${t//-/_}
	r="$tmp/$t" pristine="$tmp/$t.pristine"
	mkroot "$r" "$ir" "$bl"
	cp -a "$r" "$pristine"

	hc "$r" --initramfs "$ir" --bootloader "$bl" --dry-run >"$tmp/$t.dry" 2>&1
	ok "${t}_dry_run_shows_a_diff_and_writes_nothing" sh -c \
		"grep -q '^+++ b/' $tmp/$t.dry && diff -r $pristine $r"

	hc "$r" --initramfs "$ir" --bootloader "$bl" >"$tmp/$t.run" 2>"$tmp/$t.err"
	echo $? >"$tmp/$t.rc"
	ok "${t}_writes_and_exits_0" sh -c \
		"[ \$(cat $tmp/$t.rc) -eq 0 ] && grep -q 'wrote [0-9]* files' $tmp/$t.run"

	# the diff shown is exactly the change made
	cp -a "$pristine" "$tmp/$t.patched"
	sed -n '/^--- /,$p' "$tmp/$t.run" | sed '/^gpuhelper host-config: wrote/,$d' >"$tmp/$t.diff"
	ok "${t}_shown_diff_replays_with_patch" sh -c \
		"patch -s -p1 -d $tmp/$t.patched <$tmp/$t.diff && diff -r -x '*.gpuhelper-bak' $tmp/$t.patched $r"

	ok "${t}_backups_hold_the_old_files" sh -c "
		for b in \$(cd $r && find . -name '*.gpuhelper-bak'); do
			cmp $r/\$b $pristine/\${b%.gpuhelper-bak} || exit 1
		done
		[ \$(cd $r && find . -name '*.gpuhelper-bak' | wc -l) -ge 1 ]"

	cp -a "$r" "$tmp/$t.first"
	hc "$r" --initramfs "$ir" --bootloader "$bl" >"$tmp/$t.again" 2>&1
	ok "${t}_second_run_changes_nothing" sh -c \
		"grep -q 'nothing to change' $tmp/$t.again && diff -r $tmp/$t.first $r && ! find $r -name '*.gpuhelper-tmp.*' | grep -q ."

	# --revert: a dry run changes nothing, a run puts every file back
	# (backups included), a second run has nothing to do
	cp -a "$r" "$tmp/$t.written"
	"$gh" host-config --root "$r" --revert --dry-run >"$tmp/$t.rdry" 2>&1
	diff -r "$tmp/$t.written" "$r" >"$tmp/$t.rdry.diff" 2>&1
	rdry=$?
	"$gh" host-config --root "$r" --revert >"$tmp/$t.revert" 2>&1
	rrc=$?
	"$gh" host-config --root "$r" --revert >"$tmp/$t.revert2" 2>&1
	ok "${t}_revert_puts_every_file_back_once" bash -c "
		[ $rdry = 0 ] && grep -q '^+++ ' $tmp/$t.rdry && [ $rrc = 0 ] &&
		grep -q 'nothing to revert' $tmp/$t.revert2 || { cat $tmp/$t.revert $tmp/$t.revert2; exit 1; }
		diff <(cd $pristine && find . -type f | sort | xargs -r sha256sum) \
		     <(cd $r && find . -type f | sort | xargs -r sha256sum)"
	cp -a "$tmp/$t.first" "$tmp/$t.result"
done

# What each file says, once per kind of file.
r="$tmp/mkinitcpio_systemd_boot.result"
ok modprobe_local_has_ids_and_softdeps_and_modules_load_the_gvt_modules sh -c "
	f=$r/etc/modprobe.d/gpuhelper-local.conf
	grep -qx 'options gpuhelper ids=10de:1c8d:17aa:39d1' \$f &&
	grep -qx 'softdep nouveau pre: gpuhelper' \$f && grep -qx 'softdep nvidia pre: gpuhelper' \$f &&
	grep -qx 'softdep snd_hda_intel pre: gpuhelper' \$f &&
	[ ! -e $r/etc/modprobe.d/gpuhelper.conf ] &&
	[ \"\$(grep -v '^#' $r/etc/modules-load.d/gpuhelper.conf | tr '\n' ' ')\" = 'kvmgt vfio-iommu-type1 mdev ' ]"
ok initramfs_mkinitcpio_gpuhelper_first_user_modules_kept_virqfd_dropped_on_6_12 sh -c "
	grep -qx 'MODULES=(gpuhelper vfio_pci vfio vfio_iommu_type1 nvidia)' $r/etc/mkinitcpio.conf &&
	grep -q 'vfio_virqfd removed from MODULES' $tmp/mkinitcpio_systemd_boot.err"
ok initramfs_dracut_force_drivers \
	has "$tmp/dracut_grub.result/etc/dracut.conf.d/gpuhelper.conf" 'force_drivers+=" gpuhelper "'
ok initramfs_tools_modules_list \
	has "$tmp/initramfs_tools_grub.result/etc/initramfs-tools/modules" 'gpuhelper'
ok grub_params_added_user_intel_iommu_kept \
	has "$tmp/mkinitcpio_grub.result/etc/default/grub" 'GRUB_CMDLINE_LINUX_DEFAULT="quiet intel_iommu=off kvm.ignore_msrs=1 i915.enable_gvt=1"'
ok grub_conflict_says_what_why_and_the_fix grep -q \
	'you set intel_iommu=off; gpuhelper would add intel_iommu=on; yours is kept, since .*passthrough.* change it yourself' \
	"$tmp/mkinitcpio_grub.err"
ok systemd_boot_params_in_every_entry sh -c "
	grep -qx 'options root=PARTUUID=0a1b2c3d-01 rw quiet intel_iommu=on kvm.ignore_msrs=1 i915.enable_gvt=1' $r/boot/loader/entries/arch.conf &&
	grep -qx 'options root=PARTUUID=0a1b2c3d-01 rw intel_iommu=on kvm.ignore_msrs=1 i915.enable_gvt=1' $r/boot/loader/entries/arch-fallback.conf"

# Linux 6.1 still has vfio_virqfd: it stays in MODULES=()
r="$tmp/k61"
mkroot "$r" mkinitcpio grub
hc "$r" --initramfs mkinitcpio --bootloader grub --kernel 6.1.0-18-amd64 >/dev/null 2>&1
ok mkinitcpio_keeps_vfio_virqfd_before_linux_6_2 \
	has "$r/etc/mkinitcpio.conf" 'MODULES=(gpuhelper vfio_pci vfio vfio_iommu_type1 vfio_virqfd nvidia)'

# iommu=pt only on request
r="$tmp/pt"
mkroot "$r" initramfs-tools grub
hc "$r" --iommu-pt >/dev/null 2>&1
ok iommu_pt_only_with_the_flag sh -c "
	grep -qx 'GRUB_CMDLINE_LINUX_DEFAULT=\"quiet intel_iommu=off iommu=pt kvm.ignore_msrs=1 i915.enable_gvt=1\"' $r/etc/default/grub &&
	! grep -q iommu=pt $tmp/initramfs_tools_grub.result/etc/default/grub"

# /etc/modprobe.d/gpuhelper.conf of an older host-config masks the packaged
# /usr/lib/modprobe.d/gpuhelper.conf: moved to gpuhelper-local.conf, the
# user's line kept; --revert puts it back.
r="$tmp/old"
mkroot "$r" initramfs-tools grub
mkdir -p "$r/usr/lib/modprobe.d" "$r/etc/modprobe.d"
cp "$top/kmod/gpuhelper.conf" "$r/usr/lib/modprobe.d/gpuhelper.conf"
cat >"$r/etc/modprobe.d/gpuhelper.conf" <<'EOF'
# Written by gpuhelper host-config: hold the dGPU for passthrough
# before its host drivers can bind it. See gpuhelper-host-config(8).
options gpuhelper ids=10de:1c8d:17aa:39d1
softdep nouveau pre: gpuhelper
softdep nvidia pre: gpuhelper
softdep snd_hda_intel pre: gpuhelper
options snd_hda_intel power_save=0
EOF
cp -a "$r" "$tmp/old.pristine"
hc "$r" >"$tmp/old.out" 2>&1
ok old_modprobe_name_moves_to_gpuhelper_local_with_the_user_line sh -c "
	[ ! -e $r/etc/modprobe.d/gpuhelper.conf ] &&
	cmp $r/etc/modprobe.d/gpuhelper.conf.gpuhelper-bak $tmp/old.pristine/etc/modprobe.d/gpuhelper.conf &&
	grep -qx 'options gpuhelper ids=10de:1c8d:17aa:39d1' $r/etc/modprobe.d/gpuhelper-local.conf &&
	grep -qx 'options snd_hda_intel power_save=0' $r/etc/modprobe.d/gpuhelper-local.conf &&
	! grep -q softdep $r/etc/modprobe.d/gpuhelper-local.conf &&
	grep -q 'written by an older host-config.*masks the packaged' $tmp/old.out" 
hc "$r" >"$tmp/old.again" 2>&1
ok old_modprobe_name_second_run_changes_nothing grep -q 'nothing to change' "$tmp/old.again"
"$gh" host-config --root "$r" --revert >"$tmp/old.revert" 2>&1
ok old_modprobe_name_revert_puts_it_back same_files "$tmp/old.pristine" "$r"

# a gpuhelper.conf of the user's own is left alone, and the mask reported
r="$tmp/foreign"
mkroot "$r" initramfs-tools grub
mkdir -p "$r/usr/lib/modprobe.d" "$r/etc/modprobe.d"
cp "$top/kmod/gpuhelper.conf" "$r/usr/lib/modprobe.d/gpuhelper.conf"
echo 'options gpuhelper ids=10de:1c8d' >"$r/etc/modprobe.d/gpuhelper.conf"
hc "$r" >"$tmp/foreign.out" 2>&1
ok users_own_old_name_left_alone_and_mask_reported sh -c "
	grep -qx 'options gpuhelper ids=10de:1c8d' $r/etc/modprobe.d/gpuhelper.conf &&
	grep -q 'is not one host-config wrote; it masks the packaged' $tmp/foreign.out"

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
	 [ ! -e $r/etc/modprobe.d/gpuhelper-local.conf ]"

[ "$fails" -eq 0 ]
