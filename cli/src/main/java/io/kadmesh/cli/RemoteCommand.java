package io.kadmesh.cli;

import java.time.Duration;

/** A command that calls a node; its failures are reported with the address it dialled. */
interface RemoteCommand {

  /** The HOST:PORT the command called. */
  String target();

  /** The deadline of its calls. */
  Duration timeout();
}
