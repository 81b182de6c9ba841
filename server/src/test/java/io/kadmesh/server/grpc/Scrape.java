package io.kadmesh.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.LabelPair;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Metric;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricFamily;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's {@code /metrics}, scraped as a Prometheus server may ask for it (the protobuf format)
 * and parsed with the Prometheus client's own exposition classes, never by matching strings; and
 * the figures tests read from a scrape.
 */
final class Scrape {
  private static final String PROTOBUF =
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Scrape() {}

  /** Where {@code node} serves its metrics; the node must have an admin port. */
  static URI metricsUri(KadmeshServer node) {
    assertThat(node.adminPort()).isPositive();
    return URI.create("http://127.0.0.1:" + node.adminPort() + "/metrics");
  }

  /** Every metric family {@code node} serves now, by name. */
  static Map<String, MetricFamily> protobuf(KadmeshServer node) throws IOException, InterruptedException {
    HttpResponse<InputStream> response = HTTP.send(
        HttpRequest.newBuilder(metricsUri(node)).header("Accept", PROTOBUF).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/vnd.google.protobuf"));
    Map<String, MetricFamily> families = new HashMap<>();
    try (InputStream in = response.body()) {
      MetricFamily family;
      while ((family = MetricFamily.parseDelimitedFrom(in)) != null) {
        families.put(family.getName(), family);
      }
    }
    return families;
  }

  /** The value of the gauge {@code name}, which has no labels. */
  static double gauge(Map<String, MetricFamily> scraped, String name) {
    MetricFamily family = scraped.get(name);
    assertThat(family).as(name + " among " + scraped.keySet()).isNotNull();
    assertThat(family.getType()).isEqualTo(MetricType.GAUGE);
    assertThat(family.getMetricList()).hasSize(1);
    return family.getMetric(0).getGauge().getValue();
  }

  /** The value of the counter {@code name}, which has no labels. */
  static double plainCounter(Map<String, MetricFamily> scraped, String name) {
    MetricFamily family = scraped.get(name);
    assertThat(family).as(name + " among " + scraped.keySet()).isNotNull();
    assertThat(family.getType()).isEqualTo(MetricType.COUNTER);
    return family.getMetric(0).getCounter().getValue();
  }

  /** The value of the counter of {@code family} whose labels are exactly {@code labels}. */
  static double counter(MetricFamily family, String... labels) {
    return metric(family, labels).getCounter().getValue();
  }

  /** The one metric of {@code family} whose labels are exactly {@code labels} (name, value, ...). */
  static Metric metric(MetricFamily family, String... labels) {
    Map<String, String> wanted = new HashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    List<Metric> matching = family.getMetricList().stream()
        .filter(m -> labelsOf(m).equals(wanted))
        .toList();
    assertThat(matching).as(family.getName() + wanted + " in " + family).hasSize(1);
    return matching.get(0);
  }

  /** The labels of {@code metric}, by name. */
  static Map<String, String> labelsOf(Metric metric) {
    Map<String, String> labels = new HashMap<>();
    for (LabelPair pair : metric.getLabelList()) {
      labels.put(pair.getName(), pair.getValue());
    }
    return labels;
  }
}
