#!/usr/bin/env bash
# Compile contracts/src into abi/ and regenerate the Go bindings from abi/.
# Needs `npm --prefix contracts ci` once (solc-js; works offline afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
node contracts/compile.js
go tool abigen --v2 --combined-json abi/combined.json --pkg contracts --out contracts/bindings.go
echo "regenerated contracts/bindings.go"
