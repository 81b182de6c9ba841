package io.kadmesh.cli;

import io.kadmesh.records.Ed25519Keys;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.function.Function;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --sign-key FILE [--expect-seq N]}: put and delete of a signed record. */
final class SigningOptions {

  @Option(
      names = "--sign-key",
      paramLabel = "FILE",
      description = "Sign as the owner of this Ed25519 private key (PEM, from 'kadmesh keygen'): "
          + "KEY is then the name of a signed record.")
  Path keyFile;

  @Option(
      names = "--expect-seq",
      paramLabel = "N",
      description = "With --sign-key: write only if the newest record has seq N (0: none); "
          + "otherwise exit 4 naming the seq found.")
  Long expectSeq;

  boolean signed() {
    return keyFile != null;
  }

  /**
   * The key pair of --sign-key, or null without it; a usage error for --expect-seq alone, a
   * negative seq, or a key file that cannot be read.
   */
  KeyPair keyPair(Function<String, ParameterException> usageError) {
    if (expectSeq != null && keyFile == null) {
      throw usageError.apply("--expect-seq needs --sign-key: only signed records have seqs");
    }
    if (expectSeq != null && expectSeq < 0) {
      throw usageError.apply("--expect-seq must be 0 or more, was " + expectSeq);
    }
    if (keyFile == null) {
      return null;
    }
    try {
      return Ed25519Keys.read(keyFile);
    } catch (NoSuchFileException e) {
      throw usageError.apply("Cannot read --sign-key '" + keyFile + "': no such file");
    } catch (IOException e) {
      throw usageError.apply("Cannot read --sign-key '" + keyFile + "': " + e.getMessage());
    }
  }
}
