package org.speechwb.engine.probe;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;

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

    /**
     * One representation's probe result (error rates as fractions).
     *
     * @param wer        mean over the probe seeds
     * @param cer        mean over the probe seeds
     * @param bestUpdate the first probe seed's best validation point
     * @param probeCers  each probe seed's CER, in seed order: their spread is the probe's own noise
     * @param probeBits  each probe seed's lowest validation CTC loss (of its validations), bits per
     *                   character, in seed order; empty for probes made before it was measured
     */
    public record LayerScore(String layer, int dimension, double wer, double cer, int bestUpdate,
                             List<Double> probeCers, List<Double> probeBits) {

        public LayerScore {
            probeCers = probeCers == null || probeCers.isEmpty() ? List.of(cer) : List.copyOf(probeCers);
            probeBits = probeBits == null ? List.of() : List.copyOf(probeBits);
        }

        /** A score without the CTC loss. */
        public LayerScore(String layer, int dimension, double wer, double cer, int bestUpdate, List<Double> probeCers) {
            this(layer, dimension, wer, cer, bestUpdate, probeCers, List.of());
        }

        /** A score from a single probe. */
        public LayerScore(String layer, int dimension, double wer, double cer, int bestUpdate) {
            this(layer, dimension, wer, cer, bestUpdate, List.of(cer));
        }

        /**
         * Probe files written before probes had seeds hold one probe per layer and no {@code probeCers};
         * those written before the CTC loss was measured have no {@code probeBits}.
         */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static LayerScore fromJson(JsonNode n) {
            List<Double> cers = new ArrayList<>();
            n.path("probeCers").forEach(c -> cers.add(c.asDouble()));
            List<Double> bits = new ArrayList<>();
            n.path("probeBits").forEach(c -> bits.add(c.asDouble()));
            return new LayerScore(n.required("layer").asText(), n.required("dimension").asInt(),
                    n.required("wer").asDouble(), n.required("cer").asDouble(), n.required("bestUpdate").asInt(), cers,
                    bits);
        }

        /** Mean validation CTC loss over the probe seeds, bits per character; NaN when not measured. */
        public double bits() {
            return probeBits.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        /** "2.415 [2.401–2.433]" (bits per character), or "–" when not measured. */
        public String bitsText() {
            if (probeBits.isEmpty()) {
                return "–";
            }
            String mean = String.format(Locale.ROOT, "%.3f", bits());
            return probeBits.size() < 2 ? mean : String.format(Locale.ROOT, "%s [%.3f–%.3f]", mean,
                    probeBits.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    probeBits.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        }

        public double cerMin() {
            return probeCers.stream().mapToDouble(Double::doubleValue).min().orElse(cer);
        }

        public double cerMax() {
            return probeCers.stream().mapToDouble(Double::doubleValue).max().orElse(cer);
        }

        /** "80.44" for one probe, "80.44 [73.67–89.68]" for several (per cent). */
        public String cerText() {
            String mean = String.format(Locale.ROOT, "%.2f", 100 * cer);
            return probeCers.size() < 2 ? mean
                    : String.format(Locale.ROOT, "%s [%.2f–%.2f]", mean, 100 * cerMin(), 100 * cerMax());
        }
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
    private final List<Long> seeds;
    private final Vocabulary vocab;
    private final Consumer<String> log;

    /**
     * @param probe the probe's training settings; must describe a linear model ({@code layers == 0})
     * @param seeds one probe per seed (initialisation and batch order) on each representation, scored by their mean:
     *              on 10 labeled minutes one probe's CER moved by up to 15 points with its seed alone
     *              (docs/experiment.md, "The probe's own noise")
     */
    public LayerProbe(AcousticModelConfig probe, List<Long> seeds, Vocabulary vocab, Consumer<String> log) {
        if (probe.layers() != 0) {
            throw new IllegalArgumentException("a layer probe is linear: its config must have 0 layers, got "
                    + probe.layers());
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a layer probe needs at least one probe seed");
        }
        this.probe = probe;
        this.seeds = List.copyOf(seeds);
        this.vocab = vocab;
        this.log = log;
    }

    /**
     * @param progress told of each finished layer and asked whether to stop; may be null
     * @throws CancellationException if {@code progress} asked to stop (between utterances or layers)
     */
    public Result run(Wav2Vec2Layers model, List<Utterance> train, List<Utterance> valid, Progress progress)
            throws IOException {
        return run(model, model.allRepresentations(), train, valid, progress);
    }

    /**
     * As {@link #run(Wav2Vec2Layers, List, List, Progress)} for the representations at
     * {@code indices} into {@link Wav2Vec2Layers#layerNames()} only, in that order.
     */
    public Result run(Wav2Vec2Layers model, List<Integer> indices, List<Utterance> train, List<Utterance> valid,
                      Progress progress) throws IOException {
        long t0 = System.nanoTime();
        List<String> all = model.layerNames();
        List<String> names = indices.stream().map(all::get).toList();
        log.accept("probing " + model.description() + ": computing " + names.size() + " representations of "
                + train.size() + " + " + valid.size() + " utterances");
        List<List<AcousticModelTrainer.Example>> trainByLayer = examples(model, indices, train, progress);
        List<List<AcousticModelTrainer.Example>> validByLayer = examples(model, indices, valid, progress);
        List<LayerScore> scores = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            checkCancelled(progress);
            FrontEnd frontEnd = model.frontEnd(indices.get(i));
            List<Double> cers = new ArrayList<>();
            List<Double> bits = new ArrayList<>();
            double werSum = 0;
            int firstBest = 0;
            for (long seed : seeds) {
                if (!cers.isEmpty()) {
                    checkCancelled(progress);
                }
                AcousticModelTrainer.Trained t = new AcousticModelTrainer(probe.withSeed(seed), vocab, s -> { })
                        .train(frontEnd, trainByLayer.get(i), validByLayer.get(i));
                firstBest = cers.isEmpty() ? t.bestUpdate() : firstBest;
                cers.add(t.bestCer());
                bits.add(t.lowestBits());
                werSum += t.bestWer();
            }
            double cer = cers.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            LayerScore s = new LayerScore(names.get(i), frontEnd.dimension(), werSum / seeds.size(), cer, firstBest,
                    cers, bits);
            scores.add(s);
            log.accept(String.format(Locale.ROOT, "  %-18s %4d dims  valid CER %6.2f %%%s  WER %6.2f %%  CTC %s bits/char"
                    + "  (%s)", s.layer(), s.dimension(), 100 * s.cer(), seeds.size() == 1 ? "" : String.format(
                            Locale.ROOT, " [%.2f–%.2f]", 100 * s.cerMin(), 100 * s.cerMax()), 100 * s.wer(),
                    s.bitsText(), seeds.size() == 1 ? "best at update " + s.bestUpdate()
                            : "mean [range] over probe seeds " + seeds));
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

    private static List<List<AcousticModelTrainer.Example>> examples(Wav2Vec2Layers model, List<Integer> indices,
                                                                     List<Utterance> us, Progress progress)
            throws IOException {
        List<List<AcousticModelTrainer.Example>> out = new ArrayList<>();
        for (int i = 0; i < indices.size(); i++) {
            out.add(new ArrayList<>());
        }
        for (Utterance u : us) {
            checkCancelled(progress);
            List<float[][]> reps = model.compute(AudioReader.read16k(u.audio()).samples(), indices);
            for (int i = 0; i < indices.size(); i++) {
                out.get(i).add(new AcousticModelTrainer.Example(u.id(), reps.get(i), u.transcript()));
            }
        }
        return out;
    }
}
