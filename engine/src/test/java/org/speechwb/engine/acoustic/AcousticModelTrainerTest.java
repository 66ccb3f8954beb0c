package org.speechwb.engine.acoustic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.eval.ModelSelection;
import org.speechwb.engine.eval.ScoreReport;
import org.speechwb.engine.eval.UtteranceScore;
import org.speechwb.engine.features.LogMelFilterbank;
import org.speechwb.engine.recognize.Transcriber;
import org.speechwb.engine.testutil.RepoFiles;
import org.speechwb.engine.text.TranscriptNormalizer;
import org.speechwb.engine.text.Vocabulary;
import org.speechwb.engine.train.TrainingData;

/**
 * The acoustic model learns letters from log-mel on a slice of the bundled corpus: it must fit
 * the slice (the CTC loss falls and greedy CER on it drops far below the 100 % of an untrained
 * model's all-blank output), and the best-by-validation bookkeeping returns a model whose
 * validation WER is the one reported. Validation is on the training slice itself, so "best"
 * and "fitted" agree: 12 utterances are far too few to generalise to other voices.
 */
class AcousticModelTrainerTest {

    @Test
    void fitsASliceOfTheBundledCorpusAndKeepsTheBestValidationModel() throws Exception {
        Backends.init();
        Dataset ds = DatasetLoader.open(RepoFiles.root().resolve("datasets/harvard-tts"));
        List<Utterance> train = TrainingData.select(ds, "train").subList(0, 12);
        List<Utterance> valid = train;
        LogMelFilterbank fb = new LogMelFilterbank();
        AcousticModelConfig cfg = new AcousticModelConfig(3, 128, 5, 0, 400, 12, 2e-3, 0, 5, 100, 1, ModelSelection.DEFAULT);
        List<String> log = new ArrayList<>();
        AcousticModelTrainer.Trained t = new AcousticModelTrainer(cfg, Vocabulary.englishLetters(), log::add)
                .train(fb, examples(fb, train), examples(fb, valid));

        List<AcousticModelTrainer.Point> curve = t.curve();
        assertThat(curve).hasSize(4);
        assertThat(curve.get(3).loss()).as("CTC loss per second, %s", curve).isLessThan(0.5 * curve.get(0).loss());
        assertThat(t.bestUpdate()).isIn(100, 200, 300, 400);
        assertThat(t.bestWer()).isEqualTo(curve.stream().filter(p -> p.update() == t.bestUpdate()).findFirst()
                .orElseThrow().validWer());

        ScoreReport onTrain = new Transcriber(t.recognizer(), null, null).evaluate(train, "train", false);
        assertThat(onTrain.overall().cer()).as("greedy CER on the training slice, %s", log).isLessThan(0.3);
        // the returned model is the best validation one: rescoring validation reproduces its WER
        List<UtteranceScore> v = new ArrayList<>();
        for (Utterance u : valid) {
            v.add(UtteranceScore.of(u.id(), "valid", TranscriptNormalizer.normalize(u.transcript()),
                    new Transcriber(t.recognizer(), null, null).transcribe(u.id(), u.transcript(),
                            AudioReader.read16k(u.audio()).samples()).greedy().text()));
        }
        assertThat(new ScoreReport(v, List.of(), List.of()).overall().wer()).isEqualTo(t.bestWer());

        // validation CTC loss: falls as the model fits, is reported at the kept update, and is the
        // kept model's own loss per character (recomputed here utterance by utterance)
        assertThat(curve).allMatch(p -> Double.isFinite(p.validBits()) && p.validBits() > 0);
        assertThat(curve.get(3).validBits()).as("bits per character, %s", curve).isLessThan(0.5 * curve.get(0).validBits());
        assertThat(t.bestBits()).isEqualTo(curve.stream().filter(p -> p.update() == t.bestUpdate()).findFirst()
                .orElseThrow().validBits());
        assertThat(t.lowestBits()).isEqualTo(curve.stream().mapToDouble(AcousticModelTrainer.Point::validBits).min()
                .orElseThrow()).isLessThanOrEqualTo(t.bestBits());
        org.speechwb.engine.ctc.CtcLoss ctc = new org.speechwb.engine.ctc.CtcLoss(Vocabulary.englishLetters().blank());
        double nats = 0;
        long chars = 0;
        for (AcousticModelTrainer.Example e : examples(fb, valid)) {
            float[][] lp = t.recognizer().logProbsOfFeatures(e.features());
            int[] labels = Vocabulary.englishLetters().encode(TranscriptNormalizer.normalize(e.transcript()), false);
            nats += ctc.forward(org.nd4j.linalg.factory.Nd4j.create(new float[][][] {lp}), new int[] {lp.length},
                    new int[][] {labels}).loss(0);
            chars += labels.length;
        }
        assertThat(t.bestBits()).isCloseTo(nats / chars / Math.log(2), org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void aModelThatYieldsNoFiniteGradientStopsWithTheBestSoFarOrSaysWhyBeforeAnyValidation() throws Exception {
        Backends.init();
        Dataset ds = DatasetLoader.open(RepoFiles.root().resolve("datasets/harvard-tts"));
        LogMelFilterbank fb = new LogMelFilterbank();
        List<AcousticModelTrainer.Example> poisoned = new ArrayList<>();
        for (AcousticModelTrainer.Example e : examples(fb, TrainingData.select(ds, "train").subList(0, 4))) {
            e.features()[0][0] = Float.NaN; // every normalised frame is NaN, so is every gradient
            poisoned.add(e);
        }
        int limit = AcousticModelTrainer.NON_FINITE_LIMIT;
        // validated every update: the best (first) model is kept and training stops at the limit, not at 400
        AcousticModelConfig everyUpdate = new AcousticModelConfig(1, 16, 3, 0, 400, 4, 1e-3, 0, 5, 1, 1, ModelSelection.DEFAULT);
        List<String> log = new ArrayList<>();
        AcousticModelTrainer.Trained t = new AcousticModelTrainer(everyUpdate, Vocabulary.englishLetters(), log::add)
                .train(fb, poisoned, poisoned);
        assertThat(t.curve().get(t.curve().size() - 1).update()).isEqualTo(limit - 1);
        assertThat(log).anyMatch(l -> l.startsWith("stopping at update " + limit + " of 400: " + limit
                + " updates in a row had a non-finite gradient; keeping the best model (update " + t.bestUpdate() + ")"));
        // validated every 100 updates: nothing to keep, so it says what to change
        AcousticModelConfig rarely = new AcousticModelConfig(1, 16, 3, 0, 400, 4, 1e-3, 0, 5, 100, 1, ModelSelection.DEFAULT);
        assertThatThrownBy(() -> new AcousticModelTrainer(rarely, Vocabulary.englishLetters(), s -> { })
                .train(fb, poisoned, poisoned)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(limit + " updates in a row had a non-finite gradient (last at update " + limit + ")")
                .hasMessageContaining("lower the learning rate");
    }

    static List<AcousticModelTrainer.Example> examples(LogMelFilterbank fb, List<Utterance> us) throws Exception {
        List<AcousticModelTrainer.Example> out = new ArrayList<>();
        for (Utterance u : us) {
            out.add(new AcousticModelTrainer.Example(u.id(), fb.compute(AudioReader.read16k(u.audio()).samples()),
                    u.transcript()));
        }
        return out;
    }
}
