#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# host-config on a corpus of boot configurations (tests/fixtures/bootconf:
# each distribution's stock files, Debian's real ones fetched from its
# archive, and hostile variants). For each case host-config runs on the
# fixture root and must write, refuse (then the line it gives is added by
# hand and it runs again) or print the command to run, as the case says.
# Then the result is read the way its consumer reads it, nothing else
# running: the GRUB files sourced with /bin/sh as grub-mkconfig sources
# them (Debian's own grub-mkconfig lines where the case has them), the
# mkinitcpio and dracut files sourced with bash as those tools do, loader
# entries, /etc/kernel/cmdline and initramfs-tools' module list read as
# their tools read them. Every command run while sourcing goes through
# PATH, which holds only a directory of spies that record their name;
# one not there is recorded as "not found". Checked, per case:
#  - every original word is still there, in order;
#  - gpuhelper's words are there exactly once, and nothing else is added
#    (for a printed command: its arguments, none of them the user's);
#  - sourcing the result runs nothing that sourcing the original did not;
#  - --revert puts the files back.
# A table of every file (words kept, words added, commands run) is printed
# as KTAP comments: "# corpus: ...".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="${GPUHELPER:-$top/userspace/gpuhelper}"
corpus="$top/tests/fixtures/bootconf"
debcache="${GH_CORPUS_DEBS:-$top/build/corpus-debs}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

. "$top/tests/lib/ktap.sh"

# The Debian files the cases name in $debs: PACKAGE:/in/package:/in/root.
debian_grub_mkconfig="grub-common:/usr/sbin/grub-mkconfig:/usr/sbin/grub-mkconfig
	grub-common:/etc/default/grub.d/init-select.cfg:/etc/default/grub.d/init-select.cfg"
debian_grub="grub2-common:/usr/share/grub/default/grub:/etc/default/grub $debian_grub_mkconfig"
debian_itools="initramfs-tools-core:/usr/share/initramfs-tools/modules:/etc/initramfs-tools/modules"
debian_dracut="dracut-core:/etc/dracut.conf:/etc/dracut.conf"

# deb PKG: PKG extracted under $tmp/debs/PKG, fetched into the cache once
deb() {
	local f

	[ -d "$tmp/debs/$1" ] && return 0
	mkdir -p "$debcache" "$tmp/debs"
	f=$(ls "$debcache/$1"_*.deb 2>/dev/null | tail -n 1)
	if [ -z "$f" ]; then
		(cd "$debcache" && apt-get -q download "$1") >>"$tmp/apt.log" 2>&1
		f=$(ls "$debcache/$1"_*.deb 2>/dev/null | tail -n 1)
	fi
	[ -n "$f" ] && dpkg-deb -x "$f" "$tmp/debs/$1"
}

# The spies: every command a sourced file may run records its name.
spy="$tmp/spy"
mkdir -p "$spy"
printf '#!/bin/sh\necho "${0##*/} $*" >>"%s/executed"\n' "$tmp" >"$spy/.record"
chmod +x "$spy/.record"
for c in touch rm cat id sh bash dash lsb_release sed awk grep cut tr uname hostname \
	 mkdir cp mv ln chmod chown curl wget dd tee env head tail find ls date sleep kill \
	 reboot python3 perl systemd-detect-virt modprobe; do
	ln -s .record "$spy/$c"
done

# sourced SHELL SCRIPT OUT: run SCRIPT with only the spies on PATH; its
# output to OUT, the commands it ran (spied or not found) to OUT.exec
sourced() {
	: >"$tmp/executed"
	env -i PATH="$spy" HOME=/nonexistent "$1" -c "$2" >"$3" 2>"$3.err"
	{ cat "$tmp/executed"; sed -n 's/^.*: \([^:]*\): not found$/\1 (not found)/p' "$3.err"; } \
		>"$3.exec"
}

words() { tr -s ' \t\n' '\n\n\n' | sed '/^$/d'; }

# How grub-mkconfig reads its settings: the lines of the root's own
# grub-mkconfig that source them (Debian's also source grub.d), else
# upstream's, which source /etc/default/grub alone.
grub_snippet() {
	local m

	for m in usr/sbin/grub-mkconfig usr/bin/grub-mkconfig usr/sbin/grub2-mkconfig; do
		[ -f "$1/$m" ] || continue
		awk '/^if test -f \$\{sysconfdir\}\/default\/grub ; then$/ { on = 1 }
		     on { print }
		     on && !loop && /^fi$/ {
			if ((getline nx) > 0 && nx ~ /default\/grub\.d/) { loop = 1; print nx } else exit
		     }
		     loop && /^done$/ { exit }' "$1/$m"
		return
	done
	printf 'if test -f ${sysconfdir}/default/grub ; then\n  . ${sysconfdir}/default/grub\nfi\n'
}

