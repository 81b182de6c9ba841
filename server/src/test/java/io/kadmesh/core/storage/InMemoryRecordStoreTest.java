package io.kadmesh.core.storage;

/** The record store contract, in memory. */
class InMemoryRecordStoreTest extends RecordStoreContract<InMemoryRecordStore> {
  @Override
  InMemoryRecordStore create(long maxRecords, long maxStoredBytes) {
    return new InMemoryRecordStore(maxRecords, maxStoredBytes);
  }

  @Override
  long examinedByLastPurge(InMemoryRecordStore store) {
    return store.examinedByLastPurge();
  }
}
