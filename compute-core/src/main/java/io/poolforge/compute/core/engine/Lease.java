package io.poolforge.compute.core.engine;

/**
 * One attempt of a task held by one worker. Owned by the scheduler thread.
 *
 * @param task the task
 * @param attempt the attempt number
 * @param worker the holder
 */
record Lease(TaskEntry task, int attempt, WorkerSlot worker) {}
