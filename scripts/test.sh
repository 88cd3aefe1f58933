#!/usr/bin/env bash
# Runs the test suite and ends with the plain "N passed, N failed" line CI reads.
set -uo pipefail
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test bnn-hdl.sln -c "${CONFIG:-Release}" --nologo --no-build -v q 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "$passed passed, $failed failed"
if [ "$rc" -eq 0 ] && [ "$passed" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
exit "$rc"
