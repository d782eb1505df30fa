#!/usr/bin/env node
// Compiles contracts/*.sol with solc-js (the pinned npm `solc`, no binary download) and writes one
// JSON per contract (abi, bytecode, deployedBytecode, compiler, sourceHashes) into
// src/main/resources/io/poolforge/chain/evm/, which the Maven build ships as resources, so the
// Java build never needs npm.
//
//   node scripts/compile.js          write the artifacts
//   node scripts/compile.js --check  exit 1 if the committed artifacts differ from a fresh compile
'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const solc = require('solc');

const ROOT = path.resolve(__dirname, '..');
const CONTRACTS = path.join(ROOT, 'contracts');
const OUT = path.join(ROOT, 'src', 'main', 'resources', 'io', 'poolforge', 'chain', 'evm');
const SETTINGS = {
  // Cancun: PUSH0, MCOPY and transient storage (ReentrancyGuardTransient); the Hardhat test node
  // runs the same hardfork (hardhat.config.js).
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 1000000 },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
};

function sha256(text) {
  return crypto.createHash('sha256').update(text).digest('hex');
}

function findImport(importPath) {
  try {
    const resolved = require.resolve(importPath, { paths: [ROOT] });
    return { contents: fs.readFileSync(resolved, 'utf8') };
  } catch (e) {
    return { error: `import not found: ${importPath} (run npm ci in chain-evm)` };
  }
}

function compile() {
  const sources = {};
  for (const file of fs.readdirSync(CONTRACTS).filter((f) => f.endsWith('.sol')).sort()) {
    sources[file] = { content: fs.readFileSync(path.join(CONTRACTS, file), 'utf8') };
  }
  const input = { language: 'Solidity', sources, settings: SETTINGS };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  for (const e of output.errors || []) {
    // OpenZeppelin's own warnings (e.g. the transient-storage notice) are known; show ours only.
    const file = e.sourceLocation ? e.sourceLocation.file : '';
    if (e.severity === 'error' || !file.startsWith('@openzeppelin/')) process.stderr.write(e.formattedMessage + '\n');
  }
  if (errors.length > 0) {
    throw new Error(`solc reported ${errors.length} error(s)`);
  }
  // Hash every source the compiler saw (ours and OpenZeppelin's) so a changed dependency shows too.
  const allSources = {};
  for (const name of Object.keys(output.sources).sort()) {
    const content = sources[name] ? sources[name].content : findImport(name).contents;
    allSources[name] = sha256(content);
  }
  const artifacts = {};
  for (const file of Object.keys(sources)) {
    for (const [name, c] of Object.entries(output.contracts[file])) {
      artifacts[name + '.json'] =
        JSON.stringify(
          {
            contractName: name,
            sourceName: 'contracts/' + file,
            compiler: { version: solc.version(), settings: { evmVersion: SETTINGS.evmVersion, optimizer: SETTINGS.optimizer } },
            sourceHashes: allSources,
            abi: c.abi,
            bytecode: '0x' + c.evm.bytecode.object,
            deployedBytecode: '0x' + c.evm.deployedBytecode.object,
          },
          null,
          2,
        ) + '\n';
    }
  }
  return artifacts;
}

function main() {
  const check = process.argv.includes('--check');
  const artifacts = compile();
  if (check) {
    const stale = [];
    for (const [file, text] of Object.entries(artifacts)) {
      const target = path.join(OUT, file);
      if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text) stale.push(file);
    }
    if (stale.length > 0) {
      console.error(`stale compiled contracts: ${stale.join(', ')}; run: (cd chain-evm && node scripts/compile.js)`);
      process.exit(1);
    }
    console.log(`up to date: ${Object.keys(artifacts).join(', ')}`);
    return;
  }
  fs.mkdirSync(OUT, { recursive: true });
  for (const [file, text] of Object.entries(artifacts)) {
    fs.writeFileSync(path.join(OUT, file), text);
  }
  console.log(`wrote ${Object.keys(artifacts).join(', ')} to ${path.relative(ROOT, OUT)}`);
}

main();
