package io.kadmesh.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the python3 that can run an example of examples/python, or skips the test saying why. */
final class PythonExamples {
  private PythonExamples() {}

  /**
   * The first of $KADMESH_PYTHON, /usr/bin/python3 (Debian's packages) and python3 on the PATH
   * whose {@code script --check} passes; skips the test when none does, naming
   * {@code debianPackages} and each candidate's complaint.
   */
  static String interpreterFor(Path script, String debianPackages) throws InterruptedException {
    List<String> candidates = new ArrayList<>();
    String configured = System.getenv("KADMESH_PYTHON");
    if (configured != null && !configured.isBlank()) {
      candidates.add(configured);
    }
    if (Files.isExecutable(Path.of("/usr/bin/python3"))) {
      candidates.add("/usr/bin/python3");
    }
    candidates.add("python3");
    List<String> reasons = new ArrayList<>();
    for (String python : candidates) {
      try {
        CommandRun check = CommandRun.of(List.of(python, script.toString(), "--check"));
        if (check.exit() == 0) {
          return python;
        }
        reasons.add(python + ": " + (check.stdout() + check.stderr()).strip());
      } catch (IOException e) {
        reasons.add(python + ": " + e.getMessage());
      }
    }
    assumeTrue(false, "no python3 with " + script.getFileName() + "'s dependencies (Debian: "
        + debianPackages + "): " + String.join("; ", reasons));
    throw new AssertionError("unreachable");
  }
}
