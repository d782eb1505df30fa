/**
 * CPU executor for the built-in task kinds, using every core.
 *
 * @since 0.1.0
 */
package io.poolforge.backend.cpu;
