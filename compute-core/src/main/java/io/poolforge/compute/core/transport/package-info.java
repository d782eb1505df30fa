/**
 * The in-process transport: the reference implementation of the transport SPI, connecting a
 * coordinator and its workers inside one JVM (tests, demos, embedding).
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.core.transport;

import org.jspecify.annotations.NullMarked;
