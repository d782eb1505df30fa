/**
 * The transport SPI between coordinator and workers, and its messages.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.api.transport;

import org.jspecify.annotations.NullMarked;
