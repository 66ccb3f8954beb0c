package org.speechwb.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trainable tensor and its gradient accumulator. Modules add into {@link #grad} during
 * backward; the optimiser reads it and the trainer zeroes it after every update.
 *
 * @param decay whether decoupled weight decay applies (not to biases, norm gains, embeddings)
 */
public record Param(String name, INDArray value, INDArray grad, boolean decay) {

    public long size() {
        return value.length();
    }
}
