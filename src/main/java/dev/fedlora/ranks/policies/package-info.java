/**
 * The rank policies selectable by {@code clients.ranks.policy}, one class each (its config record
 * and its runtime policy), registered by name in {@link dev.fedlora.ranks.policies.RankPolicies},
 * which config reading finds as its {@code RankConfigParser} service.
 */
package dev.fedlora.ranks.policies;
