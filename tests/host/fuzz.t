#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make check's bounded fuzz run: the vBIOS parser, the AML encoder's input
# path, the ids= and mdevs= parsers and the vm --from XML patcher, GH_FUZZ_SECONDS
# each (default 8), with a fixed seed (GH_FUZZ_SEED, default 1) so that
# every machine replays the same inputs: a gate, not a search. Searching
# (a new seed each run, longer): make fuzz.
GH_FUZZ_SEED=${GH_FUZZ_SEED:-1} exec "$(dirname "$0")/../fuzz/run" "${GH_FUZZ_SECONDS:-8}"
