package io.poolforge.compute.api.ledger;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.internal.Checks;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The frozen result of one reward epoch: for every payout address its cumulative earnings since the
 * pool began (so paying or claiming the difference is idempotent), and a Merkle root over those
 * {@code (address, amount)} leaves in OpenZeppelin {@code StandardMerkleTree} form, with a proof
 * per address.
 *
 * <p>Immutable and thread-safe.
 *
 * @param epoch the epoch number, from 0
 * @param closedAt when it closed
 * @param entries cumulative amounts, one per address, sorted by address
 * @param merkleRoot the 32-byte root
 * @param proofs for each address, the sibling hashes from its leaf to the root
 * @since 0.1.0
 */
public record EpochStatement(
    long epoch,
    Instant closedAt,
    List<Payout> entries,
    Bytes merkleRoot,
    Map<String, List<Bytes>> proofs) {
  /** Validates and copies the fields. */
  public EpochStatement {
    Checks.nonNegative("epoch", epoch);
    Checks.notNull("closedAt", closedAt);
    entries = List.copyOf(Checks.notNull("entries", entries));
    Checks.notNull("merkleRoot", merkleRoot);
    if (merkleRoot.size() != 32 && !(entries.isEmpty() && merkleRoot.isEmpty())) {
      throw PoolException.invalidArgument(
          "merkleRoot", "is " + merkleRoot.size() + " bytes, must be 32");
    }
    Checks.notNull("proofs", proofs);
    var copy = new java.util.HashMap<String, List<Bytes>>();
    proofs.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    proofs = Map.copyOf(copy);
    for (Payout p : entries) {
      if (!proofs.containsKey(p.address())) {
        throw PoolException.invalidArgument("proofs", "has no proof for " + p.address());
      }
    }
  }

  /**
   * The proof for one address.
   *
   * @param address a payout address in this statement
   * @return its proof
   * @throws PoolException NOT_FOUND if the address is not in the statement
   */
  public List<Bytes> proof(String address) {
    List<Bytes> p = proofs.get(address);
    if (p == null) {
      throw new PoolException(
          io.poolforge.compute.api.ErrorCode.NOT_FOUND,
          "address " + address + " is not in epoch " + epoch);
    }
    return p;
  }
}
