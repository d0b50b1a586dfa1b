#!/usr/bin/env bash
# Installs Debian's Chromium for the /docs browser test (test/e2e/docs-browser.spec.ts), where it
# can: as root with apt-get. Elsewhere it says so and succeeds; that test then skips with a message.
set -uo pipefail

if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  echo "install-browser: chromium present ($(chromium --version 2>/dev/null || echo /usr/bin/chromium))"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: no chromium, and no apt-get as root to install it; the /docs browser test will skip" >&2
  exit 0
fi
echo "install-browser: installing chromium"
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }; then
  echo "install-browser: apt-get could not install chromium; the /docs browser test will skip" >&2
fi
exit 0
