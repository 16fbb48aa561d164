#!/usr/bin/env bash
# Installs the Debian packages phidesk builds and tests against, if any are missing.
# Usage: scripts/install-deps.sh PACKAGE...
set -euo pipefail

if ! command -v swift >/dev/null 2>&1; then
    echo "phidesk: the Swift 6 toolchain is required (swift not found on PATH)" >&2
    exit 1
fi

missing=()
for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "phidesk: installing missing Debian packages: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
    apt_get=(apt-get)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    apt_get=(sudo apt-get)
else
    echo "phidesk: cannot install packages (not root and no password-less sudo)." >&2
    echo "         Ask an administrator to run: apt-get install ${missing[*]}" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if ! "${apt_get[@]}" install -y -qq "${missing[@]}" >/dev/null; then
    # A fresh machine may have no package lists yet.
    "${apt_get[@]}" update -qq
    "${apt_get[@]}" install -y -qq "${missing[@]}" >/dev/null
fi
