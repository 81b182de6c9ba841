/**
 * TLS for kadmesh's two gRPC ports and its clients: certificates and keys read from PEM files with
 * errors that name the file and what is wrong ({@link PemFiles}), and gRPC credentials whose key and
 * trusted CAs are swapped in place when the files change ({@link TlsCredentials}), so that
 * rotated certificates are used without a restart.
 */
package io.kadmesh.tls;
