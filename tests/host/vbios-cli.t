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
echo "1..20"
cc -O2 -o "$t/mkrom" "$top/tests/lib/mkrom.c" || { echo "Bail out! mkrom"; exit 1; }
"$t/mkrom" -s 12 -x 4 -i 1234:11e8 -S 3 "$t/rom"

"$gh" vbios info "$t/rom" >"$t/out" 2>&1
check info_valid_rom_exits_0 [ $? -eq 0 ]
check info_lists_both_images grep -q 'image 1: offset 0x1000 length 8192 signature 0xaa55 struct PCIR type efi' "$t/out"

cp "$t/rom" "$t/bad"
printf '\001' | dd of="$t/bad" bs=1 seek=100 conv=notrunc 2>/dev/null
"$gh" vbios info "$t/bad" >"$t/out" 2>&1
check info_bad_checksum_is_valid_with_a_warning sh -c "[ $? -eq 0 ] && grep -q 'warnings: bad-checksum' '$t/out' && grep -q 'checksum bad' '$t/out'"

# The layouts real GPUs carry (tests/lib/romgen.h): every image listed.
for l in pascal turing; do
	"$t/mkrom" -l $l -i 10de:1c8d -S 5 "$t/$l.rom"
	"$gh" vbios info "$t/$l.rom" >"$t/$l.out" 2>&1
	echo $? >"$t/$l.rc"
done
check info_pascal_layout_valid_four_images_npde_shown sh -c "[ \$(cat '$t/pascal.rc') -eq 0 ] && grep -q '^length: 168448$' '$t/pascal.out' && grep -q '^image 0: offset 0x0 length 61952 signature 0xaa55 struct PCIR type x86 (0x00) vendor 10de device 1c8d class 030000 pcir-length 168448 pcir-last 1 npde-length 61952 npde-last 0 last 0 checksum ok' '$t/pascal.out' && grep -q '^image 3: offset 0x28800 length 2560 signature 0x4e56 struct NPDS type nvidia-last (0x70) .* pcir-last 0 npde none last 1' '$t/pascal.out'"
check info_turing_layout_valid_five_images sh -c "[ \$(cat '$t/turing.rc') -eq 0 ] && grep -q '^length: 326656$' '$t/turing.out' && grep -q '^image 1: .* type efi (0x03) .* pcir-last 1 npde-length 69632 npde-last 0 last 0' '$t/turing.out' && grep -q '^images: 5$' '$t/turing.out'"
"$gh" vbios info --json "$t/pascal.rom" >"$t/pascal.json"
check info_json_gives_struct_pcir_and_npde_values grep -q '"signature":"0x4e56","struct":"NPDS".*"pcir_length":2560,"pcir_last":false,"npde":null,"last":true' "$t/pascal.json"

# A Turing ROM read through the kernel's trimmed ROM size: refused, and why
head -c $((59904 + 69632)) "$t/turing.rom" >"$t/trimmed.rom"
"$gh" vbios info "$t/trimmed.rom" >/dev/null 2>"$t/err"
check info_trimmed_rom_exits_1_naming_the_npde sh -c "[ $? -eq 1 ] && grep -q 'no image carries the last-image flag' '$t/err' && grep -q 'NPDE says more images follow' '$t/err'"

# A full-flash dump: info points at strip, strip extracts the ROM exactly
"$t/mkrom" -l flash -i 10de:1c8d -S 6 -r "$t/flash-rom" "$t/flash.dump"
"$gh" vbios info "$t/flash.dump" >/dev/null 2>"$t/err"
check info_flash_dump_exits_1_pointing_at_strip sh -c "[ $? -eq 1 ] && grep -q 'a valid ROM starts at offset 0x4600' '$t/err'"
"$gh" vbios strip "$t/flash.dump" -o "$t/flash-stripped" >"$t/out"
check strip_flash_dump_gives_the_rom_exactly sh -c "cmp -s '$t/flash-rom' '$t/flash-stripped' && grep -q 'removed 17920 header bytes' '$t/out'"

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

cp "$t/rom" "$t/broken"
printf '\000' | dd of="$t/broken" bs=1 seek=4096 conv=notrunc 2>/dev/null
"$gh" acpi vbios --rom "$t/broken" -o "$t/acpi3" >/dev/null 2>"$t/err"
check acpi_vbios_refuses_invalid_rom_without_force sh -c "[ $? -eq 3 ] && [ ! -e '$t/acpi3' ] && grep -q 'bad signature' '$t/err'"

"$gh" acpi battery -o "$t/bat.aml" >/dev/null
check acpi_battery_writes_an_ssdt sh -c "head -c 4 '$t/bat.aml' | grep -q SSDT"

"$gh" acpi battery >/dev/null 2>&1
check acpi_battery_without_output_is_usage_error [ $? -eq 2 ]
exit $rc
