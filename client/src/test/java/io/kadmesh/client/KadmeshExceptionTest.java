package io.kadmesh.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
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
  void from_failedPreconditionWithTheFoundSeqTrailer_isASeqMismatchWithThatSeq() {
    KadmeshException e = KadmeshException.from(Status.FAILED_PRECONDITION
        .withDescription("expected seq 3, found seq 5").asRuntimeException(foundSeq("5")));

    assertThat(e.isSeqMismatch()).isTrue();
    assertThat(e.foundSeq()).hasValue(5);
    assertThat(e.isLostToNewerVersion()).isFalse();
  }

  @Test
  void from_failedPreconditionFoundingNoRecord_hasFoundSeq0() {
    KadmeshException e = KadmeshException.from(
        Status.FAILED_PRECONDITION.asRuntimeException(foundSeq("0")));

    assertThat(e.foundSeq()).hasValue(0);
  }

  @Test
  void from_failedPreconditionWithoutTheTrailer_isNoSeqMismatch() {
    KadmeshException e = KadmeshException.from(
        Status.FAILED_PRECONDITION.withDescription("network 'other'").asRuntimeException());

    assertThat(e.isSeqMismatch()).isFalse();
    assertThat(e.foundSeq()).isEmpty();
  }

  @Test
  void from_aTrailerThatIsNoNumber_orOnAnotherCode_isIgnored() {
    assertThat(KadmeshException.from(Status.FAILED_PRECONDITION.asRuntimeException(foundSeq("five")))
        .foundSeq()).isEmpty();
    assertThat(KadmeshException.from(Status.ABORTED.asRuntimeException(foundSeq("5")))
        .isSeqMismatch()).isFalse();
  }

  @Test
  void unverified_isDataLossFromTheClientNotATransportFailure() {
    KadmeshException e = KadmeshException.unverified("bad signature");

    assertThat(e.code()).isEqualTo(Status.Code.DATA_LOSS);
    assertThat(e.isUnverifiedAnswer()).isTrue();
    assertThat(e.isTransportFailure()).isFalse();
    assertThat(KadmeshException.from(Status.DATA_LOSS.asRuntimeException()).isUnverifiedAnswer())
        .isFalse();
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

  private static Metadata foundSeq(String seq) {
    Metadata trailers = new Metadata();
    trailers.put(Metadata.Key.of("kadmesh-found-seq", Metadata.ASCII_STRING_MARSHALLER), seq);
    return trailers;
  }
}
