/**
 * The poolforge command line (demo, coordinator, worker, submit, status) and sample applications.
 *
 * @since 0.1.0
 */
package io.poolforge.examples;
