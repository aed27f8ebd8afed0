/**
 * The models {@code model.type} may name ({@link dev.fedlora.model.registry.ModelTypes}), each an
 * {@link dev.fedlora.model.AdaptableModel}. Kept apart from the implementations so that the model
 * seam and the models do not depend on each other.
 */
package dev.fedlora.model.registry;
