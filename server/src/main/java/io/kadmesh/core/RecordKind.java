package io.kadmesh.core;

/**
 * How a record's key is bound to it. A store holds records of different kinds apart even under
 * one key, so that one kind is never read as, nor overwrites, another.
 */
public enum RecordKind {
  /** Put, Get, Delete: the key is SHA-256 of the application's key; any writer may replace it. */
  PLAIN,
  /** PutSigned: the key is SHA-256(public key ‖ name); only the key's owner can write it. */
  SIGNED,
  /** PutContent: the key is SHA-256 of the value, so the record is immutable. */
  CONTENT,
  /** Announce, Withdraw, Resolve: a set of signed entries under a service's key, one per announcer key and address. */
  ENDPOINT
}
