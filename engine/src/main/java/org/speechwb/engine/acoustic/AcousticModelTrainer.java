package org.speechwb.engine.acoustic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.ctc.CtcLoss;
import org.speechwb.engine.ctc.CtcLossOutput;
import org.speechwb.engine.ctc.GreedyDecoder;
import org.speechwb.engine.eval.ScoreReport;
import org.speechwb.engine.eval.SplitSummary;
import org.speechwb.engine.eval.UtteranceScore;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Param;
import org.speechwb.engine.text.TranscriptNormalizer;
import org.speechwb.engine.text.Vocabulary;
import org.speechwb.engine.train.AdamW;
import org.speechwb.engine.train.LrSchedule;

/**
 * Trains a {@link ConvAcousticModel} with CTC on precomputed features (the same recipe for
 * every input type): features normalised with the training set's statistics, shuffled padded
 * batches of about {@code batchSeconds}, Adam with warm-up and linear decay, gradient clipping,
 * greedy WER and CER on the validation set every {@code validationInterval} updates, and the
 * parameters whose validation the config's {@link org.speechwb.engine.eval.ModelSelection} ranks
 * best kept. Utterances whose transcripts need more CTC frames than they have are left out and
 * counted.
 */
public final class AcousticModelTrainer {

    /**
     * Updates in a row with a non-finite gradient after which training stops with the best model
     * so far, as the main trainers do after {@code run.nanTolerance}. Seen at lr 3e-3 on 140
     * labeled minutes of speechocean762: from update 758 on, 1,152 of the 2,000 updates were
     * skipped, up to 142 in a row. That cause, a NaN CTC gradient of a confident model, is fixed
     * ({@link org.speechwb.engine.ctc.CtcLoss}); this stops whatever else would waste a run so.
     */
    static final int NON_FINITE_LIMIT = 50;

    /** One labeled utterance's features ({@code [frames][dim]}, not normalised) and transcript. */
    public record Example(String id, float[][] features, String transcript) {
    }

    /**
     * A point of the training curve; validation figures are NaN between validations.
     *
     * @param validBits the validation transcripts' CTC loss in bits per character: unlike a CER
     *                  near 80 %, where most models' greedy outputs are equally wrong, it still
     *                  ranks how much of the transcripts the model predicts
     */
    public record Point(int update, double loss, double validWer, double validCer, double validBits) {
    }

    /** The trained model (best validation parameters) and how it got there. */
    public record Trained(FeatureRecognizer recognizer, int bestUpdate, double bestWer, double bestCer, List<Point> curve,
                          int skipped, double seconds) {

        /** The validation CTC loss of the kept model, at {@code bestUpdate} (bits per character; NaN without one). */
        public double bestBits() {
            return curve.stream().filter(p -> p.update() == bestUpdate).mapToDouble(Point::validBits).findFirst()
                    .orElse(Double.NaN);
        }

        /**
         * The lowest validation CTC loss of any validation (bits per character; NaN without one):
         * early stopping on the loss itself, which the CER-based choice of {@code bestUpdate}
         * picks almost at random where every validation's CER is near 80 %.
         */
        public double lowestBits() {
            return curve.stream().mapToDouble(Point::validBits).filter(Double::isFinite).min().orElse(Double.NaN);
        }
    }

    private final AcousticModelConfig cfg;
    private final Vocabulary vocab;
    private final Consumer<String> log;

    public AcousticModelTrainer(AcousticModelConfig cfg, Vocabulary vocab, Consumer<String> log) {
        this.cfg = cfg;
        this.vocab = vocab;
        this.log = log;
    }

    private record Prepared(String id, float[][] features, int[] labels, String reference) {
    }

