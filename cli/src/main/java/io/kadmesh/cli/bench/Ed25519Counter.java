package io.kadmesh.cli.bench;

import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.AlgorithmParameterSpec;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the Ed25519 signatures made and verified in this JVM while it is installed: a JCA
 * provider, first in the list, whose Ed25519 {@link Signature} delegates to the provider that had
 * it before. {@code SignedPayload.sign} and {@code verify} get their {@code Signature} by name, so
 * every signature the bench's client and nodes (all in this JVM) make or check passes through it,
 * and neither the node nor the client changes. The cost is one more provider look-up per call.
 */
final class Ed25519Counter implements AutoCloseable {
  private static final String NAME = "KadmeshBenchEd25519Counter";
  private static final String ALGORITHM = "Ed25519";

  private final LongAdder signed = new LongAdder();
  private final LongAdder verified = new LongAdder();

  private Ed25519Counter() {}

  /** Puts the counting provider first until {@link #close}. */
  static Ed25519Counter install() {
    Provider delegate;
    try {
      delegate = Signature.getInstance(ALGORITHM).getProvider();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has Ed25519 since 15", e);
    }
    Ed25519Counter counter = new Ed25519Counter();
    if (Security.insertProviderAt(counter.new Counting(delegate), 1) < 0) {
      throw new IllegalStateException(NAME + " is already installed: one bench at a time per JVM");
    }
    return counter;
  }

  /** Signatures made so far. */
  long signatures() {
    return signed.sum();
  }

  /** Signatures checked so far, whatever the outcome. */
  long verifications() {
    return verified.sum();
  }

  @Override
  public void close() {
    Security.removeProvider(NAME);
  }

  private final class Counting extends Provider {
    private static final long serialVersionUID = 1L;

    Counting(Provider delegate) {
      super(NAME, "1", "counts Ed25519 signatures for kadmesh bench, delegating to "
          + delegate.getName());
      putService(new Service(this, "Signature", ALGORITHM, CountingSignature.class.getName(),
          List.of(), null) {
        @Override
        public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
          return new CountingSignature(Signature.getInstance(ALGORITHM, delegate));
        }
      });
    }
  }

  /** The delegate's Signature, counted. */
  private final class CountingSignature extends SignatureSpi {
    private final Signature inner;

    CountingSignature(Signature inner) {
      this.inner = inner;
    }

    @Override
    protected void engineInitVerify(PublicKey key) throws InvalidKeyException {
      inner.initVerify(key);
    }

    @Override
    protected void engineInitSign(PrivateKey key) throws InvalidKeyException {
      inner.initSign(key);
    }

    @Override
    protected void engineInitSign(PrivateKey key, SecureRandom random) throws InvalidKeyException {
      inner.initSign(key, random);
    }

    @Override
    protected void engineUpdate(byte b) throws SignatureException {
      inner.update(b);
    }

    @Override
    protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
      inner.update(b, off, len);
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
      signed.increment();
      return inner.sign();
    }

    @Override
    protected boolean engineVerify(byte[] signature) throws SignatureException {
      verified.increment();
      return inner.verify(signature);
    }

    @Override
    protected void engineSetParameter(AlgorithmParameterSpec params)
        throws InvalidAlgorithmParameterException {
      inner.setParameter(params);
    }

    @Override
    protected AlgorithmParameters engineGetParameters() {
      return inner.getParameters();
    }

    @Deprecated
    @Override
    protected void engineSetParameter(String param, Object value) {
      throw new InvalidParameterException("no named parameters");
    }

    @Deprecated
    @Override
    protected Object engineGetParameter(String param) {
      throw new InvalidParameterException("no named parameters");
    }
  }
}
