package io.poolforge.compute.core.verify;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Codec;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskKind;
import java.nio.ByteBuffer;

/**
 * Test-only task kinds: one exact kind with no cheap check, one with a cheap check (factoring, as
 * the RSA public check), and one floating-point kind compared within a tolerance.
 */
final class TestKinds {
  private TestKinds() {}

  /** The engine tests' 8-byte long codec, shared. */
  static final Codec<Long> LONG = io.poolforge.compute.core.testing.TestKinds.LONG;

  static final Codec<Double> DOUBLE =
      new Codec<>() {
        @Override
        public Bytes encode(Double value) {
          return Bytes.wrap(ByteBuffer.allocate(8).putDouble(value).array());
        }

        @Override
        public Double decode(Bytes bytes) {
          if (bytes.size() != 8) {
            throw PoolException.invalidArgument("output", "is " + bytes.size() + " bytes, not 8");
          }
          return bytes.asReadOnlyBuffer().getDouble();
        }
      };

  /** Squares a number: exact, no cheap check. */
  static final TaskKind<Long, Long> SQUARE =
      new TaskKind<>() {
        @Override
        public String id() {
          return "test.square";
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
          return 1;
        }
      };

  /** Finds a non-trivial factor: any factor is right, and the check is one division. */
  static final TaskKind<Long, Long> FACTOR =
      new TaskKind<>() {
        @Override
        public String id() {
          return "test.factor";
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
          return 100;
        }

        @Override
        public Verdict cheapCheck(Long input, Long output) {
          return output > 1 && output < input && input % output == 0
              ? Verdict.CONFIRMED
              : Verdict.REFUTED;
        }
      };

  /** A square root in floating point: backends differ in the last bits; tolerance 1e-9. */
  static final TaskKind<Double, Double> SQRT =
      new TaskKind<>() {
        @Override
        public String id() {
          return "test.sqrt";
        }

        @Override
        public Codec<Double> inputCodec() {
          return DOUBLE;
        }

        @Override
        public Codec<Double> outputCodec() {
          return DOUBLE;
        }

        @Override
        public void validate(Double input) {}

        @Override
        public long costUnits(Double input) {
          return 1;
        }

        @Override
        public boolean exactOutputs() {
          return false;
        }

        @Override
        public boolean equivalent(Double a, Double b) {
          return Math.abs(a - b) <= 1e-9 * Math.max(1.0, Math.abs(a));
        }
      };
}
