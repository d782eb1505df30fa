package io.poolforge.transport.grpc.internal;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import org.jspecify.annotations.Nullable;

/**
 * Maps {@link PoolException} to gRPC statuses and back. The exact {@link ErrorCode} and the field
 * at fault travel in trailers, so a PoolException survives the wire unchanged.
 *
 * <p>Stateless and thread-safe.
 */
public final class Errors {
  /** Trailer carrying the {@link ErrorCode} name. */
  public static final Metadata.Key<String> CODE =
      Metadata.Key.of("poolforge-error-code", Metadata.ASCII_STRING_MARSHALLER);

  /** Trailer carrying the field at fault. */
  public static final Metadata.Key<String> FIELD =
      Metadata.Key.of("poolforge-error-field", Metadata.ASCII_STRING_MARSHALLER);

  private Errors() {}

  /**
   * The gRPC code for an error code.
   *
   * @param code the PoolForge code
   * @return the gRPC code
   */
  public static Status.Code grpcCode(ErrorCode code) {
    return switch (code) {
      case UNAVAILABLE -> Status.Code.UNAVAILABLE;
      case RESOURCE_EXHAUSTED -> Status.Code.RESOURCE_EXHAUSTED;
      case INVALID_ARGUMENT -> Status.Code.INVALID_ARGUMENT;
      case NOT_FOUND -> Status.Code.NOT_FOUND;
      case FAILED_PRECONDITION, VERIFICATION_FAILED -> Status.Code.FAILED_PRECONDITION;
      case CANCELLED -> Status.Code.CANCELLED;
      case DEADLINE_EXCEEDED -> Status.Code.DEADLINE_EXCEEDED;
      case UNAUTHENTICATED -> Status.Code.UNAUTHENTICATED;
      case CHAIN_REJECTED -> Status.Code.ABORTED;
      case INTERNAL -> Status.Code.INTERNAL;
    };
  }

  /**
   * The status and trailers that carry {@code e}.
   *
   * @param e the exception
   * @return a status exception to close a call with
   */
  public static StatusRuntimeException toStatus(PoolException e) {
    Metadata trailers = new Metadata();
    trailers.put(CODE, e.code().name());
    if (e.field() != null) {
      trailers.put(FIELD, ascii(e.field()));
    }
    return Status.fromCode(grpcCode(e.code()))
        .withDescription(strip(e))
        .asRuntimeException(trailers);
  }

  /**
   * The trailers for {@code e}, for a call closed through {@link io.grpc.ServerCall#close}.
   *
   * @param e the exception
   * @return the trailers
   */
  public static Metadata trailers(PoolException e) {
    Metadata trailers = new Metadata();
    trailers.put(CODE, e.code().name());
    if (e.field() != null) {
      trailers.put(FIELD, ascii(e.field()));
    }
    return trailers;
  }

  /**
   * The status for {@code e}.
   *
   * @param e the exception
   * @return its status
   */
  public static Status status(PoolException e) {
    return Status.fromCode(grpcCode(e.code())).withDescription(strip(e));
  }

  /**
   * Turns any failure of a call into a PoolException.
   *
   * @param t the failure
   * @param context what was being done, such as "connect to localhost:7070"
   * @return the exception
   */
  public static PoolException toPoolException(Throwable t, String context) {
    if (t instanceof PoolException p) {
      return p;
    }
    Status status;
    Metadata trailers;
    if (t instanceof StatusRuntimeException s) {
      status = s.getStatus();
      trailers = s.getTrailers();
    } else if (t instanceof StatusException s) {
      status = s.getStatus();
      trailers = s.getTrailers();
    } else {
      status = Status.fromThrowable(t);
      trailers = Status.trailersFromThrowable(t);
    }
    ErrorCode code = null;
    String field = null;
    if (trailers != null) {
      String name = trailers.get(CODE);
      if (name != null) {
        try {
          code = ErrorCode.valueOf(name);
        } catch (IllegalArgumentException ignored) {
          code = null;
        }
      }
      field = trailers.get(FIELD);
    }
    String description = status.getDescription() == null ? "" : status.getDescription();
    if (code != null) {
      return new PoolException(code, field, description, t);
    }
    ErrorCode mapped = fromGrpc(status.getCode());
    String message =
        context + ": " + status.getCode() + (description.isEmpty() ? "" : ", " + description);
    if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED
        && description.contains("exceeds maximum")) {
      message = context + ": a message exceeded the size limit (" + description + ")";
    }
    return new PoolException(mapped, field, message, t);
  }

  /**
   * The PoolForge code for a gRPC code.
   *
   * @param code the gRPC code
   * @return the PoolForge code
   */
  public static ErrorCode fromGrpc(Status.Code code) {
    return switch (code) {
      case UNAVAILABLE, ABORTED -> ErrorCode.UNAVAILABLE;
      case RESOURCE_EXHAUSTED -> ErrorCode.RESOURCE_EXHAUSTED;
      case INVALID_ARGUMENT, OUT_OF_RANGE -> ErrorCode.INVALID_ARGUMENT;
      case NOT_FOUND -> ErrorCode.NOT_FOUND;
      case FAILED_PRECONDITION, ALREADY_EXISTS -> ErrorCode.FAILED_PRECONDITION;
      case CANCELLED -> ErrorCode.CANCELLED;
      case DEADLINE_EXCEEDED -> ErrorCode.DEADLINE_EXCEEDED;
      case UNAUTHENTICATED, PERMISSION_DENIED -> ErrorCode.UNAUTHENTICATED;
      default -> ErrorCode.INTERNAL;
    };
  }

  private static String strip(PoolException e) {
    String prefix = e.code().name() + ": ";
    String m = e.getMessage() == null ? "" : e.getMessage();
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }

  private static String ascii(@Nullable String s) {
    return s == null ? "" : s.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
