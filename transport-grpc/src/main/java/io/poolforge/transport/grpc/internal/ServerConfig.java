package io.poolforge.transport.grpc.internal;

import java.time.Clock;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The coordinator-side settings a worker stream needs.
 *
 * <p>Immutable and thread-safe.
 *
 * @param clock the time source for rate limits
 * @param maxMessageBytes the largest message sent or received
 * @param maxBatch the most assignments in one message
 * @param maxCredit the most outstanding credit one worker may hold
 * @param messagesPerSecond the per-worker rate limit on inbound messages
 * @param burst the per-worker burst allowance
 * @param compression the compressor name for outbound messages, or null for none
 * @param payloads how payloads go on the wire
 * @param checkLeases whether results and checkpoints must name a lease handed out on the stream
 * @param work runs the worker messages that may take CPU or block (registration, results,
 *     checkpoints); heartbeats and grants are handled on the transport's own thread
 */
public record ServerConfig(
    Clock clock,
    int maxMessageBytes,
    int maxBatch,
    long maxCredit,
    double messagesPerSecond,
    int burst,
    @Nullable String compression,
    PayloadCodec payloads,
    boolean checkLeases,
    Executor work) {}
