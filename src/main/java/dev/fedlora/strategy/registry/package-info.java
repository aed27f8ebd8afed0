/**
 * The strategies selectable by {@code strategy.name}: the one place that knows every family, so
 * that the contract in {@code dev.fedlora.strategy} does not depend on its implementations.
 */
package dev.fedlora.strategy.registry;
