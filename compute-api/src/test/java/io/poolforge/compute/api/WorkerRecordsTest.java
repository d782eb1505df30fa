package io.poolforge.compute.api;

import static io.poolforge.compute.api.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkerRecordsTest {
  static Capabilities caps(Set<String> backends, long mem, Set<String> tags, boolean attested) {
    return new Capabilities(
        Set.of("sha256"),
        backends,
        List.of(new DeviceInfo("cpu", "test cpu", 1 << 30, 2, false)),
        mem,
        4,
        tags,
        attested);
  }

  @Test
  void requirementsMatchCapabilities() {
    Capabilities gpu = caps(Set.of("cpu", "cuda"), 80L << 30, Set.of("eu", "fast"), true);
    Capabilities cpu = caps(Set.of("cpu"), 0, Set.of("eu"), false);
    assertThat(Requirements.ANY.satisfiedBy(cpu)).isTrue();
    var needsGpu = new Requirements(Set.of("cuda", "opencl"), 16L << 30, Set.of("eu"), false);
    assertThat(needsGpu.satisfiedBy(gpu)).isTrue();
    assertThat(needsGpu.satisfiedBy(cpu)).isFalse();
    var needsAttest = new Requirements(Set.of(), 0, Set.of(), true);
    assertThat(needsAttest.satisfiedBy(gpu)).isTrue();
    assertThat(needsAttest.satisfiedBy(cpu)).isFalse();
    assertThat(needsAttest.satisfiedBy(cpu.withAttested(true))).isTrue();
    var needsTag = new Requirements(Set.of(), 0, Set.of("fast"), false);
    assertThat(needsTag.satisfiedBy(cpu)).isFalse();
  }

  @Test
  void requirementsValidate() {
    assertInvalid(
        "requirements.backends", () -> new Requirements(Set.of("CUDA"), 0, Set.of(), false));
    assertInvalid(
        "requirements.minDeviceMemoryBytes", () -> new Requirements(Set.of(), -1, Set.of(), false));
    var tags = new java.util.HashSet<String>();
    for (int i = 0; i < 17; i++) {
      tags.add("t" + i);
    }
    assertInvalid("requirements.tags", () -> new Requirements(Set.of(), 0, tags, false));
  }

  @Test
  void capabilitiesValidate() {
    var dev = List.of(new DeviceInfo("cpu", "c", 1, 1, false));
    assertInvalid(
        "capabilities.kinds",
        () -> new Capabilities(Set.of(), Set.of("cpu"), dev, 0, 1, Set.of(), false));
    assertInvalid(
        "capabilities.slots",
        () -> new Capabilities(Set.of("sha256"), Set.of("cpu"), dev, 0, 0, Set.of(), false));
    assertInvalid(
        "capabilities.deviceMemoryBytes",
        () -> new Capabilities(Set.of("sha256"), Set.of("cpu"), dev, -1, 1, Set.of(), false));
    var withNull = new ArrayList<DeviceInfo>();
    withNull.add(null);
    assertInvalid(
        "capabilities.devices",
        () -> new Capabilities(Set.of("sha256"), Set.of("cpu"), withNull, 0, 1, Set.of(), false));
  }

  @Test
  void deviceInfoValidates() {
    assertInvalid("device.backend", () -> new DeviceInfo("", "x", 0, 1, true));
    assertInvalid("device.name", () -> new DeviceInfo("cuda", " ", 0, 1, true));
    assertInvalid("device.memoryBytes", () -> new DeviceInfo("cuda", "x", -1, 1, true));
    assertInvalid("device.computeUnits", () -> new DeviceInfo("cuda", "x", 0, 0, true));
  }

  @Test
  void workerInfoValidates() {
    Capabilities c = caps(Set.of("cpu"), 0, Set.of(), false);
    Bytes key = Bytes.fromHex("01");
    WorkerId id = new WorkerId("w1");
    assertThat(new WorkerInfo(id, "alice", "0xabc", key, c).owner()).isEqualTo("alice");
    assertInvalid("worker.id", () -> new WorkerInfo(null, "alice", "0xabc", key, c));
    assertInvalid("worker.owner", () -> new WorkerInfo(id, "", "0xabc", key, c));
    assertInvalid("worker.payoutAddress", () -> new WorkerInfo(id, "a", "bad addr", key, c));
    assertInvalid("worker.publicKey", () -> new WorkerInfo(id, "a", "0x1", Bytes.EMPTY, c));
    assertInvalid(
        "worker.publicKey", () -> new WorkerInfo(id, "a", "0x1", Bytes.wrap(new byte[1025]), c));
    assertInvalid("worker.capabilities", () -> new WorkerInfo(id, "a", "0x1", key, null));
  }
}
