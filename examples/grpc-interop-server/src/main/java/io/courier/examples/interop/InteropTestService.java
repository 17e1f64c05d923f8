package io.courier.examples.interop;

import com.google.protobuf.ByteString;
import io.courier.common.Metadata;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.common.StreamObserver;
import io.courier.server.ServerContext;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The interop {@link TestService}, written only against Courier's API, following gRPC's
 * interop-test-descriptions: payloads of zeros of the requested size, the requested status echoed
 * ({@code response_status}), responses compressed on request ({@code ServerContext.setResponseCompression}),
 * and requests marked {@code expect_compressed} refused with {@code INVALID_ARGUMENT} unless the caller
 * compressed them (visible as the {@code grpc-encoding} request header).
 */
public final class InteropTestService implements TestService {

  private static final Metadata.Key<String> GRPC_ENCODING = Metadata.Key.of("grpc-encoding");
  private static final long MAX_INTERVAL_MICROS = TimeUnit.SECONDS.toMicros(10);

  @Override
  public Empty emptyCall(Empty request) {
    return Empty.getDefaultInstance();
  }

  @Override
  public SimpleResponse unaryCall(SimpleRequest request) {
    ServerContext context = ServerContext.current();
    if (request.hasExpectCompressed() && request.getExpectCompressed().getValue()) {
      checkCompressed(context);
    }
    if (request.hasResponseCompressed()) {
      context.setResponseCompression(request.getResponseCompressed().getValue() ? "gzip" : "identity");
    }
    if (request.hasResponseStatus()) {
      throw statusOf(request.getResponseStatus());
    }
    SimpleResponse.Builder response = SimpleResponse.newBuilder();
    if (request.getResponseSize() > 0) {
      response.setPayload(payload(request.getResponseSize()));
    }
    return response.build();
  }

  @Override
  public void streamingOutputCall(StreamingOutputCallRequest request,
      StreamObserver<StreamingOutputCallResponse> responses) {
    if (request.hasResponseStatus()) {
      responses.onError(statusOf(request.getResponseStatus()));
      return;
    }
    ServerContext context = ServerContext.current();
    for (ResponseParameters parameters : request.getResponseParametersList()) {
      if (context.isCancelled()) {
        return;
      }
      pause(parameters.getIntervalUs());
      respond(context, parameters, responses);
    }
    responses.onCompleted();
  }

  @Override
  public StreamObserver<StreamingInputCallRequest> streamingInputCall(
      StreamObserver<StreamingInputCallResponse> response) {
    ServerContext context = ServerContext.current();
    return new StreamObserver<>() {
      private int total;
      private boolean failed;

      @Override
      public void onNext(StreamingInputCallRequest request) {
        if (failed) {
          return;
        }
        if (request.hasExpectCompressed() && request.getExpectCompressed().getValue() && !isCompressed(context)) {
          failed = true;
          response.onError(Status.INVALID_ARGUMENT.withDescription("expected a compressed request").asException());
          return;
        }
        total += request.getPayload().getBody().size();
      }

      @Override
      public void onError(Throwable t) {
        // the caller cancelled; nothing to clean up
      }

      @Override
      public void onCompleted() {
        if (!failed) {
          response.onNext(StreamingInputCallResponse.newBuilder().setAggregatedPayloadSize(total).build());
          response.onCompleted();
        }
      }
    };
  }

  @Override
  public StreamObserver<StreamingOutputCallRequest> fullDuplexCall(
      StreamObserver<StreamingOutputCallResponse> responses) {
    ServerContext context = ServerContext.current();
    return new StreamObserver<>() {
      private boolean failed;

      @Override
      public void onNext(StreamingOutputCallRequest request) {
        if (failed) {
          return;
        }
        if (request.hasResponseStatus()) {
          failed = true;
          responses.onError(statusOf(request.getResponseStatus()));
          return;
        }
        for (ResponseParameters parameters : request.getResponseParametersList()) {
          pause(parameters.getIntervalUs());
          respond(context, parameters, responses);
        }
      }

      @Override
      public void onError(Throwable t) {
        // the caller cancelled or its deadline passed
      }

      @Override
      public void onCompleted() {
        if (!failed) {
          responses.onCompleted();
        }
      }
    };
  }

  @Override
  public StreamObserver<StreamingOutputCallRequest> halfDuplexCall(
      StreamObserver<StreamingOutputCallResponse> responses) {
    ServerContext context = ServerContext.current();
    List<StreamingOutputCallRequest> requests = new ArrayList<>();
    return new StreamObserver<>() {
      @Override
      public void onNext(StreamingOutputCallRequest request) {
        requests.add(request);
      }

      @Override
      public void onError(Throwable t) {
        requests.clear();
      }

      @Override
      public void onCompleted() {
        for (StreamingOutputCallRequest request : requests) {
          for (ResponseParameters parameters : request.getResponseParametersList()) {
            respond(context, parameters, responses);
          }
        }
        responses.onCompleted();
      }
    };
  }

  private static void respond(ServerContext context, ResponseParameters parameters,
      StreamObserver<StreamingOutputCallResponse> responses) {
    if (parameters.hasCompressed()) {
      context.setResponseCompression(parameters.getCompressed().getValue() ? "gzip" : "identity");
    }
    responses.onNext(StreamingOutputCallResponse.newBuilder().setPayload(payload(parameters.getSize())).build());
  }

  private static void checkCompressed(ServerContext context) {
    if (!isCompressed(context)) {
      throw Status.INVALID_ARGUMENT.withDescription("expected a compressed request (grpc-encoding: gzip)")
          .asException();
    }
  }

  private static boolean isCompressed(ServerContext context) {
    String encoding = context.headers().get(GRPC_ENCODING);
    return encoding != null && !encoding.equals("identity");
  }

  private static Payload payload(int size) {
    return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
  }

  private static RuntimeException statusOf(EchoStatus echo) {
    return Status.of(StatusCode.fromValue(echo.getCode())).withDescription(echo.getMessage()).asException();
  }

  private static void pause(int intervalMicros) {
    if (intervalMicros > 0) {
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(Math.min(intervalMicros, MAX_INTERVAL_MICROS)));
    }
  }
}
