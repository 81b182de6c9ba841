package io.kadmesh.server.dashboard;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The node's counters and classic histograms as JSON, under the names {@code /metrics} gives them:
 * {@code {"counters": {NAME_total: [{labels, value}]}, "histograms": {NAME: [{labels, count, sum,
 * buckets: [{le, count}]}]}}}. Bucket counts are per bucket, not cumulative; the last bucket's
 * {@code le} is the string "+Inf". Read from the registry's own snapshots, so the page parses no
 * exposition text.
 */
final class MetricsJson {
  private MetricsJson() {}

  static JsonObject of(MetricSnapshots snapshots) {
    JsonObject counters = new JsonObject();
    JsonObject histograms = new JsonObject();
    for (MetricSnapshot snapshot : snapshots) {
      String name = snapshot.getMetadata().getPrometheusName();
      if (snapshot instanceof CounterSnapshot counter) {
        counters.add(name + "_total", counterPoints(counter));
      } else if (snapshot instanceof HistogramSnapshot histogram) {
        histograms.add(name, histogramPoints(histogram));
      }
    }
    JsonObject out = new JsonObject();
    out.add("counters", counters);
    out.add("histograms", histograms);
    return out;
  }

  private static JsonArray counterPoints(CounterSnapshot counter) {
    JsonArray points = new JsonArray();
    for (CounterSnapshot.CounterDataPointSnapshot p : counter.getDataPoints()) {
      JsonObject point = new JsonObject();
      point.add("labels", labels(p.getLabels()));
      point.addProperty("value", p.getValue());
      points.add(point);
    }
    return points;
  }

  private static JsonArray histogramPoints(HistogramSnapshot histogram) {
    JsonArray points = new JsonArray();
    for (HistogramSnapshot.HistogramDataPointSnapshot p : histogram.getDataPoints()) {
      if (!p.hasClassicHistogramData()) {
        continue;
      }
      JsonObject point = new JsonObject();
      point.add("labels", labels(p.getLabels()));
      point.addProperty("count", p.getCount());
      point.addProperty("sum", p.getSum());
      JsonArray buckets = new JsonArray();
      ClassicHistogramBuckets classic = p.getClassicBuckets();
      for (int i = 0; i < classic.size(); i++) {
        JsonObject bucket = new JsonObject();
        double le = classic.getUpperBound(i);
        if (Double.isInfinite(le)) {
          bucket.addProperty("le", "+Inf");
        } else {
          bucket.addProperty("le", le);
        }
        bucket.addProperty("count", classic.getCount(i));
        buckets.add(bucket);
      }
      point.add("buckets", buckets);
      points.add(point);
    }
    return points;
  }

  private static JsonObject labels(Labels labels) {
    JsonObject out = new JsonObject();
    for (Label label : labels) {
      out.addProperty(label.getName(), label.getValue());
    }
    return out;
  }
}
