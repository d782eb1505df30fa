package io.poolforge.examples.cli;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.transport.grpc.PoolClient;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code poolforge submit}: submits tasks to a remote coordinator and, with {@code --wait}, follows
 * their results as a stream of events.
 *
 * <p>Not thread-safe; picocli runs it once.
 *
 * @since 0.1.0
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = "Submit tasks to a coordinator; print their ids (and results with --wait).")
public final class SubmitCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection = new ConnectionOptions();

  @Option(names = "--kind", required = true, description = "Task kind id, such as sha256.")
  String kind = "";

  @Option(names = "--payload-hex", description = "The encoded input as hex.")
  @Nullable String payloadHex;

  @Option(names = "--payload-file", description = "A file holding the encoded input.")
  @Nullable Path payloadFile;

  @Option(
      names = "--count",
      defaultValue = "1",
      description = "Submit this many copies, streamed (default ${DEFAULT-VALUE}).")
  int count = 1;

  @Option(names = "--priority", defaultValue = "5", description = "0-9 (default ${DEFAULT-VALUE}).")
  int priority = Priority.NORMAL;

  @Option(names = "--wait", description = "Wait for the results and print them.")
  boolean await;

  @Option(
      names = "--timeout",
      defaultValue = "120",
      description = "Seconds to wait with --wait (default ${DEFAULT-VALUE}).")
  int timeoutSeconds = 120;

  /** Creates the command; picocli fills its options. */
  public SubmitCommand() {}

  @Override
  public Integer call() throws Exception {
    try {
      return run();
    } catch (io.poolforge.compute.api.PoolException e) {
      System.err.println(
          "poolforge "
              + getClass().getSimpleName().replace("Command", "").toLowerCase(java.util.Locale.ROOT)
              + ": "
              + e.getMessage());
      return 1;
    }
  }

  private Integer run() throws Exception {
    if ((payloadHex == null) == (payloadFile == null)) {
      throw PoolException.invalidArgument(
          "--payload-hex", "give exactly one of --payload-hex and --payload-file");
    }
    if (count < 1 || count > 1_000_000) {
      throw PoolException.invalidArgument("--count", "is " + count + ", must be 1-1000000");
    }
    Bytes payload =
        payloadHex != null
            ? Bytes.fromHex(payloadHex)
            : Bytes.wrap(Files.readAllBytes(payloadFile));
    TaskSpec spec = TaskSpec.builder(kind, payload).priority(priority).build();
    PrintStream out = System.out;
    try (PoolClient client = Clients.client(connection)) {
      Set<TaskId> waiting = java.util.concurrent.ConcurrentHashMap.newKeySet();
      CountDownLatch subscribed = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(count);
      Set<Long> finished = java.util.concurrent.ConcurrentHashMap.newKeySet();
      List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      if (await) {
        // subscribe before submitting, so that no result can slip past
        client
            .events(List.of())
            .subscribe(
                new Flow.Subscriber<PoolEvent>() {
                  @Override
                  public void onSubscribe(Flow.Subscription s) {
                    s.request(Long.MAX_VALUE);
                    subscribed.countDown();
                  }

                  @Override
                  public void onNext(PoolEvent e) {
                    if (e instanceof PoolEvent.TaskCompleted c
                        && finished.add(c.result().id().value())) {
                      out.println(
                          c.result().id()
                              + " completed by "
                              + c.result().worker()
                              + ": "
                              + c.result().output().toHex());
                      done.countDown();
                    } else if (e instanceof PoolEvent.TaskFailed f
                        && finished.add(f.task().value())) {
                      failures.add(
                          f.task() + ": " + f.failure().code() + " " + f.failure().message());
                      out.println(
                          f.task()
                              + " failed: "
                              + f.failure().code()
                              + " "
                              + f.failure().message());
                      done.countDown();
                    }
                  }

                  @Override
                  public void onError(Throwable t) {
                    if (done.getCount() > 0) {
                      out.println("event stream ended: " + t.getMessage());
                    }
                    while (done.getCount() > 0) {
                      done.countDown();
                    }
                  }

                  @Override
                  public void onComplete() {}
                });
        subscribed.await(10, TimeUnit.SECONDS);
      }
      List<TaskId> ids;
      if (count == 1) {
        ids = List.of(client.submit(spec));
      } else {
        List<TaskSpec> specs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          specs.add(spec);
        }
        ids = client.submitAll(specs);
      }
      waiting.addAll(new HashSet<>(ids));
      if (!await) {
        ids.forEach(out::println);
        return 0;
      }
      if (!done.await(timeoutSeconds, TimeUnit.SECONDS)) {
        out.println(
            "timed out after "
                + timeoutSeconds
                + " s with "
                + done.getCount()
                + " tasks unfinished");
        return 2;
      }
      return failures.isEmpty() ? 0 : 1;
    }
  }
}
