#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make check's bounded fuzz run: the vBIOS parser and the AML encoder's
# input path, GH_FUZZ_SECONDS each (default 20). Longer: make fuzz.
exec "$(dirname "$0")/../fuzz/run" "${GH_FUZZ_SECONDS:-20}"
