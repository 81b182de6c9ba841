package io.kadmesh.cli;

import java.io.PrintWriter;

/** Writes error messages the way {@code kadmesh} promises: one line on stderr, prefixed. */
final class OneLine {

  private OneLine() {}

  static void error(PrintWriter err, String message) {
    err.println("kadmesh: " + message.strip().replaceAll("\\s*\\R\\s*", " "));
    err.flush();
  }
}
