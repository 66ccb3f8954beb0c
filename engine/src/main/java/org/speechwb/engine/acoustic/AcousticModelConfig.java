package org.speechwb.engine.acoustic;

import org.speechwb.engine.config.OptimizerConfig;
import org.speechwb.engine.eval.ModelSelection;

/**
 * The small CTC acoustic model that compares input features (wav2vec 1.0 context vectors vs
 * log-mel), and how it is trained. The same settings serve every input, so that only the
 * features differ.
 *
 * @param layers             convolution layers ("same" padding, ReLU, dropout), each {@code channels} wide
 * @param channels           width of every layer
 * @param kernel             odd kernel width in frames; the model sees {@code layers·(kernel−1)+1} frames
 * @param dropout            after every layer, while training
 * @param updates            Adam updates
 * @param batchSeconds       audio per batch, padding included (100 frames per second)
 * @param lr                 peak learning rate: linear warm-up over the first 10 % of updates, then linear decay to 0
 * @param weightDecay        decoupled weight decay (not on biases)
 * @param clipNorm           global gradient-norm limit, 0 to disable
 * @param validationInterval greedy WER on the validation set every this many updates; the best model is kept
 * @param seed               initialisation, batch order and dropout
 * @param selection          how the kept model is chosen on validation
 */
public record AcousticModelConfig(int layers, int channels, int kernel, double dropout, int updates, double batchSeconds,
                                  double lr, double weightDecay, double clipNorm, int validationInterval, long seed,
                                  ModelSelection selection) {

    public AcousticModelConfig {
        if (layers < 0 || channels < 1) {
            throw new IllegalArgumentException("the acoustic model needs zero or more layers (zero: a linear probe) and"
                    + " at least one channel, got " + layers + " layers of " + channels);
        }
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("kernel must be odd so that frames stay centred, got " + kernel);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (updates < 1 || validationInterval < 1) {
            throw new IllegalArgumentException("updates and validationInterval must be positive");
        }
        if (!(batchSeconds > 0)) {
            throw new IllegalArgumentException("batchSeconds must be positive, got " + batchSeconds);
        }
        if (selection == null) {
            throw new IllegalArgumentException("the acoustic model needs a model-selection rule");
        }
        if (!(lr > 0) || weightDecay < 0 || clipNorm < 0) {
            throw new IllegalArgumentException("lr must be positive, weightDecay and clipNorm not negative");
        }
    }

    /** Four layers of 256, kernel 5 (170 ms seen), about 1.1 M parameters on 80 log-mel. */
    public static AcousticModelConfig defaults() {
        return new AcousticModelConfig(4, 256, 5, 0.15, 2000, 16, 1e-3, 0.01, 5.0, 200, 1, ModelSelection.DEFAULT);
    }

    public AcousticModelConfig withUpdates(int n) {
        return new AcousticModelConfig(layers, channels, kernel, dropout, n, batchSeconds, lr, weightDecay, clipNorm,
                Math.max(1, Math.min(validationInterval, n / 5)), seed, selection);
    }

    /**
     * A linear CTC probe: no convolution, one linear layer from each frame's features to the
     * letters, so that what it reads must already be linearly there.
     */
    public static AcousticModelConfig linearProbe(int updates, double lr, long seed) {
        return new AcousticModelConfig(0, 1, 1, 0.0, updates, 16, lr, 0.0, 5.0, Math.max(1, updates / 5), seed,
                ModelSelection.DEFAULT);
    }

    public AcousticModelConfig withLr(double newLr) {
        return new AcousticModelConfig(layers, channels, kernel, dropout, updates, batchSeconds, newLr, weightDecay,
                clipNorm, validationInterval, seed, selection);
    }

    public AcousticModelConfig withSeed(long s) {
        return new AcousticModelConfig(layers, channels, kernel, dropout, updates, batchSeconds, lr, weightDecay, clipNorm,
                validationInterval, s, selection);
    }

    public AcousticModelConfig withSelection(ModelSelection rule) {
        return new AcousticModelConfig(layers, channels, kernel, dropout, updates, batchSeconds, lr, weightDecay, clipNorm,
                validationInterval, seed, rule);
    }

    /** e.g. "4 x 256, kernel 5, dropout 0.15, 17 frames seen". */
    public String describe() {
        if (layers == 0) {
            return "linear probe";
        }
        return String.format(java.util.Locale.ROOT, "%d conv layers x %d, kernel %d, dropout %.2f, %d frames seen", layers,
                channels, kernel, dropout, contextFrames());
    }

    /** Frames of context the model sees around each output frame, the frame included. */
    public int contextFrames() {
        return layers * (kernel - 1) + 1;
    }

    OptimizerConfig optimizer() {
        return new OptimizerConfig(lr, 0.9, 0.98, 1e-8, weightDecay, false, "polynomial",
                Math.max(1, updates / 10), 0, 0, 1, clipNorm, 1);
    }
}
