package io.kadmesh.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The CPU time this JVM has used, all threads together: over a loaded phase, divided by its
 * operations, a cost per operation that a busy machine barely changes (unlike wall-clock figures).
 */
final class ProcessCpu {
  private ProcessCpu() {}

  /** Process CPU time in nanoseconds, or -1 where the JVM does not report it. */
  static long nanos() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }
}
