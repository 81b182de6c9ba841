package io.kadmesh.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A finished command (the `kadmesh` executable, a Python example): exit code, stdout and stderr. */
record CommandRun(int exit, String stdout, String stderr) {

  /** Runs {@code command} with no stdin, for at most 60 seconds. */
  static CommandRun of(List<String> command) throws IOException, InterruptedException {
    return in(null, 60, command);
  }

  /** Runs {@code command} in {@code dir} (null: this process's) with no stdin, for at most {@code seconds}. */
  static CommandRun in(Path dir, long seconds, List<String> command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command);
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    Process p = builder.start();
    p.getOutputStream().close();
    // Each stream is small; read stderr on a helper so neither pipe fills up.
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
    errReader.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish");
    }
    errReader.join();
    return new CommandRun(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException e) {
      // The process ended; keep what was read.
    }
  }
}