    public Trained train(org.speechwb.engine.features.FrontEnd frontEnd, List<Example> train, List<Example> valid) {
        long t0 = System.nanoTime();
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training utterances for the acoustic model");
        }
        FeatureNormalizer norm = FeatureNormalizer.fit(train.stream().map(Example::features).toList());
        int dim = norm.dimension();
        List<Prepared> trainSet = new ArrayList<>();
        int skipped = 0;
        for (Example e : train) {
            String ref = TranscriptNormalizer.normalize(e.transcript());
            int[] labels = vocab.encode(ref, false);
            if (e.features().length == 0 || CtcLoss.requiredFrames(labels) > e.features().length) {
                skipped++;
                continue;
            }
            trainSet.add(new Prepared(e.id(), norm.apply(e.features()), labels, ref));
        }
        if (trainSet.isEmpty()) {
            throw new IllegalArgumentException("every training utterance is shorter than its transcript needs");
        }
        if (skipped > 0) {
            log.accept(skipped + " training utterances have fewer frames than their transcripts need and are left out");
        }
        ConvAcousticModel model = new ConvAcousticModel(cfg, dim, vocab.size(), DataType.FLOAT);
        FeatureRecognizer recognizer = new FeatureRecognizer(frontEnd, norm, model, vocab);
        List<Param> params = model.params().list();
        AdamW adam = new AdamW(cfg.optimizer(), params);
        LrSchedule schedule = new LrSchedule(cfg.optimizer(), cfg.updates());
        CtcLoss ctc = new CtcLoss(vocab.blank());
        Arena arena = new Arena(DataType.FLOAT);
        Random order = new Random(cfg.seed());
        Nd4j.getRandom().setSeed(cfg.seed());
        Ctx ctx = new Ctx(arena, true, Nd4j.getRandom());

