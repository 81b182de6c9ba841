/**
 * How long work (a benchmark, a simulation, a republish round, the hand-off before leaving) tells
 * how far it has come: the work calls {@link io.kadmesh.core.progress.Progress}; who watches decides
 * how it shows (a bar on a terminal, supplied by the command line, or {@link
 * io.kadmesh.core.progress.PlainProgress}'s lines at a bounded rate).
 */
package io.kadmesh.core.progress;
