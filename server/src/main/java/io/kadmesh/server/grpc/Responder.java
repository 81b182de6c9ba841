package io.kadmesh.server.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Answers unary calls so that every failure becomes a status through {@link StatusMapper} and an
 * answer to a call the client already cancelled is dropped quietly instead of throwing.
 */
final class Responder {
  private Responder() {}

  /** Answers with what {@code body} returns, or with the status its exception maps to. */
  static <T> void answer(StreamObserver<T> observer, Supplier<T> body) {
    ignoreCancellation(observer);
    T response;
    try {
      response = body.get();
    } catch (RuntimeException e) {
      observer.onError(StatusMapper.toStatusException(e));
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  /** Answers when {@code stage} completes; a failure before it exists is answered the same way. */
  static <T> void answerAsync(StreamObserver<T> observer, Supplier<CompletionStage<T>> body) {
    ignoreCancellation(observer);
    CompletionStage<T> stage;
    try {
      stage = body.get();
    } catch (RuntimeException e) {
      observer.onError(StatusMapper.toStatusException(e));
      return;
    }
    stage.whenComplete((response, failure) -> {
      if (cancelled(observer)) {
        return;
      }
      if (failure != null) {
        observer.onError(StatusMapper.toStatusException(failure));
      } else {
        observer.onNext(response);
        observer.onCompleted();
      }
    });
  }

  private static void ignoreCancellation(StreamObserver<?> observer) {
    if (observer instanceof ServerCallStreamObserver<?> call) {
      // Without a handler, onNext after a client's cancel throws; the work is done, so drop it.
      call.setOnCancelHandler(() -> {});
    }
  }

  private static boolean cancelled(StreamObserver<?> observer) {
    return observer instanceof ServerCallStreamObserver<?> call && call.isCancelled();
  }
}