        List<Point> curve = new ArrayList<>();
        List<INDArray> best = null;
        int bestUpdate = 0;
        double bestWer = Double.POSITIVE_INFINITY;
        double bestCer = Double.POSITIVE_INFINITY;
        List<Prepared> epoch = new ArrayList<>();
        int maxFrames = (int) Math.round(cfg.batchSeconds() * 16000.0 / frontEnd.hopSamples());
        double lossSum = 0;
        int lossCount = 0;
        int nonFiniteInARow = 0;
        for (int update = 1; update <= cfg.updates(); update++) {
            List<Prepared> batch = new ArrayList<>();
            int longest = 0;
            while (true) {
                if (epoch.isEmpty()) {
                    epoch.addAll(trainSet);
                    Collections.shuffle(epoch, order);
                }
                Prepared next = epoch.get(epoch.size() - 1);
                int len = Math.max(longest, next.features().length);
                if (!batch.isEmpty() && (long) len * (batch.size() + 1) > maxFrames) {
                    break;
                }
                batch.add(epoch.remove(epoch.size() - 1));
                longest = len;
                if (epoch.isEmpty() && batch.size() >= trainSet.size()) {
                    break;
                }
            }
            int[] lengths = new int[batch.size()];
            int[][] labels = new int[batch.size()][];
            INDArray x = arena.zeros("am.input", batch.size(), longest, dim);
            for (int b = 0; b < batch.size(); b++) {
                Prepared p = batch.get(b);
                lengths[b] = p.features().length;
                labels[b] = p.labels();
                try (INDArray f = Nd4j.create(p.features())) {
                    x.slice(b).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, lengths[b]),
                            org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(f);
                }
            }
            model.params().zeroGrads();
            INDArray logits = model.forward(ctx, x, lengths);
            CtcLossOutput out = ctc.forward(logits, lengths, labels);
            // loss per frame of audio, so that the gradient scale does not depend on batch composition
            int totalFrames = 0;
            for (int len : lengths) {
                totalFrames += len;
            }
            double[] w = new double[batch.size()];
            java.util.Arrays.fill(w, 1.0 / totalFrames);
            model.backward(ctx, out.gradient(w));
            double gnorm = adam.gradNorm();
            if (Double.isFinite(gnorm)) {
                nonFiniteInARow = 0;
                if (cfg.clipNorm() > 0 && gnorm > cfg.clipNorm()) {
                    adam.scaleGrads(cfg.clipNorm() / gnorm);
                }
                adam.step(schedule.at(update - 1), null);
                lossSum += out.sum() / totalFrames * 100;
                lossCount++;
            } else {
                nonFiniteInARow++;
                log.accept("update " + update + ": non-finite gradient, skipped (" + nonFiniteInARow + " in a row)");
                if (nonFiniteInARow >= NON_FINITE_LIMIT) {
                    // a model this unstable rarely recovers: more updates mostly burn time
                    if (best == null) {
                        throw new IllegalStateException(NON_FINITE_LIMIT + " updates in a row had a non-finite gradient"
                                + " (last at update " + update + ") before the first validation: lower the learning"
                                + " rate (now " + cfg.lr() + ")");
                    }
                    log.accept("stopping at update " + update + " of " + cfg.updates() + ": " + NON_FINITE_LIMIT
                            + " updates in a row had a non-finite gradient; keeping the best model (update "
                            + bestUpdate + ")");
                    break;
                }
            }
            boolean validate = update % cfg.validationInterval() == 0 || update == cfg.updates();
            if (validate) {
                double loss = lossCount == 0 ? Double.NaN : lossSum / lossCount;
                lossSum = 0;
                lossCount = 0;
                Validation v = valid.isEmpty() ? null : score(recognizer, ctc, valid);
                double wer = v == null ? Double.NaN : v.summary().wer();
                double cer = v == null ? Double.NaN : v.summary().cer();
                double bits = v == null ? Double.NaN : v.bitsPerCharacter();
                curve.add(new Point(update, loss, wer, cer, bits));
                log.accept(String.format(Locale.ROOT, "  update %5d  CTC loss %.3f per second  valid WER %6.2f %%  CER %6.2f %%"
                        + "  CTC %.3f bits/char", update, loss, 100 * wer, 100 * cer, bits));
                if (v == null || cfg.selection().better(wer, cer, bestWer, bestCer)) {
                    bestWer = wer;
                    bestCer = cer;
                    bestUpdate = update;
                    best = params.stream().map(p -> p.value().dup()).toList();
                }
            }
        }
        for (int i = 0; i < params.size(); i++) {
            params.get(i).value().assign(best.get(i));
        }
        arena.clear();
        return new Trained(recognizer, bestUpdate, bestWer, bestCer, curve, skipped, (System.nanoTime() - t0) / 1e9);
    }

    /** Greedy error rates, and the CTC loss over the characters of the utterances it can score. */
    private record Validation(SplitSummary summary, double bitsPerCharacter) {
    }

    private Validation score(FeatureRecognizer recognizer, CtcLoss ctc, List<Example> valid) {
        GreedyDecoder greedy = new GreedyDecoder(vocab);
        List<UtteranceScore> scores = new ArrayList<>();
        double nats = 0;
        long characters = 0;
        for (Example e : valid) {
            String ref = TranscriptNormalizer.normalize(e.transcript());
            String hyp = "";
            if (e.features().length > 0) {
                float[][] logProbs = recognizer.logProbsOfFeatures(e.features());
                hyp = greedy.decode(logProbs).text();
                int[] labels = vocab.encode(ref, false);
                // an utterance with fewer frames than its transcript needs has no CTC path (loss +∞):
                // it is left out of the loss, as from training, and still counts in the error rates
                if (labels.length > 0 && CtcLoss.requiredFrames(labels) <= logProbs.length) {
                    try (INDArray lp = Nd4j.create(new float[][][] {logProbs})) {
                        // log-probabilities are their own log-softmax, so they serve as the logits
                        CtcLossOutput out = ctc.forward(lp, new int[] {logProbs.length}, new int[][] {labels});
                        if (out.usable(0)) {
                            nats += out.loss(0);
                            characters += labels.length;
                        }
                    }
                }
            }
            scores.add(UtteranceScore.of(e.id(), "valid", ref, hyp));
        }
        double bits = characters == 0 ? Double.NaN : nats / characters / Math.log(2);
        return new Validation(new ScoreReport(scores, List.of(), List.of()).overall(), bits);
    }
}
