/**
 * The iterative lookup of paper §2.3, FIND_NODE and FIND_VALUE: {@link LookupState} is its
 * bookkeeping without I/O or time (candidates by XOR distance to the target, who was asked,
 * answered, stalled or failed, whom to ask next, when it is over); {@link Lookup} drives one
 * state with α requests in flight, a per-request timeout and an overall deadline on the injected
 * scheduler; {@link LookupResult} is what it found (the closest contacts that answered, and for
 * FIND_VALUE the newest record and each replica's version); {@link LookupObserver} hears how each
 * contact fared, so that the routing table learns from every answer (§2.2).
 *
 * <p>A lookup sends its requests through a function it is given, not through a transport it
 * knows, so tests drive it with futures completed by hand.
 *
 * <p>Layering: depends on {@link io.kadmesh.core} only (not even on routing: seeds come in as
 * contacts); used by {@link io.kadmesh.core.node}.
 */
package io.kadmesh.core.lookup;
