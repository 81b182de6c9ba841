package io.kadmesh.core.lookup;

import io.kadmesh.core.Contact;
import io.kadmesh.core.ValueRecord;
import java.util.List;
import java.util.Optional;

/**
 * What a lookup found: the closest contacts that answered, closest first, and for FIND_VALUE the
 * newest record among the answers and how many answers carried one.
 */
public record LookupResult(List<Contact> closest, Optional<ValueRecord> record, int recordAnswers) {
  public LookupResult {
    closest = List.copyOf(closest);
  }
}