# eval_grub ROOT OUT: the words of the kernel command line GRUB builds
eval_grub() {
	sourced /bin/sh "sysconfdir='$1/etc'
$(grub_snippet "$1")
printf '%s\n' \"\$GRUB_CMDLINE_LINUX \$GRUB_CMDLINE_LINUX_DEFAULT\"" "$2.raw"
	words <"$2.raw" >"$2"
	mv "$2.raw.exec" "$2.exec"
}

# What mkinitcpio does: drop-ins read from version 36 on, when the
# directory is there and no preset names a config file (that is -c).
mk_reads_dropins() {
	local v

	[ -d "$1/etc/mkinitcpio.conf.d" ] || return 1
	v=$(sed -n "s/^declare -r version=['\"]*\([0-9]*\).*/\1/p" "$1/usr/bin/mkinitcpio" 2>/dev/null)
	[ "${v:-0}" -ge 36 ] || return 1
	! grep -qsE '^[[:space:]]*[A-Za-z0-9_]+_config=' "$1"/etc/mkinitcpio.d/*.preset
}

eval_mkinitcpio() {
	local f

	cat "$1/etc/mkinitcpio.conf" >"$2.conf"
	if mk_reads_dropins "$1"; then
		for f in $(ls "$1/etc/mkinitcpio.conf.d" | grep '\.conf$' | LC_ALL=C.UTF-8 sort -V); do
			cat "$1/etc/mkinitcpio.conf.d/$f" >>"$2.conf"
		done
	fi
	sourced /bin/bash "set -f; . '$2.conf'
[[ \${MODULES@a} == *a* ]] || read -r -a MODULES <<<\"\$MODULES\"
printf '%s\n' \"\${MODULES[@]}\"" "$2.raw"
	words <"$2.raw" >"$2"
	mv "$2.raw.exec" "$2.exec"
}

# dracut: dracut.conf, then dracut.conf.d by name, /etc over /usr/lib
eval_dracut() {
	local f s=". '$1/etc/dracut.conf'"

	for f in $( (ls "$1/etc/dracut.conf.d" "$1/usr/lib/dracut/dracut.conf.d" 2>/dev/null) |
		    grep '\.conf$' | sort -u); do
		if [ -f "$1/etc/dracut.conf.d/$f" ]; then
			s="$s; . '$1/etc/dracut.conf.d/$f'"
		else
			s="$s; . '$1/usr/lib/dracut/dracut.conf.d/$f'"
		fi
	done
	sourced /bin/bash "$s; printf '%s\n' \$force_drivers \$add_drivers" "$2.raw"
	words <"$2.raw" >"$2"
	mv "$2.raw.exec" "$2.exec"
}

eval_itools() {
	grep -v '^[[:space:]]*#' "$1/etc/initramfs-tools/modules" | awk 'NF { print $1 }' >"$2"
	: >"$2.exec"
}

# a loader entry: its options lines, joined as systemd-boot joins them
eval_entry() {
	sed -n 's/^options[[:space:]]//p' "$1" | words >"$2"
	: >"$2.exec"
}

eval_cmdline() {
	words <"$1" >"$2"
	: >"$2.exec"
}

eval_kernelstub() {
	awk '/"user"/ { u = 1 } u && /"kernel_options"/ { k = 1; next }
	     k && /\]/ { exit } k { gsub(/[",[:space:]]/, ""); if ($0 != "") print }' \
		"$1/etc/kernelstub/configuration" >"$2"
	: >"$2.exec"
}

# The files each check reads, relative to the root.
check_files() {
	local r=$1

	case $2 in
	grub) echo etc/default/grub ;;
	mkinitcpio) echo etc/mkinitcpio.conf ;;
	dracut) echo etc/dracut.conf ;;
	itools) echo etc/initramfs-tools/modules ;;
	kernelstub) echo etc/kernelstub/configuration ;;
	sdboot | grubby)
		(cd "$r" && ls boot/loader/entries/*.conf boot/efi/loader/entries/*.conf \
			etc/kernel/cmdline 2>/dev/null) ;;
	esac
}

# read_too CHECK ROOT: the drop-ins its tool also reads, for the table
read_too() {
	case $1 in
	grub) grub_snippet "$2" | grep -q 'grub\.d' && echo " + grub.d/*.cfg" ;;
	mkinitcpio) mk_reads_dropins "$2" && echo " + conf.d/*.conf" ;;
	dracut) echo " + dracut.conf.d" ;;
	esac
}

# evaluate CHECK ROOT FILE OUT
evaluate() {
	case $1 in
	grub) eval_grub "$2" "$4" ;;
	mkinitcpio) eval_mkinitcpio "$2" "$4" ;;
	dracut) eval_dracut "$2" "$4" ;;
	itools) eval_itools "$2" "$4" ;;
	kernelstub) eval_kernelstub "$2" "$4" ;;
	sdboot | grubby)
		case $3 in
		etc/kernel/cmdline) eval_cmdline "$2/$3" "$4" ;;
		*) eval_entry "$2/$3" "$4" ;;
		esac ;;
	esac
}

# kept A B: how many of A's lines are in B in that order, "k/n"
kept() { awk 'FILENAME == ARGV[1] { a[++na] = $0; next } i < na && $0 == a[i + 1] { i++ } END { print i + 0 "/" na + 0 }' "$1" "$2"; }
# added A B: B's lines that A's do not match, one for one
added() { awk 'FILENAME == ARGV[1] { c[$0]++; next } c[$0] > 0 { c[$0]--; next } { print }' "$1" "$2"; }
# the arguments of the command a case printed
printed_args() { sed -n 's/^    \(grubby\|kernelstub\) .*"\(.*\)"$/\2/p' "$1" | head -n 1 | words; }

# the words a check of this case should add where it writes
want_of() {
	case $1 in
	grub) echo "${want_grub-$want}" ;;
	sdboot) echo "${want_sdboot-$want}" ;;
	grubby | kernelstub) echo "$want" ;;	# through the printed command
	*) echo gpuhelper ;;
	esac
}

table=""
row() { table="$table$(printf '%-28s %-62s %-8s %-7s %-50s %s' "$@")
"; }

# judge CASE: the checks over every file every check of CASE reads; the
# verdict (kept, once, commands run) goes to $tmp/CASE/verdict
judge() {
	local c=$1 d=$tmp/$1 ck f id a w k ex how want_w printed allkept=1 once=1 ran=0

	printed=$(printed_args "$d/out" | tr '\n' ' ')
	for ck in $checks; do
		for f in $(check_files "$d/root" "$ck"); do
			id=$(echo "$ck-$f" | tr '/' '_')
			evaluate "$ck" "$d/pristine" "$f" "$d/before.$id"
			evaluate "$ck" "$d/root" "$f" "$d/after.$id"
			how=edited
			cmp -s "$d/pristine/$f" "$d/root/$f" && how=drop-in
			case $ck:$(cat "$d/hand.file" 2>/dev/null) in
			*:"/$f" | grub:/etc/default/grub.d/*) how="by hand" ;;
			esac
			if [ "$ck" = grubby ] || [ "$ck" = kernelstub ]; then
				# the printed command adds its words where it is run
				for a in $printed; do
					if grep -qx -- "$a" "$d/after.$id"; then
						once=0
						echo "# $c: $f: $a is printed, but the user has it"
					fi
					echo "$a" >>"$d/after.$id"
				done
				how=printed
			fi
			want_w=$(want_of "$ck" | words | sort | tr '\n' ' ')
			k=$(kept "$d/before.$id" "$d/after.$id")
			[ "${k%/*}" = "${k#*/}" ] || { allkept=0; echo "# $c: $f: kept only $k of the words"; }
			a=$(added "$d/before.$id" "$d/after.$id" | sort | tr '\n' ' ')
			if [ "$a" != "$want_w" ]; then
				once=0
				echo "# $c: $f: added '$a', want '$want_w'"
			fi
			for w in $want_w; do
				[ "$(grep -cx -- "$w" "$d/after.$id")" = 1 ] ||
					{ once=0; echo "# $c: $f: $w is there $(grep -cx -- "$w" "$d/after.$id") times"; }
			done
			ex=$(added "$d/before.$id.exec" "$d/after.$id.exec" | wc -l)
			if [ "$ex" -ne 0 ]; then
				ran=$((ran + ex))
				added "$d/before.$id.exec" "$d/after.$id.exec" | sed "s|^|# $c: sourcing $f ran: |"
			fi
			[ -z "$a" ] && [ "$how" = drop-in ] && how=-
			row "$c" "$f$(read_too "$ck" "$d/root")" "$how" "$k" "${a:-none}" "executed=$ex"
		done
	done
	echo "$allkept $once $ran" >"$d/verdict"
}

