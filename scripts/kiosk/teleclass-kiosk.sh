#!/usr/bin/env bash
# Teleclass classroom kiosk: Chromium (Debian) or Google Chrome full screen on the classroom's
# link, sound without a click, camera and microphone allowed for the Teleclass server only, no
# first-run pages, no screen blanking or sleep, its own profile; started again if it ever exits.
#
#   teleclass-kiosk.sh [URL]                 start the kiosk (URL or KIOSK_URL from the config)
#   teleclass-kiosk.sh --print-flags [URL]   the browser's command line, one argument a line
#   teleclass-kiosk.sh --print-policy [URL]  the enterprise policy JSON for the URL's origin
#   sudo teleclass-kiosk.sh --install-policy [URL]
#                                            writes that policy where Debian Chromium and Google
#                                            Chrome read it (/etc/chromium/policies/managed,
#                                            /etc/opt/chrome/policies/managed)
#
# Config (optional, shell syntax): /etc/teleclass-kiosk.conf, then ~/.config/teleclass-kiosk.conf
#   KIOSK_URL=https://teleclass.example.az/site/<lecture>?token=…   the classroom's link
#   KIOSK_BROWSER=chromium            default: the first of chromium, google-chrome-stable,
#                                     google-chrome, chromium-browser on PATH
#   KIOSK_PROFILE=~/.local/share/teleclass-kiosk     the browser's own user-data-dir
#   KIOSK_CERT=/etc/teleclass/server.crt   a self-signed server certificate to trust (needs certutil,
#                                     Debian package libnss3-tools); unset with a real certificate
#   KIOSK_RESTART=1                   start the browser again 5 s after it exits (0: do not)
#   KIOSK_EXTRA_FLAGS="--force-device-scale-factor=1.5"   more browser flags
set -euo pipefail

# Where the script really is (it is usually started through a link in /usr/local/bin).
HERE=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
POLICY_TEMPLATE="$HERE/policies/teleclass-kiosk.json"
TEMPLATE_ORIGIN='https://teleclass.example.az'
POLICY_DIRS=(/etc/chromium/policies/managed /etc/opt/chrome/policies/managed)

for config in /etc/teleclass-kiosk.conf "${XDG_CONFIG_HOME:-$HOME/.config}/teleclass-kiosk.conf"; do
  # shellcheck source=/dev/null
  [ -r "$config" ] && . "$config"
done

mode=run
case "${1:-}" in
  --print-flags | --print-policy | --install-policy) mode=${1#--}; shift ;;
  -h | --help) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
url=${1:-${KIOSK_URL:-}}
if [[ ! "$url" =~ ^https?://[^/]+ ]]; then
  echo "teleclass-kiosk: give the classroom's link (https://…/site/<lecture>?token=…) as the argument or KIOSK_URL" >&2
  exit 2
fi
origin=${BASH_REMATCH[0]}
profile=${KIOSK_PROFILE:-${XDG_DATA_HOME:-$HOME/.local/share}/teleclass-kiosk}

# The browser's flags. Each one is what the policy file says too, where a policy exists for it.
flags=(
  --kiosk                                        # full screen, no address bar, no way out but Alt+F4
  --autoplay-policy=no-user-gesture-required     # the lecture's sound plays without a click
  --no-first-run                                 # no welcome page, no "make default" question
  --no-default-browser-check
  --user-data-dir="$profile"                     # its own profile: settings, camera permission
  --disable-session-crashed-bubble               # after a power cut: no "restore pages?" bubble
  --hide-crash-restore-bubble
  --noerrdialogs
  --disable-infobars
  --disable-translate
  --disable-features=Translate,TranslateUI,MediaRouter,GlobalMediaControls
  --disable-pinch                                # a touch screen does not zoom the page
  --overscroll-history-navigation=0              # a swipe does not go back a page
  --password-store=basic                         # no keyring prompt
  --check-for-update-interval=31536000           # no "update Chrome" nag
)
# shellcheck disable=SC2206
[ -n "${KIOSK_EXTRA_FLAGS:-}" ] && flags+=(${KIOSK_EXTRA_FLAGS})

policy() {
  sed "s#$TEMPLATE_ORIGIN#$origin#g" "$POLICY_TEMPLATE"
}

case "$mode" in
  print-flags)
    printf '%s\n' "${flags[@]}" "$url"
    exit 0
    ;;
  print-policy)
    policy
    exit 0
    ;;
  install-policy)
    for dir in "${POLICY_DIRS[@]}"; do
      mkdir -p "$dir"
      policy > "$dir/teleclass-kiosk.json"
      chmod 644 "$dir/teleclass-kiosk.json"
      echo "wrote $dir/teleclass-kiosk.json (for $origin)"
    done
    exit 0
    ;;
