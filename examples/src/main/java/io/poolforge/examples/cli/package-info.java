/**
 * The networked {@code poolforge} subcommands: {@code coordinator}, {@code worker}, {@code submit}
 * and {@code status}, over the gRPC transport.
 *
 * @since 0.1.0
 */
package io.poolforge.examples.cli;
