package io.kadmesh.cli;

import io.kadmesh.records.Ed25519Keys;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kadmesh keygen FILE}: a new Ed25519 key pair for signed records. The private key goes to
 * FILE (PKCS#8 PEM, as OpenSSL and Python's cryptography read it), the public key in hex to stdout,
 * alone, so that a script can keep it.
 */
@Command(
    name = "keygen",
    description = "Writes a new Ed25519 private key to FILE (PEM; never over an existing file) and "
        + "prints its public key, 64 hex digits, for 'get --public-key'.")
final class KeygenCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "Where to write the private key.")
  private Path file;

  @Override
  public Integer call() {
    KeyPair keys = Ed25519Keys.generate();
    try {
      Ed25519Keys.write(keys.getPrivate(), file);
    } catch (FileAlreadyExistsException e) {
      throw usageError(file + " exists; keygen never overwrites a key (it may be the only copy)");
    } catch (NoSuchFileException e) {
      throw usageError("Cannot write " + file + ": no such directory");
    } catch (IOException e) {
      throw usageError("Cannot write " + file + ": " + e);
    }
    spec.commandLine().getOut().println(HexFormat.of().formatHex(Ed25519Keys.raw(keys.getPublic())));
    return ExitCodes.OK;
  }

  private ParameterException usageError(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
