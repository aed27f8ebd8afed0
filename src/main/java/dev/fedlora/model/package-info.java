/**
 * The model: LoRA parameters, the ND4J LoRA network with its allocation-free training step, the
 * frozen base and its file format, and the once-per-JVM first-layer projection cache.
 */
package dev.fedlora.model;
