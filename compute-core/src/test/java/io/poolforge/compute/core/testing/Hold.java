package io.poolforge.compute.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Holds a thread of some executor or loop until a latch opens: for tests of what gets past it. */
public final class Hold {
  private Hold() {}

  /**
   * Hands {@code runOn} a task that waits for {@code release} (30 s at most), and returns once the
   * task has started.
   *
   * @param runOn runs the task: an executor's {@code execute}, a loop's {@code post}
   * @param release opens the hold
   * @throws InterruptedException if interrupted while waiting for the task to start
   */
  public static void until(Consumer<Runnable> runOn, CountDownLatch release)
      throws InterruptedException {
    CountDownLatch held = new CountDownLatch(1);
    runOn.accept(
        () -> {
          held.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertThat(held.await(10, TimeUnit.SECONDS)).as("the hold started").isTrue();
  }
}
