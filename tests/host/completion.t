#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bash completion 'gpuhelper completion bash' prints from the option
# tables, run by bash itself with COMP_WORDS and COMP_CWORD set as bash's
# programmable completion sets them: at every command and verb it offers
# exactly the options that command's --help lists, the commands and
# verbs --help lists, the values an option takes, and files or
# directories where the table says so. make install installs that very
# script. The comparison fails on a script with one option taken out
# (self-test). Prints KTAP.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gh="$top/userspace/gpuhelper"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

. "$top/tests/lib/ktap.sh"

"$gh" completion bash >"$tmp/comp.bash" 2>"$tmp/comp.err" || {
	echo "Bail out! gpuhelper completion bash failed: $(cat "$tmp/comp.err")"; exit 1; }

# comp SCRIPT WORD...: what the completion offers when the last WORD is
# the one under the cursor, one a line, sorted
comp() {
	script=$1
	shift
	(cd "$tmp/cwd" && bash -c '
		. "$1"; shift
		COMP_WORDS=(gpuhelper "$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="${COMP_WORDS[*]}"
		_gpuhelper
		[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"' _ "$script" "$@") |
		LC_ALL=C sort
}

# helpopts WORD...: the options in the "options:" part of gpuhelper WORD... --help
helpopts() {
	"$gh" "$@" --help | sed -n '/^options:$/,/^$/p' |
		awk '/^ +-/ { for (i = 1; i <= NF; i++) { f = $i; sub(/,$/, "", f); sub(/\[=.*/, "", f);
			if (f !~ /^-/) break; print f } }' | LC_ALL=C sort
}

# helpverbs WORD...: the commands listed in the "commands:" part of --help
helpverbs() {
	"$gh" "$@" --help | sed -n '/^commands:$/,/^$/p' | awk '/^  [a-z]/ { print $1 }' |
		LC_ALL=C sort
}

# same_opts SCRIPT KEY...: the completion at "gpuhelper KEY... -" is --help's list
same_opts() {
	script=$1
	shift
	helpopts "$@" >"$tmp/want"
	comp "$script" "$@" - >"$tmp/got"
	[ -s "$tmp/want" ] || { echo "no options in gpuhelper $* --help"; return 1; }
	diff -u "$tmp/want" "$tmp/got"
}

# expect WANT WORD...: the completion, joined by spaces, is WANT
expect() {
	want=$1
	shift
	got=$(comp "$tmp/comp.bash" "$@" | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$want" ] || { echo "gpuhelper $*<TAB>: got '$got', want '$want'"; return 1; }
}

mkdir -p "$tmp/cwd/dir-a" "$tmp/cwd/dir-b"
: >"$tmp/cwd/domain.xml"

# every command and verb, as gpuhelper --help lists them
keys=""
for c in $(helpverbs); do
	keys="$keys $c"
	for v in $(helpverbs "$c"); do
		keys="$keys $c:$v"
	done
done
nkeys=$(echo $keys | wc -w)

echo "TAP version 13"
echo "1..$((nkeys + 16))"

ok completion_script_is_valid_bash bash -n "$tmp/comp.bash"
for k in $keys; do
	# shellcheck disable=SC2086
	ok "completion_offers_exactly_the_options_of_$(echo "$k" | tr ':-' '__')" \
		same_opts "$tmp/comp.bash" $(echo "$k" | tr ':' ' ')
done
# gpuhelper <TAB>: the commands --help lists; not the hidden "completion"
top_level() {
	helpverbs >"$tmp/want"
	comp "$tmp/comp.bash" "" >"$tmp/got"
	diff -u "$tmp/want" "$tmp/got" && ! grep -qx completion "$tmp/got"
}
ok completion_offers_the_commands_of_help_not_the_hidden_one top_level
ok completion_commands_by_prefix expect "vbios version vm" v
ok completion_verbs_of_acpi expect "battery vbios" acpi ""
ok completion_verbs_of_mdev_after_an_option_value expect "apply create list remove" mdev ""
ok completion_values_of_vm_format expect "libvirt qemu" vm --format ""
ok completion_value_after_equals expect "qemu" vm --format=q
ok completion_values_of_host_config_initramfs expect "dracut" host-config --dry-run --initramfs d
ok completion_values_of_handoff_to expect "host stub vfio" handoff --to ""
ok completion_directory_value_offers_only_directories expect "dir-a dir-b" acpi vbios --rom domain.xml -o ""
ok completion_file_value_offers_files expect "domain.xml" vm --from dom
ok completion_skips_option_values_when_finding_the_command \
	expect "--help --json --libvirt --profile --quiet --root --rules -h -j -q" lint --root dir-a domain.xml -
ok completion_hook_offers_qemu_after_root expect "qemu" hook --root dir-a ""
ok completion_after_double_dash_offers_no_option expect "" hook qemu -- -

# the completion make install installs is the one the tables print
ok make_install_cli_installs_the_generated_completion sh -c "
	make -s -C '$top' install-cli DESTDIR='$tmp/d' PREFIX=/usr >'$tmp/install.log' 2>&1 &&
	cmp '$tmp/d/usr/share/bash-completion/completions/gpuhelper' '$tmp/comp.bash'"

# self-test: a script without --with-audio fails the comparison for vm
sed 's/ --with-audio / /' "$tmp/comp.bash" >"$tmp/planted.bash"
planted() {
	grep -q -- ' --with-audio ' "$tmp/comp.bash" && ! same_opts "$tmp/planted.bash" vm
}
ok self_test_a_missing_option_fails_the_comparison planted
[ $fails -eq 0 ]
