package io.poolforge.store.jdbc;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.ledger.EpochStatement;
import io.poolforge.compute.api.ledger.SettlementState;
import io.poolforge.compute.api.store.CreditRecord;
import io.poolforge.compute.api.store.LedgerStore;
import io.poolforge.compute.api.store.SettlementRecord;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@link LedgerStore} on SQLite or PostgreSQL. A credit is a row keyed by its task (inserted with
 * ON CONFLICT DO NOTHING, so concurrent duplicates store one), and running totals per epoch and
 * payout address change in the same transaction.
 *
 * <p>Thread-safe; every method is one transaction and blocks on the database.
 */
final class JdbcLedgerStore implements LedgerStore {
  private final Database db;

  JdbcLedgerStore(Database db) {
    this.db = db;
  }

  private Object amount(BigInteger v) {
    return db.dialect == Dialect.POSTGRESQL ? new BigDecimal(v) : v.toString();
  }

  private static BigInteger amount(ResultSet rs, int column) throws SQLException {
    String s = rs.getString(column);
    return new BigDecimal(s).toBigIntegerExact();
  }

  @Override
  public List<CreditRecord> credit(List<CreditRecord> credits) {
    List<CreditRecord> batch = Checks.list("credits", credits);
    if (batch.isEmpty()) {
      db.checkOpen();
      return List.of();
    }
    // Insert in task order (and update totals in key order) so concurrent batches that overlap
    // take row locks in the same order and cannot deadlock on PostgreSQL.
    List<CreditRecord> ordered = new ArrayList<>(batch);
    ordered.sort(Comparator.comparingLong(cr -> cr.task().value()));
    return db.transaction(
        "credit",
        c -> {
          Set<CreditRecord> added = Collections.newSetFromMap(new IdentityHashMap<>());
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO credits (task_id, worker, payout_address, epoch, amount,"
                      + " credited_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (task_id) DO NOTHING")) {
            for (CreditRecord cr : ordered) {
              ps.setLong(1, cr.task().value());
              ps.setString(2, cr.worker().value());
              ps.setString(3, cr.payoutAddress());
              ps.setLong(4, cr.epoch());
              ps.setObject(5, amount(cr.amount()));
              ps.setLong(6, Codec.nanos("credit.at", cr.at()));
              if (ps.executeUpdate() == 1) {
                added.add(cr);
              }
            }
          }
          Map<Long, Map<String, BigInteger>> deltas = new TreeMap<>();
          for (CreditRecord cr : added) {
            deltas
                .computeIfAbsent(cr.epoch(), e -> new TreeMap<>())
                .merge(cr.payoutAddress(), cr.amount(), BigInteger::add);
          }
          addToTotals(c, deltas);
          return batch.stream().filter(added::contains).toList();
        });
  }

  private void addToTotals(Connection c, Map<Long, Map<String, BigInteger>> deltas)
      throws SQLException {
    if (db.dialect == Dialect.POSTGRESQL) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO credit_totals (epoch, payout_address, amount) VALUES (?, ?, ?)"
                  + " ON CONFLICT (epoch, payout_address)"
                  + " DO UPDATE SET amount = credit_totals.amount + EXCLUDED.amount")) {
        for (var e : deltas.entrySet()) {
          for (var a : e.getValue().entrySet()) {
            ps.setLong(1, e.getKey());
            ps.setString(2, a.getKey());
            ps.setBigDecimal(3, new BigDecimal(a.getValue()));
            ps.addBatch();
          }
        }
        ps.executeBatch();
      }
      return;
    }
    // SQLite: the IMMEDIATE transaction holds the write lock, so read-modify-write is safe.
    try (PreparedStatement sel =
            c.prepareStatement(
                "SELECT amount FROM credit_totals WHERE epoch = ? AND payout_address = ?");
        PreparedStatement put =
            c.prepareStatement(
                "INSERT INTO credit_totals (epoch, payout_address, amount) VALUES (?, ?, ?)"
                    + " ON CONFLICT (epoch, payout_address) DO UPDATE SET amount = excluded.amount")) {
      for (var e : deltas.entrySet()) {
        for (var a : e.getValue().entrySet()) {
          sel.setLong(1, e.getKey());
          sel.setString(2, a.getKey());
          BigInteger sum = a.getValue();
          try (ResultSet rs = sel.executeQuery()) {
            if (rs.next()) {
              sum = sum.add(amount(rs, 1));
            }
          }
          put.setLong(1, e.getKey());
          put.setString(2, a.getKey());
          put.setString(3, sum.toString());
          put.executeUpdate();
        }
      }
    }
  }

  @Override
  public BigInteger forfeit(WorkerId worker, long epoch) {
    Checks.notNull("worker", worker);
    return db.transaction(
        "forfeit",
        c -> {
          long open = openEpoch(c);
          if (epoch != open) {
            throw new PoolException(
                ErrorCode.FAILED_PRECONDITION,
                "epoch: is " + epoch + ", only the open epoch " + open + " can be forfeited");
          }
          Map<String, BigInteger> byAddress = new TreeMap<>();
          String notForfeited =
              db.dialect == Dialect.POSTGRESQL ? "NOT forfeited" : "forfeited = 0";
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT payout_address, amount FROM credits WHERE worker = ? AND epoch = ? AND "
                      + notForfeited
                      + db.dialect.forUpdate)) {
            ps.setString(1, worker.value());
            ps.setLong(2, epoch);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                byAddress.merge(rs.getString(1), amount(rs, 2), BigInteger::add);
              }
            }
          }
          if (byAddress.isEmpty()) {
            return BigInteger.ZERO;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE credits SET forfeited = "
                      + (db.dialect == Dialect.POSTGRESQL ? "TRUE" : "1")
                      + " WHERE worker = ? AND epoch = ? AND "
                      + notForfeited)) {
            ps.setString(1, worker.value());
            ps.setLong(2, epoch);
            ps.executeUpdate();
          }
          Map<Long, Map<String, BigInteger>> deltas = new TreeMap<>();
          byAddress.forEach(
              (a, v) -> deltas.computeIfAbsent(epoch, e -> new TreeMap<>()).put(a, v.negate()));
          addToTotals(c, deltas);
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM credit_totals WHERE epoch = ? AND amount = ?")) {
            ps.setLong(1, epoch);
            ps.setObject(2, amount(BigInteger.ZERO));
            ps.executeUpdate();
          }
          return byAddress.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
        });
  }

  @Override
  public Map<String, BigInteger> cumulativeTotals(long throughEpoch) {
    return db.transaction(
        "cumulative totals",
        c -> {
          Map<String, BigInteger> sum = new TreeMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT payout_address, amount FROM credit_totals WHERE epoch <= ?")) {
            ps.setLong(1, throughEpoch);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                sum.merge(rs.getString(1), amount(rs, 2), BigInteger::add);
              }
            }
          }
          sum.values().removeIf(v -> v.signum() == 0);
          return sum;
        });
  }

  @Override
  public long openEpoch() {
    return db.transaction("open epoch", JdbcLedgerStore::openEpoch);
  }

  private static long openEpoch(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT MAX(epoch) FROM epoch_statements")) {
      rs.next();
      long last = rs.getLong(1);
      return rs.wasNull() ? 0 : last + 1;
    }
  }

  @Override
  public void closeEpoch(EpochStatement statement) {
    Checks.notNull("statement", statement);
    byte[] body = Codec.statement(statement);
    long closedAt = Codec.nanos("statement.closedAt", statement.closedAt());
    db.transaction(
        "close epoch",
        c -> {
          long open = openEpoch(c);
          if (statement.epoch() != open) {
            throw new PoolException(
                ErrorCode.FAILED_PRECONDITION,
                "statement.epoch: is " + statement.epoch() + ", the open epoch is " + open);
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO epoch_statements (epoch, closed_at, body) VALUES (?, ?, ?)")) {
            ps.setLong(1, statement.epoch());
            ps.setLong(2, closedAt);
            ps.setBytes(3, body);
            ps.executeUpdate();
          } catch (SQLException e) {
            if (db.isUniqueViolation(e)) {
              throw new PoolException(
                  ErrorCode.FAILED_PRECONDITION,
                  "statement.epoch: epoch " + statement.epoch() + " was closed concurrently");
            }
            throw e;
          }
          return null;
        });
  }

  @Override
  public Optional<EpochStatement> statement(long epoch) {
    return db.transaction(
        "statement",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT closed_at, body FROM epoch_statements WHERE epoch = ?")) {
            ps.setLong(1, epoch);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(
                      Codec.statement(epoch, Codec.instant(rs.getLong(1)), rs.getBytes(2)))
                  : Optional.empty();
            }
          }
        });
  }

  @Override
  public void putSettlement(SettlementRecord record) {
    Checks.notNull("record", record);
    byte[] key = record.batch().idempotencyKey().toByteArray();
    byte[] batch = Codec.batch(record.batch());
    byte[] signed = record.signed() == null ? null : Codec.signed(record.signed());
    long updatedAt = Codec.nanos("record.updatedAt", record.updatedAt());
    db.transaction(
        "put settlement",
        c -> {
          try (PreparedStatement ins =
              c.prepareStatement(
                  "INSERT INTO settlements (idempotency_key, state, batch, signed, sends,"
                      + " updated_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (idempotency_key) DO NOTHING")) {
            bindSettlement(ins, key, record, batch, signed, updatedAt);
            if (ins.executeUpdate() == 1) {
              return null;
            }
          }
          SettlementRecord old;
          try (PreparedStatement sel =
              c.prepareStatement(
                  "SELECT state, batch, signed, sends, updated_at, detail FROM settlements"
                      + " WHERE idempotency_key = ?"
                      + db.dialect.forUpdate)) {
            sel.setBytes(1, key);
            try (ResultSet rs = sel.executeQuery()) {
              if (!rs.next()) {
                throw new PoolException(ErrorCode.INTERNAL, "store: settlement row vanished");
              }
              old = readSettlement(rs);
            }
          }
          checkReplace(old, record);
          try (PreparedStatement upd =
              c.prepareStatement(
                  "UPDATE settlements SET idempotency_key = ?, state = ?, batch = ?, signed = ?,"
                      + " sends = ?, updated_at = ?, detail = ? WHERE idempotency_key = ?")) {
            bindSettlement(upd, key, record, batch, signed, updatedAt);
            upd.setBytes(8, key);
            upd.executeUpdate();
          }
          return null;
        });
  }

  private static void bindSettlement(
      PreparedStatement ps,
      byte[] key,
      SettlementRecord r,
      byte[] batch,
      byte[] signed,
      long updatedAt)
      throws SQLException {
    ps.setBytes(1, key);
    ps.setInt(2, Codec.settlementCode(r.state()));
    ps.setBytes(3, batch);
    if (signed == null) {
      ps.setNull(4, Types.BINARY);
    } else {
      ps.setBytes(4, signed);
    }
    ps.setInt(5, r.sends());
    ps.setLong(6, updatedAt);
    if (r.detail() == null) {
      ps.setNull(7, Types.VARCHAR);
    } else {
      ps.setString(7, r.detail());
    }
  }

  /** A CONFIRMED record is final; stored signed bytes change only through REQUEUED. */
  static void checkReplace(SettlementRecord old, SettlementRecord next) {
    if (old.state() == SettlementState.CONFIRMED) {
      throw new PoolException(
          ErrorCode.FAILED_PRECONDITION,
          "record: settlement "
              + old.batch().idempotencyKey().toHex()
              + " is CONFIRMED and is never replaced");
    }
    if (old.signed() != null
        && !Objects.equals(old.signed(), next.signed())
        && old.state() != SettlementState.REQUEUED
        && next.state() != SettlementState.REQUEUED) {
      throw new PoolException(
          ErrorCode.FAILED_PRECONDITION,
          "record.signed: the signed bytes of settlement "
              + old.batch().idempotencyKey().toHex()
              + " are stored in state "
              + old.state()
              + " and may change only through REQUEUED");
    }
  }

  private static SettlementRecord readSettlement(ResultSet rs) throws SQLException {
    byte[] signed = rs.getBytes(3);
    return new SettlementRecord(
        Codec.batch(rs.getBytes(2)),
        Codec.settlementState(rs.getInt(1)),
        signed == null ? null : Codec.signed(signed),
        rs.getInt(4),
        Codec.instant(rs.getLong(5)),
        rs.getString(6));
  }

  @Override
  public Optional<SettlementRecord> settlement(Bytes idempotencyKey) {
    Checks.notNull("idempotencyKey", idempotencyKey);
    return db.transaction(
        "settlement",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT state, batch, signed, sends, updated_at, detail FROM settlements"
                      + " WHERE idempotency_key = ?")) {
            ps.setBytes(1, idempotencyKey.toByteArray());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(readSettlement(rs)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public List<SettlementRecord> settlements(Set<SettlementState> states) {
    Checks.notNull("states", states);
    if (states.isEmpty()) {
      db.checkOpen();
      return List.of();
    }
    String codes =
        states.stream()
            .map(s -> Integer.toString(Codec.settlementCode(s)))
            .collect(Collectors.joining(", "));
    return db.transaction(
        "settlements",
        c -> {
          List<SettlementRecord> out = new ArrayList<>();
          try (Statement st = c.createStatement();
              ResultSet rs =
                  st.executeQuery(
                      "SELECT state, batch, signed, sends, updated_at, detail FROM settlements"
                          + " WHERE state IN ("
                          + codes
                          + ") ORDER BY seq")) {
            while (rs.next()) {
              out.add(readSettlement(rs));
            }
          }
          return out;
        });
  }

  @Override
  public void close() {
    // the owning JdbcStores closes the database
  }
}
