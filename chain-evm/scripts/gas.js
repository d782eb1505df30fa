#!/usr/bin/env node
// Measures the gas of PoolPayouts, PoolRewards and a naive one-transfer-per-task baseline on the
// in-process Hardhat network (the same EDR as `npx hardhat node`), from the committed artifacts.
//
//   (cd chain-evm && npx hardhat run scripts/gas.js)
//
// Every number printed is a receipt's gasUsed (or a difference of two), nothing is estimated.
'use strict';

const path = require('path');
const hre = require('hardhat');
const { encode } = require('@metamask/abi-utils');
const { keccak256 } = require('ethereum-cryptography/keccak');
const { StandardMerkleTree } = require('@openzeppelin/merkle-tree');

const ART = path.join(__dirname, '..', 'src', 'main', 'resources', 'io', 'poolforge', 'chain', 'evm');
const provider = hre.network.provider;
const rpc = (method, params = []) => provider.request({ method, params });
const hex = (b) => '0x' + Buffer.from(b).toString('hex');
const selector = (sig) => Buffer.from(keccak256(Buffer.from(sig))).subarray(0, 4);
const call = (sig, types, values) => hex(Buffer.concat([selector(sig), Buffer.from(encode(types, values))]));

let payer;

async function send(to, data, value = 0n, from = payer) {
  const hash = await rpc('eth_sendTransaction', [{ from, to, data, value: '0x' + value.toString(16) }]);
  const r = await rpc('eth_getTransactionReceipt', [hash]);
  if (r.status !== '0x1') throw new Error(`reverted: ${to} ${data.slice(0, 10)}`);
  return { gas: Number(BigInt(r.gasUsed)), receipt: r };
}

async function deploy(name, types = [], values = []) {
  const art = require(path.join(ART, name + '.json'));
  const data = art.bytecode + Buffer.from(encode(types, values)).toString('hex');
  const hash = await rpc('eth_sendTransaction', [{ from: payer, data }]);
  return (await rpc('eth_getTransactionReceipt', [hash])).contractAddress;
}

function address(i) {
  // Deterministic, distinct, never-used addresses (no code, no balance) for recipients.
  return hex(keccak256(Buffer.from('poolforge-gas-recipient-' + i)).subarray(12));
}

const pack = (recipients, amount) => recipients.map((a) => (BigInt(amount) << 160n) | BigInt(a));
// Realistic calldata: 18-decimal amounts (about 1.23 tokens) have few zero bytes, which calldata
// prices at 4 gas instead of 16; tiny test amounts would flatter the numbers.
const AMOUNT = 1234567890123456789n;
const PER_TASK = AMOUNT / 20n;
const id = (n) => '0x' + 'ab'.repeat(24) + n.toString(16).padStart(16, '0');
const pay = (payouts, sid, token, words, value = 0n) =>
  send(payouts, call('pay(bytes32,address,uint256[])', ['bytes32', 'address', 'uint256[]'], [sid, token, words]), value);

