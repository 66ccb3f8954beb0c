package org.speechwb.engine.nn;

import org.nd4j.linalg.api.rng.Random;

/**
 * What one forward/backward pass needs besides its inputs: the scratch arena, whether the
 * model trains (dropout, Gumbel noise and LayerDrop are on), and the random generator for
 * in-graph noise, reseeded by the trainer for every update so that runs are reproducible.
 */
public record Ctx(Arena arena, boolean training, Random rng) {
}
