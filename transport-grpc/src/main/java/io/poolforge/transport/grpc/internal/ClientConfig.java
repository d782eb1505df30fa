package io.poolforge.transport.grpc.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * The worker-side settings a connection needs.
 *
 * <p>Immutable and thread-safe.
 *
 * @param target the coordinator address, for messages
 * @param maxMessageBytes the largest message sent or received
 * @param maxQueuedMessages the most outbound messages buffered while the stream is not ready
 * @param connectTimeout how long registration may take
 * @param reconnectFor how long to keep reconnecting after the stream breaks; zero disables it
 * @param initialBackoff the first reconnect delay
 * @param maxBackoff the longest reconnect delay
 * @param compression the compressor name, or null for none
 * @param scheduler the scheduler for reconnects
 */
public record ClientConfig(
    String target,
    int maxMessageBytes,
    int maxQueuedMessages,
    Duration connectTimeout,
    Duration reconnectFor,
    Duration initialBackoff,
    Duration maxBackoff,
    @Nullable String compression,
    ScheduledExecutorService scheduler) {}
