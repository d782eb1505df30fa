package io.poolforge.compute.core.testing;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Codec;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.backend.ExecutionContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Tiny test-only task kinds. */
public final class TestKinds {
  private TestKinds() {}

  /** Encodes a long as 8 bytes. */
  public static final Codec<Long> LONG =
      new Codec<>() {
        @Override
        public Bytes encode(Long value) {
          return Bytes.wrap(ByteBuffer.allocate(8).putLong(value).array());
        }

        @Override
        public Long decode(Bytes bytes) {
          if (bytes.size() != 8) {
            throw PoolException.invalidArgument(
                "payload", "is " + bytes.size() + " bytes, must be 8");
          }
          return bytes.asReadOnlyBuffer().getLong();
        }
      };

  /** Encodes a long[] of a fixed length. */
  public static Codec<long[]> longs(int n) {
    return new Codec<>() {
      @Override
      public Bytes encode(long[] value) {
        ByteBuffer b = ByteBuffer.allocate(8 * n);
        for (long v : value) {
          b.putLong(v);
        }
        return Bytes.wrap(b.array());
      }

      @Override
      public long[] decode(Bytes bytes) {
        if (bytes.size() != 8 * n) {
          throw PoolException.invalidArgument(
              "payload", "is " + bytes.size() + " bytes, must be " + 8 * n);
        }
        ByteBuffer b = bytes.asReadOnlyBuffer();
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
          out[i] = b.getLong();
        }
        return out;
      }
    };
  }

  /** "echo": returns its input + 1; negative inputs are invalid; cheap check re-adds. */
  public static final class Echo implements Computable<Long, Long> {
    @Override
    public String id() {
      return "echo";
    }

    @Override
    public Codec<Long> inputCodec() {
      return LONG;
    }

    @Override
    public Codec<Long> outputCodec() {
      return LONG;
    }

    @Override
    public void validate(Long input) {
      if (input < 0) {
        throw PoolException.invalidArgument("input", "is " + input + ", must be >= 0");
      }
    }

    @Override
    public long costUnits(Long input) {
      return 1;
    }

    @Override
    public Verdict cheapCheck(Long input, Long output) {
      return output == input + 1 ? Verdict.CONFIRMED : Verdict.REFUTED;
    }

    @Override
    public Long compute(Long input, ExecutionContext context) {
      return input + 1;
    }
  }

  /** "block": waits on a latch (or until cancelled) before echoing; for lease and cancel tests. */
  public static final class Block implements Computable<Long, Long> {
    public final CountDownLatch release = new CountDownLatch(1);

    /** How many computations have started (and wait on {@link #release} or have passed it). */
    public final java.util.concurrent.atomic.AtomicInteger started =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public String id() {
      return "block";
    }

    @Override
    public Codec<Long> inputCodec() {
      return LONG;
    }

    @Override
    public Codec<Long> outputCodec() {
      return LONG;
    }

    @Override
    public void validate(Long input) {}

    @Override
    public long costUnits(Long input) {
      return 5;
    }

    @Override
    public Long compute(Long input, ExecutionContext context) {
      started.incrementAndGet();
      try {
        while (!release.await(5, TimeUnit.MILLISECONDS)) {
          if (context.cancelled()) {
            break;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return input;
    }
  }

  /** "range-sum": input {from, to}, output the sum of [from, to); splittable. */
  public static final class RangeSum implements Computable<long[], Long> {
    @Override
    public String id() {
      return "range-sum";
    }

    @Override
    public Codec<long[]> inputCodec() {
      return longs(2);
    }

    @Override
    public Codec<Long> outputCodec() {
      return LONG;
    }

    @Override
    public void validate(long[] input) {
      if (input[0] < 0 || input[1] < input[0]) {
        throw PoolException.invalidArgument("range", "must satisfy 0 <= from <= to");
      }
    }

    @Override
    public long costUnits(long[] input) {
      return Math.max(1, input[1] - input[0]);
    }

    @Override
    public Long compute(long[] input, ExecutionContext context) {
      long sum = 0;
      for (long i = input[0]; i < input[1]; i++) {
        sum += i;
      }
      return sum;
    }

    @Override
    public Optional<Splitter<long[], Long>> splitter() {
      return Optional.of(
          new Splitter<>() {
            @Override
            public List<long[]> split(long[] input, int maxChunks) {
              long len = input[1] - input[0];
              int n = (int) Math.max(1, Math.min(maxChunks, len));
              List<long[]> parts = new ArrayList<>(n);
              for (int i = 0; i < n; i++) {
                parts.add(new long[] {input[0] + len * i / n, input[0] + len * (i + 1) / n});
              }
              return parts;
            }

            @Override
            public Long merge(long[] input, List<Long> parts) {
              return parts.stream().mapToLong(Long::longValue).sum();
            }
          });
    }
  }

  /**
   * "count": input {from, to, acc}; sums [from, to) into acc one step at a time, saving a
   * checkpoint {next, acc} after each step and stopping early (returning -1) when told to by {@link
   * #crashAfter}; a resumed attempt continues from the checkpoint.
   */
  public static final class Counting implements Computable<long[], Long> {
    /** Steps each attempt may run before "crashing" (-1: never). */
    public volatile long crashAfter = -1;

    public final java.util.concurrent.atomic.AtomicLong steps =
        new java.util.concurrent.atomic.AtomicLong();

    @Override
    public String id() {
      return "count";
    }

    @Override
    public Codec<long[]> inputCodec() {
      return longs(3);
    }

    @Override
    public Codec<Long> outputCodec() {
      return LONG;
    }

    @Override
    public void validate(long[] input) {}

    @Override
    public long costUnits(long[] input) {
      return input[1] - input[0];
    }

    @Override
    public Long compute(long[] input, ExecutionContext context) {
      long acc = input[2];
      long ran = 0;
      for (long i = input[0]; i < input[1]; i++) {
        if (crashAfter >= 0 && ran >= crashAfter) {
          // simulate a crash: hang until revoked so no result is sent
          while (!context.cancelled()) {
            Thread.onSpinWait();
            try {
              Thread.sleep(2);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return -1L;
            }
          }
          return -1L;
        }
        acc += i;
        ran++;
        steps.incrementAndGet();
        context.saveCheckpoint(longs(2).encode(new long[] {i + 1, acc}));
      }
      return acc;
    }

    @Override
    public Optional<Resumer<long[]>> resumer() {
      return Optional.of(
          (input, checkpoint) -> {
            long[] cp = longs(2).decode(checkpoint);
            return new long[] {cp[0], input[1], cp[1]};
          });
    }
  }
}
