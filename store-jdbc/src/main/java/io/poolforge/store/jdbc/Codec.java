package io.poolforge.store.jdbc;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.Requirements;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.ledger.EpochStatement;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.ledger.SettlementBatch;
import io.poolforge.compute.api.ledger.SettlementState;
import io.poolforge.compute.api.ledger.SignedSettlement;
import io.poolforge.compute.api.verify.VerificationSpec;
import java.io.DataInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The stored binary forms of specs, statements and settlement batches. Every form starts with a
 * version byte; integers are big-endian, strings are a 4-byte length and UTF-8, byte strings a
 * 4-byte length and the bytes, sets and maps are written sorted so equal values encode equally.
 * Codes for enums are fixed here, never ordinals.
 */
final class Codec {
  private static final int SPEC_V1 = 1;
  private static final int STATEMENT_V1 = 1;
  private static final int BATCH_V1 = 1;
  private static final int SIGNED_V1 = 1;

  private Codec() {}

  // ---------------------------------------------------------------- enums and instants

  static int stateCode(TaskState s) {
    return switch (s) {
      case QUEUED -> 0;
      case RUNNING -> 1;
      case VERIFYING -> 2;
      case COMPLETED -> 3;
      case FAILED -> 4;
      case CANCELLED -> 5;
    };
  }

  static TaskState state(int code) {
    return switch (code) {
      case 0 -> TaskState.QUEUED;
      case 1 -> TaskState.RUNNING;
      case 2 -> TaskState.VERIFYING;
      case 3 -> TaskState.COMPLETED;
      case 4 -> TaskState.FAILED;
      case 5 -> TaskState.CANCELLED;
      default -> throw corrupt("task state code " + code);
    };
  }

  static int settlementCode(SettlementState s) {
    return switch (s) {
      case PENDING -> 0;
      case SIGNED -> 1;
      case SUBMITTED -> 2;
      case CONFIRMED -> 3;
      case REQUEUED -> 4;
      case REJECTED -> 5;
    };
  }

  static SettlementState settlementState(int code) {
    return switch (code) {
      case 0 -> SettlementState.PENDING;
      case 1 -> SettlementState.SIGNED;
      case 2 -> SettlementState.SUBMITTED;
      case 3 -> SettlementState.CONFIRMED;
      case 4 -> SettlementState.REQUEUED;
      case 5 -> SettlementState.REJECTED;
      default -> throw corrupt("settlement state code " + code);
    };
  }

