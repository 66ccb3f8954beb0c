package org.speechwb.engine.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.model.w2v2.Wav2Vec2Model;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.run.RunFolder;

/**
 * The pre-training objective against transformers' Wav2Vec2ForPreTraining (reference written by
 * {@code make_interop_fixtures.py} from modeling_wav2vec2.py's computation, eval mode): for a
 * fixed mask and fixed distractor indices, every masked frame's target logit cos(c_t, q_t)/κ and
 * the summed contrastive cross-entropy, with distractors whose quantized vector equals the
 * target's set to −∞; and the other terms over the same masked frames (prob and code
 * perplexity, diversity, feature penalty) as fairseq and transformers' training mode define them. The engine draws distractors as counts per frame pair; the indices are
 * turned into counts here, which is all its loss depends on.
 */
class PretrainingHeadReferenceTest {

    @TempDir
    Path tmp;

    @Test
    void contrastiveLogitsAndLossMatchTransformersForGivenMasksAndDistractors() throws Exception {
        Path run = tmp.resolve("pre");
        CheckpointImporter.importCheckpoint(ReferenceEqualityTest.fixture("base-pretrain"), null, run, List.of("test"),
                null);
        PretrainConfig cfg = new RunFolder(run).config();
        Wav2Vec2Model model = new Wav2Vec2Model(cfg.wav2vec2(), 1, DataType.FLOAT);
        Checkpoint.restoreParams(Checkpoint.read(RunFolder.newestCheckpoint(run)), model.params().list());
        Ctx ctx = new Ctx(new Arena(DataType.FLOAT), false, Nd4j.getRandom());
        int equalDistractors = 0;
        for (String utt : List.of("spk1_snt1", "spk2_snt3")) {
            Path dir = ReferenceEqualityTest.fixture("base-pretrain").resolve(utt);
            float[] input = ReferenceEqualityTest.input(utt).values();
            Npy.Array maskRef = Npy.read(dir.resolve("mask.npy"));
            Npy.Array neg = Npy.read(dir.resolve("negatives.npy"));
            Npy.Array logits = Npy.read(dir.resolve("contrastive_logits.npy"));
            int frames = maskRef.rows();
            boolean[][] mask = new boolean[1][frames];
            float[] counts = new float[frames * frames];
            for (int t = 0; t < frames; t++) {
                mask[0][t] = maskRef.get(t, 0) > 0.5;
                for (int k = 0; mask[0][t] && k < neg.cols(); k++) {
                    counts[t * frames + (int) neg.get(t, k)] += 1f;
                    equalDistractors += logits.get(t, 1 + k) < -1e29 ? 1 : 0;
                }
            }
            boolean[] all = new boolean[cfg.wav2vec2().layers()];
            java.util.Arrays.fill(all, true);
            INDArray wave = Nd4j.create(input, new long[] {1, input.length}, 'c');
            Wav2Vec2Model.Result r = model.step(ctx, new Wav2Vec2Model.Batch(wave, mask, counts, 0.5, all), 0.0, 0.0,
                    false);

            assertThat(r.frames()).isEqualTo(frames);
            double worst = 0;
            for (int t = 0; t < frames; t++) {
                if (mask[0][t]) {
                    worst = Math.max(worst, Math.abs(r.targetLogit()[t] - logits.get(t, 0)));
                }
            }
            assertThat(worst).as(utt + " target logits").isLessThan(1e-4);
            double loss = r.contrastive() * r.maskedFrames();
            double want = Npy.read(dir.resolve("contrastive_loss.npy")).get(0, 0);
            assertThat(Math.abs(loss - want) / want).as(utt + ": " + loss + " vs " + want + " nats").isLessThan(1e-5);

            // the other terms of the objective over the same masked frames
            Npy.Array terms = Npy.read(dir.resolve("head_terms.npy"));
            assertThat(r.probPerplexity()).as(utt + " prob perplexity").isCloseTo(terms.get(0, 0), within(1e-4));
            assertThat(r.codePerplexity()).as(utt + " code perplexity").isCloseTo(terms.get(0, 1), within(1e-6));
            assertThat(r.diversity()).as(utt + " diversity").isCloseTo(terms.get(0, 2), within(1e-5));
            assertThat(r.penalty() / terms.get(0, 3)).as(utt + " feature penalty").isCloseTo(1.0, within(1e-4));
        }
        // the fixture exercises the −∞ branch: with 2 x 16 codes, some distractors share their target's code
        assertThat(equalDistractors).isGreaterThan(10);
    }
}
