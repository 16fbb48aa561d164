#!/usr/bin/env bash
# `make run`: a demo vault under .phidesk-demo/ with the bundled synthetic patients, signed
# in as a demo clinician; then a search, a chart and the administrator's audit check.
#
# Every secret is random and made on the first run: the installation passphrase, the
# administrator's and the clinician's passwords, and their authenticator secrets. They are
# shown once and kept in 0600 files under .phidesk-demo/ so that later runs can sign in
# again (a demo convenience; in a clinic each person keeps their own).
set -euo pipefail
cd "$(dirname "$0")/.."

# Swift's crash reporter would print memory near registers (possibly secrets) to stderr.
export SWIFT_BACKTRACE=enable=no

phidesk=${PHIDESK_BIN:-.build/release/phidesk}
demo=.phidesk-demo
umask 077
mkdir -p "$demo/run"
export PHIDESK_VAULT="$demo/vault"
export PHIDESK_PASSPHRASE_FILE="$demo/installation-passphrase"
export XDG_RUNTIME_DIR="$PWD/$demo/run"

random_secret() { head -c 24 /dev/urandom | base64 | tr -d '\n=/+'; echo; }

# The authenticator code for an account, from its saved secret (what a phone app does).
code_for() { oathtool --totp -b "$(cat "$demo/$1.totp")" -N "now + ${2:-0} seconds"; }

# Signs in. A code works only once, so when this 30-second step's code was already used
# for the account (a second sign-in within the same step), wait for the next step first.
login_as() {
    local user=$1 step last
    step=$(( $(date +%s) / 30 ))
    last=$(cat "$demo/$user.last-step" 2>/dev/null || echo 0)
    if [ "$step" -le "$last" ]; then
        echo "(waiting $((30 - $(date +%s) % 30))s for a fresh authenticator code)"
        sleep $((30 - $(date +%s) % 30))
        step=$(( $(date +%s) / 30 ))
    fi
    echo "$step" > "$demo/$user.last-step"
    PHIDESK_PASSWORD_FILE="$demo/$user.password" "$phidesk" login "$user" \
        --code "$(code_for "$user")"
}

if [ ! -e "$PHIDESK_VAULT/vault.sqlite" ]; then
    random_secret > "$PHIDESK_PASSPHRASE_FILE"
    random_secret > "$demo/admin.password"
    random_secret > "$demo/drdemo.password"

    echo "== first run: creating the vault and its administrator"
    PHIDESK_PASSWORD_FILE="$demo/admin.password" "$phidesk" init admin --name "Demo Admin" \
        | tee "$demo/admin.enrolment"
    sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' "$demo/admin.enrolment" > "$demo/admin.totp"

    login_as admin
    echo "== the administrator adds a demo clinician"
    PHIDESK_PASSWORD_FILE="$demo/drdemo.password" "$phidesk" user add drdemo \
        --name "Dr Demo" --role clinician | tee "$demo/drdemo.enrolment"
    sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' "$demo/drdemo.enrolment" > "$demo/drdemo.totp"
    echo
    echo "Demo credentials (shown once; kept in $demo/ for later runs):"
    echo "  admin   password $(cat "$demo/admin.password")"
    echo "  drdemo  password $(cat "$demo/drdemo.password")"
    echo "  installation passphrase (recovery key) $(cat "$PHIDESK_PASSPHRASE_FILE")"
    echo
fi

echo "== sign in as the demo clinician"
login_as drdemo

echo "== import samples/"
"$phidesk" import samples/

echo
echo "== search: name 'mejia' (finds Mejía)"
"$phidesk" search mejia

echo
echo "== search: family \"o'hara\" (finds O'Hara248)"
"$phidesk" search --family "o'hara"

patient=$("$phidesk" search mejia --json | sed -n 's/.*"patientID" : "\([0-9a-f]*\)".*/\1/p' \
    | head -n 1)
echo
echo "== show $patient"
"$phidesk" show "$patient"

echo
echo "== the administrator checks the audit trail"
login_as admin
"$phidesk" audit verify
"$phidesk" audit tail -n 8
"$phidesk" logout

echo
echo "Vault: $PHIDESK_VAULT. Sign in yourself with:"
echo "  export PHIDESK_VAULT=$PHIDESK_VAULT XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR"
echo "  $phidesk login drdemo     # password in $demo/drdemo.password;"
echo "                            # code: oathtool --totp -b \$(cat $demo/drdemo.totp)"

# The desktop app on the same demo vault (its own sign-in: password + authenticator code).
desktop=${PHIDESK_DESKTOP_BIN:-.build/release/phidesk-desktop}
echo
if [ ! -x "$desktop" ]; then
    echo "(desktop app not built: swift build -c release --product phidesk-desktop)"
elif [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    desktop_args=(--vault "$PHIDESK_VAULT")
    if [ "$(id -u)" -eq 0 ]; then
        # The desktop app refuses root by default: WebKit's bubblewrap sandbox keeps root's
        # capabilities. Only this demo (e.g. in a root container) opts in, visibly.
        echo "NOTE: running as root, so the desktop app is started with --allow-root;"
        echo "      its web sandbox is weaker than for a normal user. Do not do this with real data."
        desktop_args+=(--allow-root)
    fi
    # XDG_RUNTIME_DIR was pointed at $demo/run for the CLI's session above; the desktop
    # app needs the real one, where the Wayland socket and the session bus live.
    desktop_env=()
    if [ -d "/run/user/$(id -u)" ]; then desktop_env=("XDG_RUNTIME_DIR=/run/user/$(id -u)"); fi
    echo "== the desktop app (sign in as drdemo; code: oathtool --totp -b \$(cat $demo/drdemo.totp))"
    env ${desktop_env[@]+"${desktop_env[@]}"} "$desktop" "${desktop_args[@]}"
else
    echo "No display (DISPLAY and WAYLAND_DISPLAY are unset): not starting the desktop app."
    echo "To run it without a screen (e.g. for tests):"
    root_note=""
    [ "$(id -u)" -eq 0 ] && root_note=" --allow-root   # as root only: weaker web sandbox"
    echo "  xvfb-run -a dbus-run-session $desktop --vault $PHIDESK_VAULT$root_note"
    echo "The CLI ($phidesk) remains available for everything shown above."
fi