  /** Nanoseconds since the epoch: exact, and ordered like the instants (years 1678 to 2261). */
  static long nanos(String field, Instant at) {
    try {
      return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
    } catch (ArithmeticException e) {
      throw PoolException.invalidArgument(
          field, "is " + at + ", outside the storable range 1678-2261");
    }
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  static PoolException corrupt(String what) {
    return new PoolException(ErrorCode.INTERNAL, "store: unreadable stored " + what);
  }

  // ---------------------------------------------------------------- task spec

  static byte[] spec(TaskSpec s) {
    Out o = new Out(128 + s.payload().size());
    o.u8(SPEC_V1);
    o.str(s.kind());
    o.bytes(s.payload());
    o.u8(s.priority());
    o.str(s.submitter());
    Requirements r = s.requirements();
    o.strings(r.backends());
    o.i64(r.minDeviceMemoryBytes());
    o.strings(r.tags());
    o.bool(r.attestation());
    Duration d = s.deadline();
    o.bool(d != null);
    if (d != null) {
      o.i64(d.getSeconds());
      o.i32(d.getNano());
    }
    VerificationSpec v = s.verification();
    o.bool(v != null);
    if (v != null) {
      o.u8(
          switch (v.mode()) {
            case NONE -> 0;
            case QUORUM -> 1;
            case SPOT_CHECK -> 2;
          });
      o.u8(v.quorum());
      o.u8(v.replicas());
      o.u8(v.maxReplicas());
      o.i64(Double.doubleToLongBits(v.spotCheckRate()));
      o.bool(v.cheapCheck());
    }
    o.u8(s.maxAttempts());
    Map<String, String> labels = s.labels().size() <= 1 ? s.labels() : new TreeMap<>(s.labels());
    o.i32(labels.size());
    labels.forEach(
        (k, val) -> {
          o.str(k);
          o.str(val);
        });
    return o.toByteArray();
  }

  static TaskSpec spec(byte[] data) {
    In in = new In(data, "task spec");
    in.version(SPEC_V1);
    String kind = in.str();
    Bytes payload = in.bytes();
    int priority = in.u8();
    String submitter = in.str();
    Set<String> backends = in.strings();
    long minMem = in.i64();
    Set<String> tags = in.strings();
    boolean attestation = in.bool();
    Duration deadline = in.bool() ? Duration.ofSeconds(in.i64(), in.i32()) : null;
    VerificationSpec verification = null;
    if (in.bool()) {
      VerificationSpec.Mode mode =
          switch (in.u8()) {
            case 0 -> VerificationSpec.Mode.NONE;
            case 1 -> VerificationSpec.Mode.QUORUM;
            case 2 -> VerificationSpec.Mode.SPOT_CHECK;
            default -> throw corrupt("verification mode");
          };
      verification =
          new VerificationSpec(
              mode, in.u8(), in.u8(), in.u8(), Double.longBitsToDouble(in.i64()), in.bool());
    }
    int maxAttempts = in.u8();
    int n = in.count();
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      labels.put(in.str(), in.str());
    }
    in.end();
    return new TaskSpec(
        kind,
        payload,
        priority,
        submitter,
        new Requirements(backends, minMem, tags, attestation),
        deadline,
        verification,
        maxAttempts,
        labels);
  }

  // ---------------------------------------------------------------- ledger

  static byte[] statement(EpochStatement s) {
    Out o = new Out(256);
    o.u8(STATEMENT_V1);
    o.payouts(s.entries());
    o.bytes(s.merkleRoot());
    Map<String, List<Bytes>> proofs = new TreeMap<>(s.proofs());
    o.i32(proofs.size());
    proofs.forEach(
        (address, proof) -> {
          o.str(address);
          o.i32(proof.size());
          proof.forEach(o::bytes);
        });
    return o.toByteArray();
  }

