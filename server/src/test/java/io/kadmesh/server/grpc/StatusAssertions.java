package io.kadmesh.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts how a call failed: its exact status code and the words its message must contain. */
final class StatusAssertions {
  private StatusAssertions() {}

  static Status assertFails(ThrowingCallable call, Status.Code code, String... messageParts) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).as("the call should fail %s", code).isInstanceOf(StatusRuntimeException.class);
    Status status = ((StatusRuntimeException) thrown).getStatus();
    assertThat(status.getCode()).as("status of %s", status).isEqualTo(code);
    if (messageParts.length > 0) {
      assertThat(status.getDescription()).as("message of %s", status).contains(messageParts);
    }
    return status;
  }
}
