package io.kadmesh.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class KadmeshExceptionTest {

  @Test
  void from_statusRuntimeException_keepsTheCodeAndTheDescription() {
    KadmeshException e =
        KadmeshException.from(
            Status.FAILED_PRECONDITION.withDescription("network 'other'").asRuntimeException());

    assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.description()).isEqualTo("network 'other'");
    assertThat(e.getMessage()).isEqualTo("FAILED_PRECONDITION: network 'other'");
  }

  @Test
  void from_checkedStatusException_isMappedTheSameWay() {
    KadmeshException e =
        KadmeshException.from(Status.RESOURCE_EXHAUSTED.withDescription("full").asException());

    assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.description()).isEqualTo("full");
  }

  @Test
  void from_statusWithoutDescription_hasTheCodeAsMessageAndEmptyDescription() {
    KadmeshException e = KadmeshException.from(Status.DEADLINE_EXCEEDED.asRuntimeException());

    assertThat(e.getMessage()).isEqualTo("DEADLINE_EXCEEDED");
    assertThat(e.description()).isEmpty();
  }

  @Test
  void from_statusWithAnIoCause_isATransportFailure() {
    KadmeshException e =
        KadmeshException.from(
            Status.UNAVAILABLE
                .withDescription("io exception")
                .withCause(new ConnectException("refused"))
                .asRuntimeException());

    assertThat(e.isTransportFailure()).isTrue();
  }

  @Test
  void from_aborted_isAWriteLostToANewerVersion_andNothingElseIs() {
    KadmeshException lost = KadmeshException.from(Status.ABORTED
        .withDescription("a newer version of this key exists").asRuntimeException());
    KadmeshException unavailable = KadmeshException.from(Status.UNAVAILABLE.asRuntimeException());

    assertThat(lost.isLostToNewerVersion()).isTrue();
    assertThat(lost.getMessage()).isEqualTo("ABORTED: a newer version of this key exists");
    assertThat(unavailable.isLostToNewerVersion()).isFalse();
  }

  @Test
  void from_aKadmeshException_returnsTheSameInstance() {
    KadmeshException original = KadmeshException.from(Status.ABORTED.asRuntimeException());

    assertThat(KadmeshException.from(original)).isSameAs(original);
  }

  @Test
  void from_aNonGrpcThrowable_isUnknownAndKeepsItAsCause() {
    IllegalStateException cause = new IllegalStateException("boom");

    KadmeshException e = KadmeshException.from(cause);

    assertThat(e.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(e.getCause()).isSameAs(cause);
  }
}
