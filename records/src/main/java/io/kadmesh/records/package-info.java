/**
 * The formats of records whose key proves them: signed records (Ed25519, keyed by SHA-256 of the
 * owner's public key and the record's name, in the spirit of BitTorrent's BEP 44) and
 * content-addressed records (keyed by SHA-256 of the value). The client library signs with it; every
 * node verifies with it. Depends on the JDK alone.
 */
package io.kadmesh.records;
