package io.poolforge.examples.cli;

import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.transport.grpc.PoolClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code poolforge status}: prints the status of tasks on a remote coordinator.
 *
 * <p>Not thread-safe; picocli runs it once.
 *
 * @since 0.1.0
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Print the status of tasks.")
public final class StatusCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection = new ConnectionOptions();

  @Parameters(arity = "1..*", description = "Task ids, such as t-42.")
  List<String> tasks = List.of();

  /** Creates the command; picocli fills its options. */
  public StatusCommand() {}

  @Override
  public Integer call() {
    try {
      return run();
    } catch (io.poolforge.compute.api.PoolException e) {
      System.err.println("poolforge status: " + e.getMessage());
      return 1;
    }
  }

  private Integer run() {
    try (PoolClient client = Clients.client(connection)) {
      for (String t : tasks) {
        TaskStatus s = client.status(TaskId.parse(t));
        System.out.println(
            s.id()
                + " "
                + s.state()
                + " kind="
                + s.kind()
                + " priority="
                + s.priority()
                + " attempts="
                + s.attempts()
                + (s.worker() == null ? "" : " worker=" + s.worker())
                + (s.failure() == null
                    ? ""
                    : " failure=" + s.failure().code() + ": " + s.failure().message()));
      }
    }
    return 0;
  }
}