esac

browser=${KIOSK_BROWSER:-}
if [ -z "$browser" ]; then
  for candidate in chromium google-chrome-stable google-chrome chromium-browser; do
    if command -v "$candidate" > /dev/null; then browser=$candidate; break; fi
  done
fi
if [ -z "$browser" ] || ! command -v "$browser" > /dev/null; then
  echo "teleclass-kiosk: no Chromium or Chrome found (sudo apt-get install chromium)" >&2
  exit 1
fi

mkdir -p "$profile/Default"
# Sound (which lets it autoplay), camera and microphone allowed for the Teleclass server only,
# without a click or a question: written once into the new profile as its site settings. (The
# policy file does the same machine-wide, where no user can change it.)
if [ ! -e "$profile/Default/Preferences" ]; then
  cat > "$profile/Default/Preferences" << PREFS
{
  "browser": { "has_seen_welcome_page": true, "check_default_browser": false },
  "profile": {
    "exit_type": "Normal",
    "content_settings": {
      "exceptions": {
        "media_stream_camera": { "$origin,*": { "setting": 1 } },
        "media_stream_mic": { "$origin,*": { "setting": 1 } },
        "sound": { "$origin,*": { "setting": 1 } }
      }
    }
  }
}
PREFS
fi

# A self-signed server certificate (the server's generated one): trusted for this user's Chromium.
if [ -n "${KIOSK_CERT:-}" ]; then
  if command -v certutil > /dev/null; then
    mkdir -p "$HOME/.pki/nssdb"
    [ -e "$HOME/.pki/nssdb/cert9.db" ] || certutil -N -d "sql:$HOME/.pki/nssdb" --empty-password
    certutil -A -d "sql:$HOME/.pki/nssdb" -t "P,," -n teleclass-server -i "$KIOSK_CERT"
  else
    echo "teleclass-kiosk: KIOSK_CERT is set but certutil is missing (sudo apt-get install libnss3-tools)" >&2
  fi
fi

# The screen never blanks or sleeps: X11's screen saver and power saving off (where xset works) …
if [ -n "${DISPLAY:-}" ] && command -v xset > /dev/null; then
  xset s off s noblank -dpms 2> /dev/null || true
fi
# … and the session may not go idle or suspend while the browser runs (systemd-logind).
inhibit=()
if command -v systemd-inhibit > /dev/null && systemd-inhibit --list > /dev/null 2>&1; then
  inhibit=(systemd-inhibit --what=idle:sleep:handle-lid-switch --who=Teleclass --why="classroom kiosk" --mode=block)
fi

while :; do
  # A browser that was killed marks its profile as crashed: mark it clean so no bubble appears.
  sed -i 's/"exit_type":"Crashed"/"exit_type":"Normal"/; s/"exited_cleanly":false/"exited_cleanly":true/' "$profile/Default/Preferences" 2> /dev/null || true
  "${inhibit[@]}" "$browser" "${flags[@]}" "$url" || true
  [ "${KIOSK_RESTART:-1}" = 1 ] || break
  sleep 5
done
