#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# base-dir.sh: fetch the base tree if needed and print where its sources
# are (the host harness builds the kernel's arm64 instruction encoders
# from there).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$KBPF_SCRIPTS/fetch-base.sh" >&2
kbpf_base_dir
