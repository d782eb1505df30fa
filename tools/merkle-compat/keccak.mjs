// Reads hex strings, one per line, on stdin and prints keccak256 of each (hex, one per line),
// using ethereum-cryptography (the hash OpenZeppelin's merkle-tree itself uses), so compute-core's
// tests can cross-check the Java Keccak-256 on many input lengths.
import { keccak256 } from "ethereum-cryptography/keccak.js";
import { bytesToHex, hexToBytes } from "ethereum-cryptography/utils.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const lines = Buffer.concat(chunks).toString("utf8").split("\n");
const out = [];
for (const line of lines) {
  if (line.length === 0 && out.length === lines.length - 1) break;
  out.push(bytesToHex(keccak256(hexToBytes(line))));
}
process.stdout.write(out.join("\n") + "\n");
