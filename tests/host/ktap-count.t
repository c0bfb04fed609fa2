#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The counter behind make check's total (tests/lib/ktap-count): each KTAP
# stream is checked against its plan, so a program that stops early, one
# that dies after its plan, an excess or a gap in the numbering counts as
# failures; leading and trailing plans, and the L2 guest's stream nested
# in the e2e suite's, count right. Then make check itself (tests/run-all,
# no suite, with a stream that stops early) must end in a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
kc=$top/tests/lib/ktap-count
t=$(mktemp -d /tmp/gh-ktap-count.XXXXXX)
trap 'rm -rf "$t"' EXIT
n=0
rc=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
nok() { n=$((n + 1)); echo "not ok $n $1"; rc=1; }
# expect NAME "PASS FAIL SKIP": the counter's verdict on $t/NAME
expect() {
	got=$("$kc" "$t/$1" 2>"$t/$1.err")
	if [ "$got" = "$2" ]; then
		ok "$1_counts_$(echo "$2" | tr ' ' '_')"
	else
		nok "$1_counts_$(echo "$2" | tr ' ' '_') # got $got"
	fi
}

echo "TAP version 13"
echo "1..9"

printf 'TAP version 13\n1..3\nok 1 a\nok 2 b\nok 3 c # SKIP no x\n' >"$t/complete"
expect complete "2 0 1"

# a guest program that crashed after two of its four results
printf 'TAP version 13\n1..4\nok 1 a\nok 2 b\nTAP version 13\n1..1\nok 1 c\n' >"$t/stops_early"
expect stops_early "3 2 0"
grep -q 'plan 1..4, 2 results: 2 missing' "$t/stops_early.err" &&
	ok stops_early_names_the_plan_and_the_missing || nok stops_early_names_the_plan_and_the_missing

# one that printed its plan and died
printf 'TAP version 13\n1..5\n# a comment\n' >"$t/plan_only"
expect plan_only "0 5 0"

printf '1..2\nok 1 a\nok 2 b\nok 3 c\n' >"$t/excess"
expect excess "3 1 0"

printf '1..3\nok 1 a\nok 3 c\n' >"$t/gap"
expect gap "2 1 0"

# static and dkms print their plan last
printf 'ok 1 a\nnot ok 2 b\n1..2\n' >"$t/trailing"
expect trailing "1 1 0"

# e2e: L1 results, L2's stream with a trailing plan, L1 goes on, L1's plan,
# then the rig's own planned checks
printf 'ok 1 l1a\nok 2 l1b\nok 1 l2a\nok 2 l2b\nok 3 l2c\n1..3\nok 3 l1c\n1..3\nTAP version 13\n1..2\nok 1 rig_a\nok 2 rig_b\n' >"$t/nested"
expect nested "8 0 0"

# make check's verdict on a stream that stops early
GH_SUITES=none GH_RESULTS_DIR=$t/results GH_EXTRA_KTAP=$t/stops_early \
	"$top/tests/run-all" >"$t/run-all.out" 2>&1
st=$?
if [ "$st" -ne 0 ] && grep -qx '3 passed, 2 failed, 0 skipped' "$t/run-all.out"; then
	ok make_check_fails_on_a_stream_that_stops_early
else
	nok "make_check_fails_on_a_stream_that_stops_early # exit $st: $(tail -n 1 "$t/run-all.out")"
fi
exit $rc
