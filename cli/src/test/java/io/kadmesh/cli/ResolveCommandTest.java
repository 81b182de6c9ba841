package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.kadmesh.proto.v1.Endpoint;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResolveCommandTest {
  private static final String NL = System.lineSeparator();

  private final CliHarness cli = new CliHarness();

  @AfterEach
  void stop() {
    cli.close();
  }

  private static Endpoint endpoint(String address, int announcer) {
    byte[] id = new byte[32];
    id[31] = (byte) announcer;
    byte[] key = new byte[32];
    key[0] = (byte) (0xa0 + announcer);
    return Endpoint.newBuilder()
        .setAddress(address)
        .putMetadata("zone", "eu")
        .putMetadata("weight", "2")
        .setAnnouncer(ByteString.copyFrom(id))
        .setAnnouncerKey(ByteString.copyFrom(key))
        .setExpiresAt(Timestamp.newBuilder().setSeconds(1_900_000_000L))
        .build();
  }

  @Test
  void resolve_printsOneAddressPerLine_inTheOrderTheNodeAnswered() {
    cli.dht.holdEndpoints("web", List.of(endpoint("10.0.0.1:80", 1), endpoint("10.0.0.2:80", 2)));

    int exit = cli.run("resolve", "web");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).isEqualTo("10.0.0.1:80" + NL + "10.0.0.2:80" + NL);
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void resolve_withJson_printsOneObjectPerEndpoint_withMetadataAnnouncerAndExpiry() {
    cli.dht.holdEndpoints("web", List.of(endpoint("10.0.0.1:80", 1)));

    cli.run("resolve", "web", "--json");

    assertThat(cli.out()).isEqualTo("{\"address\":\"10.0.0.1:80\","
        + "\"metadata\":{\"weight\":\"2\",\"zone\":\"eu\"},"
        + "\"announcer\":\"" + "00".repeat(31) + "01\","
        + "\"announcer_key\":\"a1" + "00".repeat(31) + "\","
        + "\"expires_at\":\"2030-03-17T17:46:40Z\"}" + NL);
  }

  @Test
  void resolve_ofAServiceWithNoEndpoints_printsNothing_exits0_andSaysSoOnStderr() {
    int exit = cli.run("resolve", "nobody");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).isEmpty();
    assertThat(cli.err()).isEqualTo("kadmesh: no endpoints for nobody" + NL);
  }

  @Test
  void resolve_refusedByTheNode_failsWithItsMessage() {
    cli.dht.failWith(Status.INVALID_ARGUMENT.withDescription("service must be 1 to 256 bytes"));

    int exit = cli.run("resolve", "x");

    assertThat(exit).isNotEqualTo(ExitCodes.OK);
    assertThat(cli.err()).contains("service must be 1 to 256 bytes");
    assertThat(cli.out()).isEmpty();
  }
}
