// Compiles contracts/src/*.sol with solc-js (offline, pinned in package.json)
// into abi/combined.json, the single input of `abigen --v2`. Output is
// deterministic: sorted keys, no metadata hash, so CI can diff it.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const srcDir = path.join(__dirname, 'src');
const outFile = path.join(__dirname, '..', 'abi', 'combined.json');

const sources = {};
for (const f of fs.readdirSync(srcDir).filter((f) => f.endsWith('.sol')).sort()) {
  sources[f] = { content: fs.readFileSync(path.join(srcDir, f), 'utf8') };
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    viaIR: false,
    metadata: { bytecodeHash: 'none', appendCBOR: false },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
const out = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (out.errors || []).filter((e) => e.severity === 'error');
for (const e of out.errors || []) console.error(e.formattedMessage);
if (errors.length) process.exit(1);

// Interfaces are left out: PriceFeed's and TestToken's ABIs are supersets of
// AggregatorV3Interface and IERC20 (and read real feeds and tokens too), and
// abigen v2 would emit clashing output structs for the shared methods.
const skip = new Set(['IERC20', 'AggregatorV3Interface']);
const contracts = {};
for (const file of Object.keys(out.contracts).sort()) {
  for (const name of Object.keys(out.contracts[file]).sort()) {
    if (skip.has(name)) continue;
    const c = out.contracts[file][name];
    contracts[`src/${file}:${name}`] = { abi: c.abi, bin: c.evm.bytecode.object };
  }
}
const combined = { contracts, version: solc.version() };
fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, JSON.stringify(combined, null, 1) + '\n');
console.log(`compiled ${Object.keys(contracts).length} contracts with solc ${solc.version()} -> abi/combined.json`);
