package io.kadmesh.cli.bench;

import java.util.Arrays;

/** Nearest-rank percentiles and means of the first {@code n} figures of an array, NaN for none. */
public final class Percentiles {
  private Percentiles() {}

  public static double mean(int[] values, int n) {
    if (n == 0) return Double.NaN;
    long sum = 0;
    for (int i = 0; i < n; i++) sum += values[i];
    return (double) sum / n;
  }

  public static double of(int[] values, int n, double p) {
    if (n == 0) return Double.NaN;
    int[] sorted = Arrays.copyOf(values, n);
    Arrays.sort(sorted);
    return sorted[rank(p, n)];
  }

  public static double of(long[] values, int n, double p) {
    if (n == 0) return Double.NaN;
    long[] sorted = Arrays.copyOf(values, n);
    Arrays.sort(sorted);
    return sorted[rank(p, n)];
  }

  private static int rank(double p, int n) {
    return Math.max(0, Math.min(n - 1, (int) Math.ceil(p / 100.0 * n) - 1));
  }
}
