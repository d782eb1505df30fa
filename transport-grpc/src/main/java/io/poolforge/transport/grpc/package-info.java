/**
 * gRPC transport: the protobuf schema poolforge.v1, the coordinator server, and the worker and
 * submitter clients. Filled by the gRPC transport issue; this module holds no code yet.
 *
 * @since 0.1.0
 */
package io.poolforge.transport.grpc;
