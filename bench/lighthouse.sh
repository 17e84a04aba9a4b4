#!/usr/bin/env bash
# Lighthouse (mobile, simulated slow 4G) on the demo's store home and a product page with
# photos, against Debian's Chromium. Needs Node: installs lighthouse under /tmp the first time.
#   bench/lighthouse.sh [base URL]   (default http://127.0.0.1:8000, i.e. `make run`)
# Prints performance and accessibility per page; exits 1 below 95 / 100.
set -euo pipefail
BASE="${1:-http://127.0.0.1:8000}"
TOOLS="${LIGHTHOUSE_DIR:-/tmp/agm-lighthouse}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
if [ ! -x "$TOOLS/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$TOOLS" && (cd "$TOOLS" && npm install --no-audit --no-fund lighthouse@12 >/dev/null)
fi
STORE="$BASE/mama-put-kitchen"
PRODUCT="$BASE$(curl -fsS "$STORE" | grep -o '/mama-put-kitchen/p/[^"]*' | head -1)"
status=0
for url in "$STORE" "$PRODUCT"; do
  report="$(mktemp --suffix=.json)"
  "$TOOLS/node_modules/.bin/lighthouse" "$url" --quiet --form-factor=mobile \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
    --only-categories=performance,accessibility --output=json --output-path="$report"
  node -e '
    const r = require(process.argv[1]);
    const p = Math.round(r.categories.performance.score * 100);
    const a = Math.round(r.categories.accessibility.score * 100);
    console.log(`${process.argv[2]}  performance ${p}  accessibility ${a}  LCP ${r.audits["largest-contentful-paint"].displayValue}  ${r.audits["total-byte-weight"].displayValue}`);
    process.exit(p >= 95 && a === 100 ? 0 : 1);
  ' "$report" "$url" || status=1
done
exit $status
