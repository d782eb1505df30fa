package io.poolforge.backend.opencl;

import com.aparapi.device.OpenCLDevice;
import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.ModExpKind;
import io.poolforge.compute.core.kinds.PowKind;
import io.poolforge.compute.core.kinds.RenderKind;
import io.poolforge.compute.core.kinds.Sha256Kind;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The OpenCL backend on one device. At start it compiles every kernel for the device and checks
 * each against the reference on a small problem; a kind whose kernel Aparapi cannot translate,
 * whose driver cannot compile it, that computes a wrong answer, or that later falls back to Java
 * threads, is refused: it leaves {@link #kinds()} and {@link #refusals()} says why. It never hands
 * back results computed anywhere but on the device.
 *
 * <p>Thread-safe; {@link #execute} blocks while the device works; batches of one kind are
 * serialized on the device, batches of different kinds may overlap.
 */
final class OpenClBackend implements ComputeBackend {
  private static final System.Logger LOG = System.getLogger(OpenClBackend.class.getName());

  private final DeviceInfo info;
  private final Map<String, Lane> lanes = new LinkedHashMap<>();
  private final Map<String, String> refusals = new ConcurrentHashMap<>();
  private volatile boolean closed;

  OpenClBackend(OpenCLDevice device) {
    this(device, defaultLanes());
  }

  /**
   * Starts the lanes, each compiled and self-tested on the device.
   *
   * @param device the device
   * @param factories kind id to the lane that runs it
   */
  OpenClBackend(OpenCLDevice device, Map<String, Function<OpenCLDevice, Lane>> factories) {
    this.info = OpenClDevices.info(device);
    for (Map.Entry<String, Function<OpenCLDevice, Lane>> e : factories.entrySet()) {
      Lane lane = null;
      try {
        lane = e.getValue().apply(device);
        lane.selfTest();
        lanes.put(e.getKey(), lane);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (RuntimeException | Error failure) {
        refuse(
            e.getKey(), failure.getMessage() == null ? failure.toString() : failure.getMessage());
        if (lane != null) {
          lane.close();
        }
      }
    }
    LOG.log(
        Level.INFO,
        "opencl backend on {0} ({1} compute units, {2} MiB): kinds {3}, refused {4}",
        info.name(),
        info.computeUnits(),
        info.memoryBytes() >> 20,
        kinds(),
        refusals);
  }

  static Map<String, Function<OpenCLDevice, Lane>> defaultLanes() {
    Map<String, Function<OpenCLDevice, Lane>> m = new LinkedHashMap<>();
    m.put(Sha256Kind.ID, Sha256Lane::new);
    m.put(PowKind.ID, PowLane::new);
    m.put(ModExpKind.ID, ModExpLane::new);
    m.put(RenderKind.ID, RenderLane::new);
    return m;
  }

  /** The kernel that runs a kind, for tests; null if the kind has no lane. */
  @Nullable DeviceKernel<?> kernelFor(String kind) {
    Lane lane = lanes.get(kind);
    return lane == null ? null : lane.kernel();
  }

  @Override
  public String id() {
    return OpenClBackendProvider.ID;
  }

  @Override
  public List<DeviceInfo> devices() {
    return List.of(info);
  }

  /** The kinds whose kernels run on the device; never one that fell back to Java threads. */
  @Override
  public Set<String> kinds() {
    Set<String> ids = new TreeSet<>();
    for (Lane lane : lanes.values()) {
      if (lane.kernel().fallbackReason() == null && !refusals.containsKey(lane.kindId())) {
        ids.add(lane.kindId());
      }
    }
    return Set.copyOf(ids);
  }

  /** Kind id to the reason it is not offered. */
  Map<String, String> refusals() {
    return Map.copyOf(refusals);
  }

  @Override
  public <I, O> List<O> execute(TaskKind<I, O> kind, List<I> inputs, ExecutionContext context) {
    if (closed) {
      throw new PoolException(
          ErrorCode.UNAVAILABLE, "opencl", "opencl: the backend is closed", null);
    }
    if (inputs.isEmpty()) {
      throw PoolException.invalidArgument("inputs", "must hold at least one input, holds 0");
    }
    String reason = refusals.get(kind.id());
    if (reason != null) {
      throw new PoolException(
          ErrorCode.UNAVAILABLE,
          "opencl",
          "opencl: kind '" + kind.id() + "' refused: " + reason,
          null);
    }
    Lane lane = lanes.get(kind.id());
    if (lane == null || !lane.accepts(kind)) {
      throw PoolException.invalidArgument(
          "kind", "'" + kind.id() + "' is not run by the opencl backend, which runs " + kinds());
    }
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i) == null) {
        throw PoolException.invalidArgument("inputs[" + i + "]", "must not be null");
      }
      kind.validate(inputs.get(i));
    }
    try {
      @SuppressWarnings("unchecked")
      List<O> out = (List<O>) (List<?>) lane.run(inputs, context);
      return List.copyOf(out);
    } catch (KernelFallbackException e) {
      refuse(kind.id(), e.getMessage());
      throw new PoolException(ErrorCode.UNAVAILABLE, "opencl", "opencl: " + e.getMessage(), e);
    } catch (PoolException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new PoolException(
          ErrorCode.INTERNAL, "opencl", "opencl: the " + kind.id() + " kernel failed: " + e, e);
    }
  }

  private void refuse(String kind, String reason) {
    refusals.put(kind, reason);
    LOG.log(Level.WARNING, "opencl: not offering kind {0}: {1}", kind, reason);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      lanes.values().forEach(Lane::close);
    }
  }
}