async function main() {
  [payer] = await rpc('eth_accounts');
  const MAX = (1n << 256n) - 1n;
  const token = await deploy('PoolTestToken', ['string', 'string', 'uint256'], ['Pool', 'POOL', 10n ** 30n]);
  const payouts = await deploy('PoolPayouts');
  await send(token, call('approve(address,uint256)', ['address', 'uint256'], [payouts, MAX]));

  const rows = [];
  let seq = 0;
  // The first id of a bitmap word pays 22,100 for the fresh word; later ids of the same word (ids
  // differing only in their lowest byte, e.g. consecutive epochs) pay 5,000. Warm the word first.
  const firstOfWord = await pay(payouts, id(seq++), token, pack([address('warm-0')], AMOUNT));
  const secondOfWord = await pay(payouts, id(seq++), token, pack([address('warm-1')], AMOUNT));
  rows.push(['payout, 1 new recipient, first id of a bitmap word', firstOfWord.gas]);
  rows.push(['payout, 1 new recipient, later id of the same word', secondOfWord.gas]);

  const sizes = [1, 10, 50, 100];
  const funded = {};
  const fresh = {};
  let next = 0;
  for (const n of sizes) {
    const rs = Array.from({ length: n }, () => address(next++));
    fresh[n] = (await pay(payouts, id(seq++), token, pack(rs, AMOUNT))).gas; // recipients hold nothing yet
    funded[n] = (await pay(payouts, id(seq++), token, pack(rs, AMOUNT + 7n))).gas; // same recipients, now funded
  }
  const perFunded = (funded[100] - funded[10]) / 90;
  const perFresh = (fresh[100] - fresh[10]) / 90;
  for (const n of sizes) rows.push([`payout ERC-20, ${n} funded recipients`, funded[n]]);
  for (const n of sizes) rows.push([`payout ERC-20, ${n} new recipients`, fresh[n]]);
  rows.push(['payout ERC-20, marginal gas per funded recipient ((g100-g10)/90)', perFunded]);
  rows.push(['payout ERC-20, marginal gas per new recipient ((g100-g10)/90)', perFresh]);
  rows.push(['payout ERC-20, fixed overhead (g100 - 100 x marginal, funded)', funded[100] - 100 * perFunded]);

  // Native coin batches.
  const nat = {};
  for (const n of [10, 100]) {
    const rs = Array.from({ length: n }, () => address(next++));
    await pay(payouts, id(seq++), '0x' + '00'.repeat(20), pack(rs, AMOUNT), AMOUNT * BigInt(n));
    nat[n] = (await pay(payouts, id(seq++), '0x' + '00'.repeat(20), pack(rs, AMOUNT), AMOUNT * BigInt(n))).gas;
  }
  const perNative = (nat[100] - nat[10]) / 90;
  rows.push(['payout native, marginal gas per funded recipient', perNative]);
  rows.push(['payout native, fixed overhead', nat[100] - 100 * perNative]);

  // Merkle rewards: 50 workers; epoch 1 then epoch 2 (cumulative amounts grow).
  const workers = Array.from({ length: 50 }, (_, i) => address('worker-' + i));
  const rewards = await deploy('PoolRewards', ['address', 'address'], [token, payer]);
  await send(token, call('transfer(address,uint256)', ['address', 'uint256'], [rewards, 10n ** 24n]));
  const claimGas = [];
  for (const epoch of [1, 2, 3]) {
    const tree = StandardMerkleTree.of(workers.map((w, i) => [w, String(BigInt(epoch) * (AMOUNT + BigInt(i)))]), ['address', 'uint256']);
    const post = await send(rewards, call('postRoot(uint64,bytes32)', ['uint64', 'bytes32'], [epoch, tree.root]));
    if (epoch === 1) rows.push(['rewards postRoot (first)', post.gas]);
    if (epoch === 2) rows.push(['rewards postRoot (later)', post.gas]);
    if (epoch === 2) continue; // nobody claims epoch 2: epoch 3's claim covers both
    const g = [];
    for (const [i, [w, amount]] of tree.entries()) {
      const data = call('claim(address,uint256,bytes32[])', ['address', 'uint256', 'bytes32[]'], [w, BigInt(amount), tree.getProof(i)]);
      g.push((await send(rewards, data)).gas);
    }
    claimGas.push(g);
  }
  const avg = (a) => a.reduce((x, y) => x + y, 0) / a.length;
  rows.push(['claim, first claim of a worker (new balance), mean of 50', avg(claimGas[0])]);
  rows.push(['claim, first claim, max of 50', Math.max(...claimGas[0])]);
  rows.push(['claim, later claim covering 2 epochs, mean of 50', avg(claimGas[1])]);
  rows.push(['claim, later claim, max of 50', Math.max(...claimGas[1])]);

  // 1,000 tasks over 50 workers: naive = one ERC-20 transfer per task; batched = one pay() per epoch.
  const naiveWorkers = Array.from({ length: 50 }, (_, i) => address('naive-' + i));
  let naive = 0;
  for (let t = 0; t < 1000; t++) {
    const w = naiveWorkers[t % 50];
    naive += (await send(token, call('transfer(address,uint256)', ['address', 'uint256'], [w, PER_TASK]))).gas;
  }
  // Steady state: the same 1,000 transfers again, now every worker already holds the token.
  let naiveFunded = 0;
  for (let t = 0; t < 1000; t++) {
    const w = naiveWorkers[t % 50];
    naiveFunded += (await send(token, call('transfer(address,uint256)', ['address', 'uint256'], [w, PER_TASK]))).gas;
  }
  const batchWorkers = Array.from({ length: 50 }, (_, i) => address('batch-' + i));
  const batchFirst = (await pay(payouts, id(seq++), token, pack(batchWorkers, 20n * PER_TASK))).gas;
  const batchNext = (await pay(payouts, id(seq++), token, pack(batchWorkers, 20n * PER_TASK))).gas;
  rows.push(['naive: 1,000 ERC-20 transfers (1 per task), 50 workers, total', naive]);
  rows.push(['naive: mean per transfer', naive / 1000]);
  rows.push(['naive, steady state: 1,000 transfers to 50 funded workers, total', naiveFunded]);
  rows.push(['batched: 1 pay() of 50 workers (new recipients)', batchFirst]);
  rows.push(['batched: 1 pay() of 50 workers (funded recipients)', batchNext]);
  rows.push(['ratio naive / batched, first epoch (workers new to the token)', naive / batchFirst]);
  rows.push(['ratio naive / batched, steady state (workers funded)', naiveFunded / batchNext]);

  const fmt = (v) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
  console.log(`hardhat ${require('hardhat/package.json').version}, hardfork ${hre.network.config.hardfork}, ` +
    `solc ${require(path.join(ART, 'PoolPayouts.json')).compiler.version}`);
  console.log('| measurement | gas |\n|---|---:|');
  for (const [k, v] of rows) console.log(`| ${k} | ${fmt(v)} |`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
