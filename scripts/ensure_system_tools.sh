#!/bin/sh
# Make sure a system tool the tests need is here: install it with apt on Debian as
# root, or stop with one line that says what to install. Never skips silently.
#   sh scripts/ensure_system_tools.sh chromium|node|java
set -eu
want=$1
case "$want" in
  chromium) packages="chromium fonts-noto-cjk" ;;
  node)     packages="nodejs npm" ;;
  java)     packages="default-jre-headless" ;;  # for the HTML checker, vnu.jar
  *) echo "usage: $0 chromium|node|java" >&2; exit 2 ;;
esac
present() {
  case "$want" in
    chromium) [ -x "${CHROMIUM:-/usr/bin/chromium}" ] ;;
    node) command -v npm >/dev/null 2>&1 ;;
    java) command -v java >/dev/null 2>&1 ;;
  esac
}
present && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing $packages with apt-get (the tests need $want)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null
  present && exit 0
  echo "error: apt-get installed $packages but $want is still missing" >&2
  exit 1
fi
echo "error: $want is missing; install it (Debian/Ubuntu: sudo apt-get install $packages)" >&2
exit 1
