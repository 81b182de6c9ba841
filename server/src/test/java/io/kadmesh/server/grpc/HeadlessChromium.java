package io.kadmesh.server.grpc;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium run headless on a page, as a test's real browser: the DOM after the page's
 * scripts ran ({@code --dump-dom}) or a screenshot. {@code --virtual-time-budget} lets the page's
 * timers run that much virtual time (its refreshes) before Chromium reports, without the test
 * sleeping; Chromium holds virtual time still while a fetch is in flight.
 */
final class HeadlessChromium {
  /** How long one Chromium run may take before the test gives up on it and kills it. */
  private static final Duration RUN_LIMIT = Duration.ofSeconds(90);

  private final Path binary;
  private final Path work;

  private HeadlessChromium(Path binary, Path work) {
    this.binary = binary;
    this.work = work;
  }

  /**
   * Chromium from {@code KADMESH_CHROMIUM} or the PATH ({@code chromium}, {@code chromium-browser},
   * {@code google-chrome}); empty when there is none. {@code work} holds its profile and logs.
   */
  static Optional<HeadlessChromium> find(Path work) {
    List<String> candidates = new ArrayList<>();
    String configured = System.getenv("KADMESH_CHROMIUM");
    if (configured != null && !configured.isBlank()) {
      candidates.add(configured);
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (!dir.isEmpty()) {
          candidates.add(Path.of(dir, name).toString());
        }
      }
    }
    return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst()
        .map(binary -> new HeadlessChromium(binary, work));
  }

  /** The page's DOM once its scripts have had {@code budget} of virtual time. */
  String dumpDom(URI page, Duration budget) throws IOException, InterruptedException {
    Path out = work.resolve("dom.html");
    run(out, "--virtual-time-budget=" + budget.toMillis(), "--dump-dom", page.toString());
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /** A PNG of the page, {@code width} by {@code height}, after {@code budget} of virtual time. */
  void screenshot(URI page, Path png, int width, int height, Duration budget)
      throws IOException, InterruptedException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    run(work.resolve("screenshot.out"), "--virtual-time-budget=" + budget.toMillis(),
        "--hide-scrollbars", "--window-size=" + width + "," + height,
        "--screenshot=" + png.toAbsolutePath(), page.toString());
  }

  private void run(Path stdout, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(binary.toString(),
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--no-default-browser-check", "--disable-extensions",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + work.resolve("profile")));
    command.addAll(List.of(args));
    Path stderr = work.resolve("chromium.log");
    Process process = new ProcessBuilder(command)
        .redirectOutput(stdout.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
        .start();
    if (!process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      // Its renderers and helpers first, which would otherwise outlive it.
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IOException("chromium did not finish within " + RUN_LIMIT + "; its log: " + stderr);
    }
    if (process.exitValue() != 0) {
      throw new IOException("chromium exited with " + process.exitValue() + ": "
          + Files.readString(stderr, StandardCharsets.UTF_8));
    }
  }
}
