package io.kadmesh.cli;

/** The exit statuses of {@code kadmesh}, as API.md fixes them. */
public final class ExitCodes {

  /** The command did what was asked. */
  public static final int OK = 0;

  /** {@code get} found no live value for the key; {@code withdraw}, no such announced endpoint. */
  public static final int NOT_FOUND = 1;

  /** The command line was wrong: unknown flag, missing argument, bad duration or address. */
  public static final int USAGE = 2;

  /** The node reported a failure, or could not be reached. */
  public static final int FAILURE = 3;

  /**
   * A put or delete lost to a newer version of the key written elsewhere (ABORTED): running the
   * same command again writes over it. Apart from {@link #FAILURE} so that a script can tell "retry
   * if you still mean it" from "something is broken". Also a signed put or delete with {@code
   * --expect-seq} that found another seq (FAILED_PRECONDITION): the message names the seq found.
   */
  public static final int CONFLICT = 4;

  /**
   * {@code kadmesh health}: the node answered, but is not SERVING (still joining, or cut off from
   * its network). Apart from {@link #FAILURE} (no answer at all) so that a script waiting for a
   * node can tell "up, not ready yet" from "down".
   */
  public static final int NOT_SERVING = 5;

  private ExitCodes() {}
}
