#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gpuhelper vbios info|dump|strip and gpuhelper acpi vbios|battery from the
# command line: exit codes, files written, messages. A fake sysfs under
# GPUHELPER_ROOT stands in for the module's shadow. Prints KTAP.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
gh=$top/userspace/gpuhelper
t=$(mktemp -d /tmp/gh-vbios-cli.XXXXXX)
trap 'rm -rf "$t"' EXIT
n=0
rc=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
nok() { n=$((n + 1)); echo "not ok $n $1"; rc=1; }
check() { name=$1; shift; if "$@"; then ok "$name"; else nok "$name"; fi; }

echo "TAP version 13"
echo "1..14"
cc -O2 -o "$t/mkrom" "$top/tests/lib/mkrom.c" || { echo "Bail out! mkrom"; exit 1; }
"$t/mkrom" "$t/rom" 12 4 1234 11e8 3

"$gh" vbios info "$t/rom" >"$t/out" 2>&1
check info_valid_rom_exits_0 [ $? -eq 0 ]
check info_lists_both_images grep -q 'image 1: offset 0x1000 length 8192 type efi' "$t/out"

cp "$t/rom" "$t/bad"
printf '\001' | dd of="$t/bad" bs=1 seek=100 conv=notrunc 2>/dev/null
"$gh" vbios info "$t/bad" >/dev/null 2>"$t/err"
check info_bad_checksum_exits_1_with_reason sh -c "[ $? -eq 1 ] && grep -q 'bad checksum' '$t/err'"

"$gh" vbios info --json "$t/rom" >"$t/json"
check info_json_says_valid_with_efi_header grep -q '"valid":true.*"machine_name":"x64"' "$t/json"

{ head -c 1024 /dev/zero; cat "$t/rom"; head -c 300 /dev/urandom; } >"$t/dump"
"$gh" vbios strip "$t/dump" -o "$t/stripped" >/dev/null
check strip_removes_header_and_trailing_data cmp -s "$t/rom" "$t/stripped"

head -c 4096 /dev/zero >"$t/zeros"
"$gh" vbios strip "$t/zeros" -o "$t/none" >/dev/null 2>&1
check strip_of_non_rom_exits_1_and_writes_nothing sh -c "[ $? -eq 1 ] && [ ! -e '$t/none' ]"

root=$t/root
d=$root/sys/bus/pci/devices/0000:01:00.0
mkdir -p "$d" "$root/sys/class/gpuhelper/0000:01:00.0"
echo 0x1234 >"$d/vendor"
echo 0x11e8 >"$d/device"
{ cat "$t/rom"; head -c 512 /dev/zero; } >"$root/sys/class/gpuhelper/0000:01:00.0/vbios"
GPUHELPER_ROOT=$root "$gh" vbios dump --device 01:00.0 -o "$t/dumped" >"$t/out" 2>&1
check dump_reads_the_module_shadow_exact_length sh -c "cmp -s '$t/rom' '$t/dumped' && grep -q 'gpuhelper shadow' '$t/out'"

echo 0x1c8d >"$d/device"
GPUHELPER_ROOT=$root "$gh" vbios dump --device 0000:01:00.0 -o "$t/dumped2" >/dev/null 2>"$t/err"
check dump_warns_on_id_mismatch_and_saves sh -c "cmp -s '$t/rom' '$t/dumped2' && grep -q 'is for 1234:11e8, the device is 1234:1c8d' '$t/err'"

GPUHELPER_ROOT=$root "$gh" vbios dump --device 02:00.0 -o "$t/x" >/dev/null 2>"$t/err"
check dump_of_missing_device_exits_3_naming_it sh -c "[ $? -eq 3 ] && grep -q '0000:02:00.0' '$t/err'"

"$gh" acpi vbios --rom "$t/rom" -o "$t/acpi" --split 5000 --json >"$t/json"
check acpi_vbios_writes_buffer_tables_and_rom_table sh -c "[ -s '$t/acpi/ssdt-vbios-00.aml' ] && [ -s '$t/acpi/ssdt-vbios-02.aml' ] && [ -s '$t/acpi/ssdt-vbios-rom.aml' ] && [ ! -e '$t/acpi/ssdt-vbios-03.aml' ] && grep -q '\"rom_length\":12288' '$t/json'"

"$gh" acpi vbios --rom "$t/rom" -o "$t/acpi2" --path '\_SB.pci0' >/dev/null 2>"$t/err"
check acpi_vbios_bad_path_is_usage_error sh -c "[ $? -eq 2 ] && grep -q 'not an ACPI path' '$t/err'"

"$gh" acpi vbios --rom "$t/bad" -o "$t/acpi3" >/dev/null 2>"$t/err"
check acpi_vbios_refuses_invalid_rom_without_force sh -c "[ $? -eq 3 ] && [ ! -e '$t/acpi3' ] && grep -q 'bad checksum' '$t/err'"

"$gh" acpi battery -o "$t/bat.aml" >/dev/null
check acpi_battery_writes_an_ssdt sh -c "head -c 4 '$t/bat.aml' | grep -q SSDT"

"$gh" acpi battery >/dev/null 2>&1
check acpi_battery_without_output_is_usage_error [ $? -eq 2 ]
exit $rc
