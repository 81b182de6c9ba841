package io.kadmesh.core.lookup;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a lookup found: the closest contacts that answered, closest first, and for FIND_VALUE the
 * newest record among the answers, how many answers carried one, and which version each contact
 * that answered with a record held ({@code versions}, by contact ID; a contact in {@code closest}
 * but not in {@code versions} answered without a record), and {@code unanswered}: the contacts
 * asked whose answer the lookup did not wait for (it ended at the quorum first). Read repair
 * uses the last three.
 */
public record LookupResult(List<Contact> closest, Optional<ValueRecord> record, int recordAnswers,
    Map<NodeId, Version> versions, List<Contact> unanswered) {
  public LookupResult {
    closest = List.copyOf(closest);
    unanswered = List.copyOf(unanswered);
    versions = Map.copyOf(versions);
  }
}
