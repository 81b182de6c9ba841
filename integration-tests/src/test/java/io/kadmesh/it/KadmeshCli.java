package io.kadmesh.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a `kadmesh` command from the built executable and keeps what it said. */
final class KadmeshCli {
  private KadmeshCli() {}

  /** A finished `kadmesh` command: exit code, stdout and stderr. */
  record Result(int exit, String stdout, String stderr) {}

  static Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(NodeProcess.javaBinary(), "-jar", ProcessMesh.JAR.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    p.getOutputStream().close();
    // Each stream is small; read stderr on a helper so neither pipe fills up.
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
    errReader.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kadmesh " + String.join(" ", args) + " did not finish");
    }
    errReader.join();
    return new Result(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException e) {
      // The process ended; keep what was read.
    }
  }
}
