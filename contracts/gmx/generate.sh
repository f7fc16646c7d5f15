#!/usr/bin/env bash
# Regenerate contracts/gmx/bindings.go from the GMX v2 ABIs in abi/gmx/ (the
# only input; copied from gmx-synthetics a5c0c883 build artifacts, see
# hedge/gmx/testdata/README.md). The ABIs are plain JSON arrays; abigen reads
# them as one combined-json so structs shared between contracts (Price.Props,
# Market.Props, ...) are declared once. WETH (WNT) is driven through the
# MintableToken ABI: WNT's extra deposit/withdraw are not needed, and both
# declaring eip712Domain would collide (abigen v2 does not prefix outputs).
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
node -e '
const fs = require("fs"), path = require("path");
const dir = "abi/gmx", out = { contracts: {} };
for (const f of fs.readdirSync(dir).filter(f => f.endsWith(".json")).sort()) {
  // "Errors" would shadow the errors package inside the generated file.
  const name = { Errors: "GmxErrors" }[path.basename(f, ".json")] || path.basename(f, ".json");
  out.contracts["abi/gmx/" + f + ":" + name] = { abi: JSON.parse(fs.readFileSync(path.join(dir, f))), bin: "" };
}
fs.writeFileSync(process.argv[1], JSON.stringify(out));
' "$tmp"
# DepositHandler has both executeDeposit and _executeDeposit (its self-call
# for try/catch); both would be ExecuteDeposit in Go.
go tool abigen --v2 --combined-json "$tmp" --alias _executeDeposit=executeDepositSelf --pkg gmx --out contracts/gmx/bindings.go
echo "regenerated contracts/gmx/bindings.go"
