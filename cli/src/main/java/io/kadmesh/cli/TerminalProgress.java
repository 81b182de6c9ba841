package io.kadmesh.cli;

import io.kadmesh.core.progress.PlainProgress;
import io.kadmesh.core.progress.Progress;
import io.kadmesh.core.progress.ProgressReporter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of the command line's long work ({@code bench}, {@code simulate}) on stderr, out of the
 * way of what they print on stdout: a progress bar (me.tongfei:progressbar) when a person watches a
 * terminal, else a plain line at most every {@link #PLAIN_INTERVAL}.
 */
public final class TerminalProgress {
  /** How often plain progress lines come, for logs and pipes. */
  public static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);

  private TerminalProgress() {}

  /** The reporter for this process: a bar on a terminal, plain lines otherwise. */
  public static ProgressReporter forStderr() {
    PrintStream err = System.err;
    if (System.console() != null && stderrIsTerminal()) {
      return (task, total, unit) -> new Bar(task, total, unit, err);
    }
    return PlainProgress.reporter(err::println, InstantSource.system(), PLAIN_INTERVAL);
  }

  /**
   * Whether stderr is a terminal. Java tells only about stdin and stdout ({@link System#console});
   * on Linux, file descriptor 2 links to a terminal device when stderr is one.
   */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /** One piece of work as a bar that redraws itself in place. */
  private static final class Bar implements Progress {
    private final ProgressBar bar;

    Bar(String task, long total, String unit, PrintStream out) {
      bar = new ProgressBarBuilder()
          .setTaskName(task)
          .setInitialMax(total)
          .setUnit(" " + unit, 1)
          .setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(250)
          .setConsumer(new ConsoleProgressBarConsumer(out))
          .build();
    }

    @Override
    public void step(long units) {
      bar.stepBy(units);
    }

    @Override
    public void close() {
      bar.close();
    }
  }
}