# expectation CASE: host-config did what the case says
expectation() {
	local d=$tmp/$1

	cat "$d/out"
	[ -f "$d/out2" ] && cat "$d/out2"
	case $expect in
	write)
		[ "$(cat "$d/rc")" = 0 ] && grep -q 'nothing to change' "$d/again" ;;
	print)
		[ "$(cat "$d/rc")" = 0 ] && grep -qxF "    $print_cmd" "$d/out" ;;
	refuse)
		[ "$(cat "$d/rc")" = 1 ] && [ ! -s "$d/refused.diff" ] &&
		grep -q 'nothing was written' "$d/out" && [ -s "$d/hand" ] &&
		[ "$(cat "$d/rc2")" = 0 ] && grep -q 'nothing to change' "$d/again" ;;
	esac
}

# by_hand DIR: add the line a refusal gives ("add this line after line N
# of FILE by hand") as a user would
by_hand() {
	local d=$1 at file line

	at=$(sed -n 's/^  add this line after line \([0-9]*\) of \(.*\) by hand.*$/\1/p' "$d/out" | head -n 1)
	file=$(sed -n 's/^  add this line after line \([0-9]*\) of \(.*\) by hand.*$/\2/p' "$d/out" | head -n 1)
	line=$(grep -A1 '^  add this line after line' "$d/out" | sed -n '2s/^    //p')
	[ -n "$at" ] && [ -n "$file" ] && [ -n "$line" ] || return 0
	printf '%s\n' "$line" >"$d/hand"
	echo "$file" >"$d/hand.file"
	sed -i "${at}r $d/hand" "$d/root$file"
}

