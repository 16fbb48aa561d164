#!/usr/bin/env bash
# `make run`: a vault under .phidesk-demo/ with the bundled synthetic patients imported,
# then a search and a chart. The demo passphrase is random, made on first run, and kept
# in a 0600 file next to the vault (a demo convenience, not how a clinic should store it).
set -euo pipefail
cd "$(dirname "$0")/.."

# Swift's crash reporter would print memory near registers (possibly secrets) to stderr.
export SWIFT_BACKTRACE=enable=no

phidesk=${PHIDESK_BIN:-.build/release/phidesk}
demo=.phidesk-demo
export PHIDESK_VAULT="$demo/vault"
export PHIDESK_PASSPHRASE_FILE="$demo/passphrase"

umask 077
mkdir -p "$demo"
if [ ! -s "$PHIDESK_PASSPHRASE_FILE" ]; then
    head -c 24 /dev/urandom | base64 | tr -d '\n=' > "$PHIDESK_PASSPHRASE_FILE"
    echo >> "$PHIDESK_PASSPHRASE_FILE"
fi

if [ ! -e "$PHIDESK_VAULT/vault.sqlite" ]; then
    "$phidesk" init
fi

echo "== import samples/"
"$phidesk" import samples/

echo
echo "== search: name 'mejia' (finds Mejía)"
"$phidesk" search mejia

echo
echo "== search: family \"o'hara\" (finds O'Hara248)"
"$phidesk" search --family "o'hara"

patient=$("$phidesk" search mejia --json | sed -n 's/.*"patientID" : "\([0-9a-f]*\)".*/\1/p' | head -n 1)
echo
echo "== show $patient"
"$phidesk" show "$patient"

echo
echo "== audit verify"
"$phidesk" audit verify
echo
echo "== audit tail -n 5"
"$phidesk" audit tail -n 5

echo
echo "Vault: $PHIDESK_VAULT (passphrase file: $PHIDESK_PASSPHRASE_FILE)."
echo "Try: PHIDESK_VAULT=$PHIDESK_VAULT PHIDESK_PASSPHRASE_FILE=$PHIDESK_PASSPHRASE_FILE $phidesk --help"
