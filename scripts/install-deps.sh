#!/usr/bin/env bash
# Installs what `make` needs and is missing: the Debian packages for simulation and
# synthesis (verilator with make and g++, iverilog, yosys) and NumPy for the golden-format tests, then the
# NuGet restore. Safe to run repeatedly: it only acts on what is absent.
set -euo pipefail

missing=()
command -v verilator >/dev/null 2>&1 || missing+=(verilator)
command -v iverilog  >/dev/null 2>&1 || missing+=(iverilog)
command -v yosys     >/dev/null 2>&1 || missing+=(yosys)
# Verilator --build compiles its C++ model with make and g++; the Debian package does not pull them in.
command -v make      >/dev/null 2>&1 || missing+=(make)
command -v g++       >/dev/null 2>&1 || missing+=(g++)
/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1 || missing+=(python3-numpy)

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v dotnet >/dev/null 2>&1 || { echo "deps: the .NET SDK (dotnet) is required and not on PATH" >&2; exit 1; }
dotnet restore bnn-hdl.sln --nologo -v q
