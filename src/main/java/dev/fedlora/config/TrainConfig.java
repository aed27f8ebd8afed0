package dev.fedlora.config;

import java.io.Serializable;

/**
 * Local training hyper-parameters of every client: {@code epochs} passes over the client's shard
 * in minibatches of {@code batchSize}, SGD with step {@code learningRate} and heavy-ball
 * {@code momentum} (0 for plain SGD).
 */
public record TrainConfig(int epochs, int batchSize, double learningRate, double momentum) implements Serializable {}
