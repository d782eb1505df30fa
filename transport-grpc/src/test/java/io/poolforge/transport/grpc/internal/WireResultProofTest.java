package io.poolforge.transport.grpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.ResultProof;
import io.poolforge.compute.api.transport.WorkResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A result's batch proof on the wire: field 8 of poolforge.v1.WorkResult. */
class WireResultProofTest {
  private final PayloadCodec codec = PayloadCodec.inlineOnly(1 << 20);

  private static WorkResult result(ResultProof proof) {
    return new WorkResult(
        new LeaseRef(new TaskId(3), 1),
        new WorkerId("w"),
        "cpu",
        Bytes.fromHex("0102"),
        null,
        5,
        Bytes.wrap(new byte[64]),
        proof);
  }

  private static Bytes hash(int seed) {
    byte[] h = new byte[ResultProof.HASH_BYTES];
    h[0] = (byte) seed;
    return Bytes.wrap(h);
  }

  @Test
  void proofsSurviveTheRoundTripAndASingleOneIsLeftOut() {
    WorkResult batched = result(new ResultProof(3, 5, List.of(hash(1), hash(2), hash(3))));
    var m = Wire.result(batched, codec);
    assertThat(m.getProof().getPathCount()).isEqualTo(3);
    assertThat(Wire.result(m, codec)).isEqualTo(batched);
    WorkResult single = result(ResultProof.SINGLE);
    var s = Wire.result(single, codec);
    assertThat(s.hasProof()).isFalse();
    assertThat(Wire.result(s, codec)).isEqualTo(single);
  }

  @Test
  void malformedProofsAreInvalidArgumentsNamingTheField() {
    var good = Wire.result(result(new ResultProof(1, 2, List.of(hash(1)))), codec);
    var tooLong = good.toBuilder();
    for (int i = 0; i < ResultProof.MAX_PATH; i++) {
      tooLong.getProofBuilder().addPath(ByteString.copyFrom(new byte[32]));
    }
    assertInvalid(tooLong.build(), "result.proof.path", "limit is 20");
    var shortHash = good.toBuilder();
    shortHash.getProofBuilder().setPath(0, ByteString.copyFrom(new byte[31]));
    assertInvalid(shortHash.build(), "proof.path[0]", "must be 32");
    var badIndex = good.toBuilder();
    badIndex.getProofBuilder().setIndex(2);
    assertInvalid(badIndex.build(), "proof.index", "[0, 1]");
    var hugeSize = good.toBuilder();
    hugeSize.getProofBuilder().setSize(-1); // uint32 0xffffffff
    assertInvalid(hugeSize.build(), "proof.size", "1048576");
  }

  private void assertInvalid(
      io.poolforge.transport.grpc.v1.WorkResult m, String field, String limit) {
    assertThatThrownBy(() -> Wire.result(m, codec))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains(field, limit);
            });
  }
}
