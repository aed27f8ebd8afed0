/**
 * Seeds derived from (experiment seed, purpose, round, client) and seeded shuffles.
 */
package dev.fedlora.random;
