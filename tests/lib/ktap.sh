# SPDX-License-Identifier: GPL-2.0
# Sourced by the tests/host/*.t scripts: one KTAP result from a command.
#
#   ok NAME COMMAND...
#
# Runs COMMAND with its output in $tmp/out; prints "ok N NAME", or
# "not ok N NAME" followed by the first 30 lines of that output as
# comments. The caller sets tmp (a scratch directory), n=0 and fails=0.
ok() {
	name=$1; shift
	n=$((n + 1))
	if "$@" >"$tmp/out" 2>&1; then
		echo "ok $n $name"
	else
		echo "not ok $n $name"
		sed 's/^/# /' "$tmp/out" | head -n 30
		fails=$((fails + 1))
	fi
}

# xp FILE XPATH EXPECTED: the string value of XPATH in FILE (xmllint) is
# EXPECTED; a check for ok's COMMAND
xp() {
	got=$(xmllint --xpath "$2" "$1" 2>/dev/null)
	[ "$got" = "$3" ] || { echo "xpath $2: got '$got', want '$3'"; return 1; }
}