# same_files A B: the same regular files, the same content
same_files() {
	diff <(cd "$1" && find . -type f | sort | xargs -r sha256sum) \
	     <(cd "$2" && find . -type f | sort | xargs -r sha256sum)
}

# revert_back CASE: --revert puts the files as they were before host-config
# wrote (for a refusal: as they were with the user's hand-added line)
revert_back() {
	local d=$tmp/$1 ref=$tmp/$1/pristine

	[ "$expect" = refuse ] && ref=$d/pristine.hand
	"$gh" host-config --root "$d/root" --revert >"$d/revert" 2>&1 || { cat "$d/revert"; return 1; }
	"$gh" host-config --root "$d/root" --revert >"$d/revert2" 2>&1
	grep -q 'nothing to revert' "$d/revert2" && same_files "$ref" "$d/root"
}

results="does_what_the_case_says original_words_kept gpuhelper_words_added_once nothing_executed revert_puts_the_files_back"
ncases=$(ls -d "$corpus"/*/ | wc -l)
echo "TAP version 13"
echo "1..$((ncases * 5))"

for dir in "$corpus"/*/; do
	c=$(basename "$dir")
	d=$tmp/$c
	unset desc debs args expect checks want want_grub want_sdboot print_cmd
	mutate() { :; }
	args=""
	. "$dir/case.sh"
	mkdir -p "$d/root"
	[ -d "$dir/root" ] && cp -a "$dir/root/." "$d/root/"
	skip=""
	for spec in ${debs:-}; do
		pkg=${spec%%:*} rest=${spec#*:}
		from=${rest%%:*} to=${rest#*:}
		if ! deb "$pkg" || [ ! -f "$tmp/debs/$pkg$from" ]; then
			skip="Debian's $pkg cannot be fetched"
			break
		fi
		mkdir -p "$(dirname "$d/root$to")"
		cp "$tmp/debs/$pkg$from" "$d/root$to"
	done
	if [ -n "$skip" ]; then
		for t in $results; do
			n=$((n + 1))
			echo "ok $n ${c}_$t # SKIP $skip"
		done
		continue
	fi
	mutate "$d/root"
	cp -a "$d/root" "$d/pristine"

	"$gh" host-config --profile r720 --root "$d/root" $args >"$d/out" 2>&1
	echo $? >"$d/rc"
	if [ "$expect" = refuse ]; then
		diff -r "$d/pristine" "$d/root" >"$d/refused.diff" 2>&1
		by_hand "$d"
		cp -a "$d/root" "$d/pristine.hand"
		"$gh" host-config --profile r720 --root "$d/root" $args >"$d/out2" 2>&1
		echo $? >"$d/rc2"
	fi
	"$gh" host-config --profile r720 --root "$d/root" $args >"$d/again" 2>&1
	judge "$c" >"$d/judge" 2>&1
	read -r allkept once ran <"$d/verdict"

	ok "${c}_does_what_the_case_says" expectation "$c"
	ok "${c}_original_words_kept" sh -c "cat $d/judge; [ $allkept = 1 ]"
	ok "${c}_gpuhelper_words_added_once" sh -c "cat $d/judge; [ $once = 1 ]"
	ok "${c}_nothing_executed" sh -c "cat $d/judge; [ $ran = 0 ]"
	ok "${c}_revert_puts_the_files_back" revert_back "$c"
done

echo "# corpus: $(printf '%-28s %-62s %-8s %-7s %-50s %s' case file how kept added executed)"
printf '%s' "$table" | sed 's/^/# corpus: /'
[ "$fails" -eq 0 ]
