package dev.fedlora.client;

import dev.fedlora.model.Adapter;
import java.io.Serializable;

/** A client's trained adapter with its mean training loss over all local steps and the step count. */
public record TrainResult(Adapter params, double meanLoss, int steps) implements Serializable {}
