package io.poolforge.compute.core.kinds;

import io.poolforge.compute.api.TaskKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registry of built-in task kinds: {@code sha256}, {@code pow}, {@code modexp} and {@code
 * render}. Cost units are comparable across kinds: one unit is about the CPU time of one SHA-256
 * compression block, so hashing is cheap (1 unit per 64 bytes), a proof-of-work nonce costs 3, a
 * path-traced sample 8, and a 2048-bit RSA private-key operation 65,536 units. The ratios were
 * measured with the JMH benchmarks of {@code io.poolforge.benchmarks.kinds} on JDK 25, x86-64 with
 * SHA extensions.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class BuiltinKinds {
  private static final List<TaskKind<?, ?>> ALL =
      List.of(Sha256Kind.INSTANCE, PowKind.INSTANCE, ModExpKind.MONTGOMERY, RenderKind.INSTANCE);

  private static final Map<String, TaskKind<?, ?>> BY_ID =
      ALL.stream().collect(Collectors.toUnmodifiableMap(TaskKind::id, Function.identity()));

  private BuiltinKinds() {}

  /**
   * The {@code sha256} kind.
   *
   * @return the kind
   */
  public static Sha256Kind sha256() {
    return Sha256Kind.INSTANCE;
  }

  /**
   * The {@code pow} kind.
   *
   * @return the kind
   */
  public static PowKind pow() {
    return PowKind.INSTANCE;
  }

  /**
   * The {@code modexp} kind (odd moduli, so every backend can run it). See {@link
   * ModExpKind#general()} for even moduli.
   *
   * @return the kind
   */
  public static ModExpKind modexp() {
    return ModExpKind.MONTGOMERY;
  }

  /**
   * The {@code render} kind.
   *
   * @return the kind
   */
  public static RenderKind render() {
    return RenderKind.INSTANCE;
  }

  /**
   * All four built-in kinds.
   *
   * @return sha256, pow, modexp and render
   */
  public static List<TaskKind<?, ?>> all() {
    return ALL;
  }

  /**
   * A built-in kind by id.
   *
   * @param id the kind id
   * @return the kind, or empty if no built-in kind has that id
   */
  public static Optional<TaskKind<?, ?>> byId(String id) {
    return Optional.ofNullable(BY_ID.get(id));
  }
}
