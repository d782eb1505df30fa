package io.poolforge.transport.grpc.internal;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.transport.grpc.v1.BlobsGrpc;
import io.poolforge.transport.grpc.v1.SubmitterGrpc;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * Refuses every call from a peer that is not authenticated for the service it calls: workers (the
 * WorkerLink service) by a worker bearer token or a client certificate verified by mutual TLS;
 * submitters (the Submitter service) by a submitter bearer token; the Blobs service by either.
 * Refused calls end with UNAUTHENTICATED before any message is read.
 *
 * <p>Immutable and thread-safe.
 */
public final class AuthInterceptor implements ServerInterceptor {
  /** The authenticated principal of the current call. */
  public static final Context.Key<String> PRINCIPAL = Context.key("poolforge-principal");

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final List<byte[]> workerTokens;
  private final List<byte[]> submitterTokens;
  private final boolean certificatesAuthenticateWorkers;
  private final boolean allowUnauthenticated;

  /**
   * Creates the interceptor.
   *
   * @param workerTokens bearer tokens that authenticate workers
   * @param submitterTokens bearer tokens that authenticate submitters
   * @param certificatesAuthenticateWorkers whether a verified client certificate authenticates a
   *     worker
   * @param allowUnauthenticated whether to let everyone in (development only)
   */
  public AuthInterceptor(
      Set<String> workerTokens,
      Set<String> submitterTokens,
      boolean certificatesAuthenticateWorkers,
      boolean allowUnauthenticated) {
    this.workerTokens = workerTokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    this.submitterTokens =
        submitterTokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    this.certificatesAuthenticateWorkers = certificatesAuthenticateWorkers;
    this.allowUnauthenticated = allowUnauthenticated;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String service = call.getMethodDescriptor().getServiceName();
    boolean submitter = SubmitterGrpc.SERVICE_NAME.equals(service);
    boolean blobs = BlobsGrpc.SERVICE_NAME.equals(service);
    String principal = null;
    String why =
        "no bearer token" + (certificatesAuthenticateWorkers ? " or client certificate" : "");
    String header = headers.get(AUTHORIZATION);
    if (header != null) {
      if (!header.startsWith("Bearer ")) {
        why = "the authorization header is not a Bearer token";
      } else {
        byte[] token = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        boolean worker = matches(workerTokens, token);
        boolean sub = matches(submitterTokens, token);
        if ((submitter && sub) || (!submitter && worker) || (blobs && (worker || sub))) {
          principal = (worker ? "worker-token" : "submitter-token");
        } else {
          why =
              worker || sub
                  ? "the bearer token is not valid for " + service
                  : "the bearer token is not recognised";
        }
      }
    }
    if (principal == null && certificatesAuthenticateWorkers && !submitter) {
      String subject = peerSubject(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
      if (subject != null) {
        principal = "cert:" + subject;
      }
    }
    if (principal == null && allowUnauthenticated) {
      principal = "anonymous";
    }
    if (principal == null) {
      PoolException e =
          new PoolException(
              ErrorCode.UNAUTHENTICATED,
              "authorization",
              "unauthenticated call to " + service + ": " + why,
              null);
      call.close(
          Status.UNAUTHENTICATED.withDescription(
              e.getMessage().substring("UNAUTHENTICATED: ".length())),
          Errors.trailers(e));
      return new ServerCall.Listener<>() {};
    }
    Context ctx = Context.current().withValue(PRINCIPAL, principal);
    return Contexts.interceptCall(ctx, call, headers, next);
  }

  private static boolean matches(List<byte[]> tokens, byte[] token) {
    boolean found = false;
    for (byte[] t : tokens) {
      found |= MessageDigest.isEqual(t, token);
    }
    return found;
  }

  private static @Nullable String peerSubject(@Nullable SSLSession session) {
    if (session == null) {
      return null;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
        return x.getSubjectX500Principal().getName();
      }
      return null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }
}
