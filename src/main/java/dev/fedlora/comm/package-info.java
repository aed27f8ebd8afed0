/**
 * Communication: top-k selection, sparse vectors and exact byte counts of what crosses the wire.
 */
package dev.fedlora.comm;
