/**
 * Abstract JUnit 5 contract suites (technology compatibility kit) that every backend, store,
 * transport and settlement chain implementation subclasses.
 *
 * @since 0.1.0
 */
package io.poolforge.compute.tck;
