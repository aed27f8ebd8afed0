/**
 * A small decoder-only transformer (GPT-2 layout: pre-LayerNorm blocks, causal multi-head
 * self-attention, a GELU MLP, output projection tied to the token embedding) with LoRA adapters
 * on named linear layers: its config, its frozen weights and their file format, the adapter
 * values, the target-name matcher, and the forward and backward pass over a preallocated
 * workspace (causal language modelling, or classification through a mean-pooled head).
 *
 * <p>Linear layers are named as PEFT / Hugging Face name modules: {@code layers.N.attn.q},
 * {@code layers.N.attn.k}, {@code layers.N.attn.v}, {@code layers.N.attn.o},
 * {@code layers.N.mlp.up}, {@code layers.N.mlp.down}; a target list selects which carry an
 * adapter ({@link dev.fedlora.model.TargetPatterns}).
 */
package dev.fedlora.model.transformer;
