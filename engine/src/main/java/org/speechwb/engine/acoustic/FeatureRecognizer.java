package org.speechwb.engine.acoustic;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.ctc.LogProbs;
import org.speechwb.engine.features.FrontEnd;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.recognize.LogProbSource;
import org.speechwb.engine.text.Vocabulary;

/** Audio → front end → normalisation → {@link ConvAcousticModel} → per-frame log-probabilities. */
public final class FeatureRecognizer implements LogProbSource {

    private final FrontEnd frontEnd;
    private final FeatureNormalizer normalizer;
    private final ConvAcousticModel model;
    private final Vocabulary vocabulary;
    private final Arena arena = new Arena(DataType.FLOAT);
    private final Ctx ctx = new Ctx(arena, false, Nd4j.getRandom());

    public FeatureRecognizer(FrontEnd frontEnd, FeatureNormalizer normalizer, ConvAcousticModel model, Vocabulary vocabulary) {
        if (frontEnd.dimension() != model.inputDim() || normalizer.dimension() != model.inputDim()) {
            throw new IllegalArgumentException("front end (" + frontEnd.dimension() + "), normaliser ("
                    + normalizer.dimension() + ") and acoustic model (" + model.inputDim() + ") disagree on the feature size");
        }
        this.frontEnd = frontEnd;
        this.normalizer = normalizer;
        this.model = model;
        this.vocabulary = vocabulary;
    }

    public FrontEnd frontEnd() {
        return frontEnd;
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** An audio shorter than one frame gives no frames (and decodes to the empty string). */
    @Override
    public float[][] logProbs(float[] samples) {
        float[][] f = frontEnd.compute(samples);
        return f.length == 0 ? new float[0][vocabulary.size()] : logProbsOfFeatures(f);
    }

    /** Log-probabilities of features that are not yet normalised. */
    public synchronized float[][] logProbsOfFeatures(float[][] features) {
        // closed at once: long scoring loops otherwise pile up native memory until the GC runs
        try (INDArray x = Nd4j.create(normalizer.apply(features))) {
            INDArray logits = model.forward(ctx, x.reshape(1, features.length, model.inputDim()),
                    new int[] {features.length});
            return LogProbs.utteranceLogSoftmax(logits, 0, features.length);
        }
    }
}
