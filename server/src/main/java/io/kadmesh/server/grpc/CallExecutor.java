package io.kadmesh.server.grpc;

import io.grpc.Context;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.kadmesh.core.DhtException;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded pool on which a node whose store blocks ({@code --sync-writes}) runs its calls, so
 * that no event loop waits on the disk: a fixed set of threads, and at most {@code maxQueuedCalls}
 * calls held at once, running or waiting for a thread ({@code --max-queued-calls}). One more is
 * refused RESOURCE_EXHAUSTED on the event loop, before it costs a thread or a place in the queue,
 * and the calls already held go on.
 *
 * <p>Why an interceptor and not {@code ServerBuilder.executor} with a bounded queue: gRPC hands a
 * call to its executor before any interceptor sees it, and a hand-off the executor rejects resets
 * the stream (the caller reads INTERNAL, with no word of the limit). So the servers run on the
 * event loops ({@code directExecutor}) and {@link #admission()} moves each admitted call's
 * callbacks to the pool, in order, one at a time. The pool's queue holds at most one task per
 * held call, so it is bounded by the same number and never rejects while the pool runs.
 */
public final class CallExecutor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallExecutor.class);

  /** Threads: enough to keep a few fsyncs in flight on small machines. */
  static final int THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

  private final int maxQueuedCalls;
  private final Semaphore held;
  private final ThreadPoolExecutor pool;

  private CallExecutor(int threads, int maxQueuedCalls) {
    if (maxQueuedCalls < 1) {
      throw new IllegalArgumentException("--max-queued-calls must be positive: " + maxQueuedCalls);
    }
    this.maxQueuedCalls = maxQueuedCalls;
    this.held = new Semaphore(maxQueuedCalls);
    AtomicInteger count = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(maxQueuedCalls), task -> {
          Thread thread = new Thread(task, "kadmesh-call-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /** {@link #THREADS} threads, and at most {@code maxQueuedCalls} calls held at once. */
  public static CallExecutor create(int maxQueuedCalls) {
    return new CallExecutor(THREADS, maxQueuedCalls);
  }

  /** {@code threads} threads; for tests that need to fill the pool with few calls. */
  static CallExecutor create(int threads, int maxQueuedCalls) {
    return new CallExecutor(threads, maxQueuedCalls);
  }

  /** Install on a server that runs on its event loops ({@code directExecutor}), outermost. */
  ServerInterceptor admission() {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        if (!held.tryAcquire()) {
          call.close(refusal(), new Metadata());
          return new ServerCall.Listener<>() {};
        }
        try {
          return new Offloaded<>(next.startCall(call, headers), new CallRunner(call));
        } catch (RuntimeException e) {
          held.release();
          throw e;
        }
      }
    };
  }

  /** Calls held now, running or waiting; for tests. */
  int held() {
    return maxQueuedCalls - held.availablePermits();
  }

  boolean isShutdown() {
    return pool.isShutdown();
  }

  /** Stops the threads; calls still held fail. The server calls it once both ports are closed. */
  @Override
  public void close() {
    pool.shutdownNow();
  }

  private Status refusal() {
    return StatusMapper.toStatus(DhtException.exhausted("call queue of " + maxQueuedCalls
        + " calls (--max-queued-calls) is full: " + pool.getMaximumPoolSize()
        + " threads are busy writing to the store"));
  }

  /** A call's listener whose callbacks run on the pool; its place is given back when it ends. */
  private final class Offloaded<ReqT> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
    private final CallRunner runner;
    private final AtomicBoolean ended = new AtomicBoolean();

    Offloaded(ServerCall.Listener<ReqT> delegate, CallRunner runner) {
      super(delegate);
      this.runner = runner;
    }

    @Override
    public void onMessage(ReqT message) {
      runner.execute(() -> super.onMessage(message));
    }

    @Override
    public void onHalfClose() {
      runner.execute(super::onHalfClose);
    }

    @Override
    public void onReady() {
      runner.execute(super::onReady);
    }

    @Override
    public void onCancel() {
      runner.execute(() -> end(super::onCancel));
    }

    @Override
    public void onComplete() {
      runner.execute(() -> end(super::onComplete));
    }

    private void end(Runnable last) {
      try {
        last.run();
      } finally {
        if (ended.compareAndSet(false, true)) {
          held.release();
        }
      }
    }
  }

  /**
   * Runs one call's callbacks on the pool in the order they came, never two at once, as gRPC
   * runs them on its own executor; each in the gRPC context it came in (deadline, cancellation).
   */
  private final class CallRunner implements Runnable {
    private final ServerCall<?, ?> call;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    CallRunner(ServerCall<?, ?> call) {
      this.call = call;
    }

    void execute(Runnable task) {
      tasks.add(Context.current().wrap(task));
      schedule();
    }

    private void schedule() {
      if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
        pool.execute(this);
      }
    }

    @Override
    public void run() {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException e) {
          // gRPC would have closed the call UNKNOWN had the callback run on its own executor.
          log.warn("a call's handler threw", e);
          closeQuietly(Status.UNKNOWN.withDescription("the handler failed"));
        }
      }
      scheduled.set(false);
      // A callback may have come between the last poll and the reset.
      schedule();
    }

    private void closeQuietly(Status status) {
      try {
        call.close(status, new Metadata());
      } catch (IllegalStateException alreadyClosed) {
        // The handler closed it before it threw.
      }
    }
  }
}
