/**
 * Pretraining of the frozen base MLP on MNIST.
 */
package dev.fedlora.pretrain;