  static EpochStatement statement(long epoch, Instant closedAt, byte[] data) {
    In in = new In(data, "epoch statement " + epoch);
    in.version(STATEMENT_V1);
    List<Payout> entries = in.payouts();
    Bytes root = in.bytes();
    int n = in.count();
    Map<String, List<Bytes>> proofs = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String address = in.str();
      int m = in.count();
      List<Bytes> proof = new ArrayList<>(m);
      for (int j = 0; j < m; j++) {
        proof.add(in.bytes());
      }
      proofs.put(address, proof);
    }
    in.end();
    return new EpochStatement(epoch, closedAt, entries, root, proofs);
  }

  static byte[] batch(SettlementBatch b) {
    Out o = new Out(128 + 64 * b.payouts().size());
    o.u8(BATCH_V1);
    writeBatch(o, b);
    return o.toByteArray();
  }

  static SettlementBatch batch(byte[] data) {
    In in = new In(data, "settlement batch");
    in.version(BATCH_V1);
    SettlementBatch b = readBatch(in);
    in.end();
    return b;
  }

  static byte[] signed(SignedSettlement s) {
    Out o = new Out(256 + s.signedBytes().size());
    o.u8(SIGNED_V1);
    writeBatch(o, s.batch());
    o.bytes(s.transactionId());
    o.bytes(s.signedBytes());
    return o.toByteArray();
  }

  static SignedSettlement signed(byte[] data) {
    In in = new In(data, "signed settlement");
    in.version(SIGNED_V1);
    SettlementBatch b = readBatch(in);
    SignedSettlement s = new SignedSettlement(b, in.bytes(), in.bytes());
    in.end();
    return s;
  }

  private static void writeBatch(Out o, SettlementBatch b) {
    o.i64(b.epoch());
    o.str(b.chain());
    o.i32(b.batchIndex());
    o.payouts(b.payouts());
    o.bytes(b.merkleRoot());
    o.bytes(b.idempotencyKey());
  }

  private static SettlementBatch readBatch(In in) {
    long epoch = in.i64();
    String chain = in.str();
    int index = in.i32();
    List<Payout> payouts = in.payouts();
    Bytes root = in.bytes();
    Bytes key = in.bytes();
    return new SettlementBatch(key, epoch, chain, index, payouts, root);
  }

  // ---------------------------------------------------------------- primitives

  /** A growable big-endian writer; unsynchronised, unlike the java.io streams. */
  private static final class Out {
    private byte[] buf;
    private int size;

    Out(int capacity) {
      buf = new byte[Math.max(16, capacity)];
    }

    private void room(int n) {
      if (size + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
      }
    }

    void u8(int v) {
      room(1);
      buf[size++] = (byte) v;
    }

    void bool(boolean v) {
      u8(v ? 1 : 0);
    }

    void i32(int v) {
      room(4);
      buf[size] = (byte) (v >>> 24);
      buf[size + 1] = (byte) (v >>> 16);
      buf[size + 2] = (byte) (v >>> 8);
      buf[size + 3] = (byte) v;
      size += 4;
    }

    void i64(long v) {
      i32((int) (v >>> 32));
      i32((int) v);
    }

    void raw(byte[] b) {
      i32(b.length);
      room(b.length);
      System.arraycopy(b, 0, buf, size, b.length);
      size += b.length;
    }

    void str(String s) {
      raw(s.getBytes(StandardCharsets.UTF_8));
    }

    void bytes(Bytes b) {
      i32(b.size());
      room(b.size());
      b.asReadOnlyBuffer().get(buf, size, b.size());
      size += b.size();
    }

    void strings(Set<String> set) {
      i32(set.size());
      if (set.size() <= 1) {
        set.forEach(this::str);
      } else {
        new TreeSet<>(set).forEach(this::str);
      }
    }

    void payouts(List<Payout> payouts) {
      i32(payouts.size());
      for (Payout p : payouts) {
        str(p.address());
        raw(p.amount().toByteArray());
      }
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, size);
    }
  }

  private static final class In {
    private final DataInputStream in;
    private final String what;

    In(byte[] data, String what) {
      this.in = new DataInputStream(new java.io.ByteArrayInputStream(data));
      this.what = what;
    }

    private PoolException bad(Exception e) {
      PoolException p = corrupt(what);
      p.initCause(e);
      return p;
    }

    void version(int expected) {
      int v = u8();
      if (v != expected) {
        throw corrupt(what + " (format version " + v + ", this build reads " + expected + ")");
      }
    }

    int u8() {
      try {
        return in.readUnsignedByte();
      } catch (IOException e) {
        throw bad(e);
      }
    }

    boolean bool() {
      return u8() != 0;
    }

    int i32() {
      try {
        return in.readInt();
      } catch (IOException e) {
        throw bad(e);
      }
    }

    int count() {
      int n = i32();
      if (n < 0) {
        throw corrupt(what + " (negative count)");
      }
      return n;
    }

    long i64() {
      try {
        return in.readLong();
      } catch (IOException e) {
        throw bad(e);
      }
    }

    byte[] raw() {
      int n = count();
      try {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
          throw corrupt(what + " (truncated)");
        }
        return b;
      } catch (IOException e) {
        throw bad(e);
      }
    }

    String str() {
      return new String(raw(), StandardCharsets.UTF_8);
    }

    Bytes bytes() {
      return Bytes.wrap(raw());
    }

    Set<String> strings() {
      int n = count();
      Set<String> s = new HashSet<>();
      for (int i = 0; i < n; i++) {
        s.add(str());
      }
      return s;
    }

    List<Payout> payouts() {
      int n = count();
      List<Payout> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        list.add(new Payout(str(), new BigInteger(raw())));
      }
      return list;
    }

    void end() {
      try {
        if (in.available() != 0) {
          throw corrupt(what + " (trailing bytes)");
        }
      } catch (IOException e) {
        throw bad(e);
      }
    }
  }
}
