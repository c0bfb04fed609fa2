#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# host-config killed at every point (issue 8): never a lost user file;
# and host-config --revert killed at every point, the same.
#
# tests/lib/killat.c (LD_PRELOAD) sends SIGKILL just before the Nth
# file-changing call (write, fsync, rename, unlink, create...). A run
# without a kill counts the points; then for every N, on a fresh copy of
# the base root: the run dies, every file is either its old or its new
# text (never empty, partial or gone), every backup holds the old text,
# and a run afterwards finishes with exactly the tree of an uninterrupted
# run (the killed run's temp files removed). Then the same for --revert on
# the written tree: every file is its written or its original text, every
# backup still the original, and a revert afterwards ends at the original
# files. Prints "# host-config kill points: N" and "# revert kill points: N".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="$top/userspace/gpuhelper"
base="$top/tests/fixtures/roots/base"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
hc() { "$gh" host-config --profile r720 --root "$1" >"$tmp/hc.log" 2>&1; }

echo "TAP version 13"
if ! cc -shared -fPIC -O2 -Wall -o "$tmp/killat.so" "$top/tests/lib/killat.c" -ldl; then
	echo "1..1"
	echo "not ok 1 killat_builds"
	exit 1
fi

# the reference: old tree, new tree, number of points
cp -a "$base" "$tmp/old"
cp -a "$base" "$tmp/new"
GH_KILL_COUNT=$tmp/count LD_PRELOAD=$tmp/killat.so hc "$tmp/new"
points=$(cat "$tmp/count" 2>/dev/null || echo 0)
echo "1..5"
if [ "$points" -gt 5 ] && grep -q 'wrote [0-9]* files' "$tmp/hc.log"; then
	echo "ok 1 reference_run_writes # $points kill points"
else
	sed 's/^/# /' "$tmp/hc.log"
	echo "not ok 1 reference_run_writes # $points kill points"
	exit 1
fi

