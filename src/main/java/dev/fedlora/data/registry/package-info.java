/**
 * The data formats {@code data.format} may name ({@link dev.fedlora.data.registry.DataFormats}):
 * each reads a training and a test set as {@link dev.fedlora.data.Examples}. Kept apart from the
 * readers so that the data contract and the formats do not depend on each other.
 */
package dev.fedlora.data.registry;
