// Minimal Hardhat 2 config: the Java tests and scripts/gas.js only need the local EDR node.
// Contracts are compiled by scripts/compile.js (solc-js, no compiler download), never by Hardhat,
// so Hardhat's sources point at a folder without .sol files and its outputs go under target/.
module.exports = {
  paths: {
    sources: './scripts',
    cache: './target/hardhat/cache',
    artifacts: './target/hardhat/artifacts',
  },
  networks: {
    hardhat: {
      chainId: 31337,
      hardfork: 'cancun', // same as the solc evmVersion in scripts/compile.js
      // Behave like a real node: a transaction that reverts is still mined (status 0) and
      // eth_sendRawTransaction returns its hash instead of an error.
      throwOnTransactionFailures: false,
    },
  },
};
