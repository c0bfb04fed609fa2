#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make check's bounded fuzz run: the vBIOS parser, the AML encoder's input
# path, the ids= and mdevs= parsers and the vm --from XML patcher, GH_FUZZ_SECONDS
# each (default 15). Longer: make fuzz.
exec "$(dirname "$0")/../fuzz/run" "${GH_FUZZ_SECONDS:-15}"
