package io.kadmesh.core.routing;

import java.time.Duration;

/**
 * What every k-bucket of one table obeys, held once per table rather than copied into each of its
 * buckets: k, the replacement cache's size, the failures that make a contact stale, how recently a
 * head must have answered to spare it a ping, and the table's subnet counts.
 */
record BucketRules(int k, int replacementCacheSize, int maxFailures, Duration freshness,
    SubnetDiversity diversity) {}
