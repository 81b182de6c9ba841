package io.kadmesh.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.kadmesh.core.DhtException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class StatusMapperTest {
  @Test
  void toStatus_ofAWriteLostToANewerVersion_isAbortedWithTheCoresMessage() {
    DhtException lost = DhtException.conflict("a newer version of this key exists");

    Status status = StatusMapper.toStatus(new CompletionException(lost));

    assertThat(status.getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(status.getDescription()).isEqualTo("a newer version of this key exists");
  }

  @Test
  void toDhtException_ofAborted_isAConflictAgain_withTheContextPrefixed() {
    DhtException e = StatusMapper.toDhtException(
        Status.ABORTED.withDescription("a newer version of this key exists"), "node 3: ");

    assertThat(e.reason()).isEqualTo(DhtException.Reason.CONFLICT);
    assertThat(e).hasMessage("node 3: a newer version of this key exists");
  }

  @Test
  void toStatus_ofSomethingNotFoundHere_isNotFoundWithTheCoresMessage() {
    DhtException missing = DhtException.notFound("this node announces no endpoint 'a:1' of service 's'");

    Status status = StatusMapper.toStatus(new CompletionException(missing));

    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).isEqualTo("this node announces no endpoint 'a:1' of service 's'");
  }
}