# check ROOT: each file old or new; backups old; temp files counted
lost=0 bad_backup=0 leftovers=0
check() {
	local r=$1 f rel
	# every file of the old and new trees
	for f in $(cd "$tmp/old" && find . -type f; cd "$tmp/new" && find . -type f ! -name '*.gpuhelper-bak'); do
		rel=${f#./}
		if [ -f "$r/$rel" ]; then
			if ! cmp -s "$r/$rel" "$tmp/old/$rel" && ! cmp -s "$r/$rel" "$tmp/new/$rel"; then
				echo "# kill at $2: $rel is neither old nor new"
				lost=$((lost + 1))
			fi
		elif [ -f "$tmp/old/$rel" ]; then
			echo "# kill at $2: $rel is gone"
			lost=$((lost + 1))
		fi
	done
	for f in $(cd "$r" && find . -name '*.gpuhelper-bak'); do
		rel=${f#./}
		if ! cmp -s "$r/$rel" "$tmp/old/${rel%.gpuhelper-bak}"; then
			echo "# kill at $2: backup $rel does not hold the old text"
			bad_backup=$((bad_backup + 1))
		fi
	done
	leftovers=$((leftovers + $(find "$r" -name '*.gpuhelper-tmp.*' | wc -l)))
}

killed=0 recovered=0
for n in $(seq 1 "$points"); do
	r=$tmp/k$n
	cp -a "$base" "$r"
	# (a subshell: the shell's "Killed" notice stays out of the KTAP)
	(GH_KILL_AT=$n LD_PRELOAD=$tmp/killat.so hc "$r") 2>/dev/null
	[ $? -eq 137 ] && killed=$((killed + 1))
	check "$r" "$n"
	# and a run afterwards ends where an uninterrupted one does, the
	# killed run's temp files removed (diff -r would list them)
	hc "$r"
	if diff -r "$r" "$tmp/new" >"$tmp/diff" 2>&1; then
		recovered=$((recovered + 1))
	else
		echo "# kill at $n: the run after it did not end at the new tree:"
		head -n 5 "$tmp/diff" | sed 's/^/#   /'
	fi
	rm -rf "$r"
done

echo "# host-config kill points: $points, killed $killed, files lost or torn: $lost, bad backups: $bad_backup, temp files the kills left: $leftovers (each removed by the next run)"
if [ "$killed" -eq "$points" ] && [ $lost -eq 0 ] && [ $bad_backup -eq 0 ]; then
	echo "ok 2 kill_at_every_point_leaves_old_or_new_and_backups"
else
	echo "not ok 2 kill_at_every_point_leaves_old_or_new_and_backups"
fi
if [ "$recovered" -eq "$points" ]; then
	echo "ok 3 a_run_after_each_kill_completes_the_change"
else
	echo "not ok 3 a_run_after_each_kill_completes_the_change # $recovered of $points"
fi
ok_forward=0
[ "$killed" -eq "$points" ] && [ $lost -eq 0 ] && [ $bad_backup -eq 0 ] && [ "$recovered" -eq "$points" ] && ok_forward=1

# --revert, from the written tree back to the original one
files() { (cd "$1" && find . -type f | sort | xargs -r sha256sum); }
rv() { "$gh" host-config --root "$1" --revert >"$tmp/rv.log" 2>&1; }
cp -a "$tmp/new" "$tmp/rvref"
GH_KILL_COUNT=$tmp/rvcount LD_PRELOAD=$tmp/killat.so rv "$tmp/rvref"
rpoints=$(cat "$tmp/rvcount" 2>/dev/null || echo 0)
rkilled=0 rlost=0 rbad=0 rrecovered=0
for n in $(seq 1 "$rpoints"); do
	r=$tmp/r$n
	cp -a "$tmp/new" "$r"
	(GH_KILL_AT=$n LD_PRELOAD=$tmp/killat.so rv "$r") 2>/dev/null
	[ $? -eq 137 ] && rkilled=$((rkilled + 1))
	for f in $(cd "$tmp/old" && find . -type f; cd "$tmp/new" && find . -type f ! -name '*.gpuhelper-bak'); do
		rel=${f#./}
		if [ -f "$r/$rel" ]; then
			if ! cmp -s "$r/$rel" "$tmp/old/$rel" && ! cmp -s "$r/$rel" "$tmp/new/$rel"; then
				echo "# revert killed at $n: $rel is neither written nor original"
				rlost=$((rlost + 1))
			fi
		elif [ -f "$tmp/old/$rel" ]; then
			echo "# revert killed at $n: $rel is gone"
			rlost=$((rlost + 1))
		fi
	done
	for f in $(cd "$r" && find . -name '*.gpuhelper-bak'); do
		rel=${f#./}
		if ! cmp -s "$r/$rel" "$tmp/old/${rel%.gpuhelper-bak}"; then
			echo "# revert killed at $n: backup $rel does not hold the original text"
			rbad=$((rbad + 1))
		fi
	done
	rv "$r"
	if [ "$(files "$r")" = "$(files "$tmp/old")" ]; then
		rrecovered=$((rrecovered + 1))
	else
		echo "# revert killed at $n: the revert after it did not end at the original files"
	fi
	rm -rf "$r"
done
echo "# revert kill points: $rpoints, killed $rkilled, files lost or torn: $rlost, bad backups: $rbad"
if [ "$rpoints" -gt 3 ] && [ "$rkilled" -eq "$rpoints" ] && [ $rlost -eq 0 ] && [ $rbad -eq 0 ]; then
	echo "ok 4 revert_killed_at_every_point_leaves_written_or_original"
else
	echo "not ok 4 revert_killed_at_every_point_leaves_written_or_original"
fi
if [ "$rpoints" -gt 3 ] && [ "$rrecovered" -eq "$rpoints" ]; then
	echo "ok 5 a_revert_after_each_kill_ends_at_the_original_files"
else
	echo "not ok 5 a_revert_after_each_kill_ends_at_the_original_files # $rrecovered of $rpoints"
fi
[ $ok_forward = 1 ] && [ "$rkilled" -eq "$rpoints" ] && [ $rlost -eq 0 ] && [ $rbad -eq 0 ] &&
	[ "$rrecovered" -eq "$rpoints" ] && [ "$rpoints" -gt 3 ]
