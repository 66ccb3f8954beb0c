package org.speechwb.engine.probe;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

import org.speechwb.engine.acoustic.AcousticModelConfig;
import org.speechwb.engine.acoustic.AcousticModelTrainer;
import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.features.FrontEnd;
import org.speechwb.engine.text.Vocabulary;

/**
 * Layer-wise linear CTC probes: the model stays frozen and, for each of its representations,
 * one linear layer from a frame to the letters is trained with CTC on a labeled set and scored
 * by greedy CER on a validation set. A layer whose probe reads letters well holds phonetic
 * information in linearly accessible form; comparing a pre-trained model with the same
 * architecture at random initialisation shows what pre-training added and where.
 */
public final class LayerProbe {

    /** One representation's probe result (error rates as fractions). */
    public record LayerScore(String layer, int dimension, double wer, double cer, int bestUpdate) {
    }

    /** A model's probe results, in layer order. */
    public record Result(String model, List<LayerScore> layers, int trainUtterances, int validUtterances,
                         double seconds) {
    }

    /** Called after each layer's probe is trained. */
    public interface Progress {
        void layerDone(int done, int total, LayerScore score);

        /**
         * Polled between utterances while representations are computed and before each layer's
         * probe; true ends {@link #run} with a {@link CancellationException}.
         */
        default boolean cancelled() {
            return false;
        }
    }

    private final AcousticModelConfig probe;
    private final Vocabulary vocab;
    private final Consumer<String> log;

    /** @param probe the probe's training settings; must describe a linear model ({@code layers == 0}) */
    public LayerProbe(AcousticModelConfig probe, Vocabulary vocab, Consumer<String> log) {
        if (probe.layers() != 0) {
            throw new IllegalArgumentException("a layer probe is linear: its config must have 0 layers, got "
                    + probe.layers());
        }
        this.probe = probe;
        this.vocab = vocab;
        this.log = log;
    }

    /**
     * @param progress told of each finished layer and asked whether to stop; may be null
     * @throws CancellationException if {@code progress} asked to stop (between utterances or layers)
     */
    public Result run(Wav2Vec2Layers model, List<Utterance> train, List<Utterance> valid, Progress progress)
            throws IOException {
        long t0 = System.nanoTime();
        List<String> names = model.layerNames();
        log.accept("probing " + model.description() + ": computing " + names.size() + " representations of "
                + train.size() + " + " + valid.size() + " utterances");
        List<List<AcousticModelTrainer.Example>> trainByLayer = examples(model, train, names.size(), progress);
        List<List<AcousticModelTrainer.Example>> validByLayer = examples(model, valid, names.size(), progress);
        List<LayerScore> scores = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            checkCancelled(progress);
            FrontEnd frontEnd = model.frontEnd(i);
            AcousticModelTrainer.Trained t = new AcousticModelTrainer(probe, vocab, s -> { })
                    .train(frontEnd, trainByLayer.get(i), validByLayer.get(i));
            LayerScore s = new LayerScore(names.get(i), frontEnd.dimension(), t.bestWer(), t.bestCer(), t.bestUpdate());
            scores.add(s);
            log.accept(String.format(Locale.ROOT, "  %-18s %4d dims  valid CER %6.2f %%  WER %6.2f %%  (best at update %d)",
                    s.layer(), s.dimension(), 100 * s.cer(), 100 * s.wer(), s.bestUpdate()));
            if (progress != null) {
                progress.layerDone(i + 1, names.size(), s);
            }
        }
        return new Result(model.description(), scores, train.size(), valid.size(), (System.nanoTime() - t0) / 1e9);
    }

    private static void checkCancelled(Progress progress) {
        if (progress != null && progress.cancelled()) {
            throw new CancellationException("layer probes cancelled");
        }
    }

    private static List<List<AcousticModelTrainer.Example>> examples(Wav2Vec2Layers model, List<Utterance> us, int layers,
                                                                     Progress progress) throws IOException {
        List<List<AcousticModelTrainer.Example>> out = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            out.add(new ArrayList<>());
        }
        for (Utterance u : us) {
            checkCancelled(progress);
            List<float[][]> reps = model.compute(AudioReader.read16k(u.audio()).samples());
            for (int i = 0; i < layers; i++) {
                out.get(i).add(new AcousticModelTrainer.Example(u.id(), reps.get(i), u.transcript()));
            }
        }
        return out;
    }
}
