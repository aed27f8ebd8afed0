/**
 * FLoRA: aggregation by stacking the clients' factors ({@code StackedModule}), merged into the
 * frozen base every round ({@code FloraState}), after which LoRA restarts from a seeded {@code A}.
 */
package dev.fedlora.strategy.flora;
