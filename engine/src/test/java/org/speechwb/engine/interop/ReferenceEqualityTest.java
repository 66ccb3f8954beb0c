package org.speechwb.engine.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.model.w2v2.Wav2Vec2CtcModel;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.testutil.RepoFiles;

/**
 * Proof of equality with the reference: small random wav2vec 2.0 models built by torchaudio
 * (a reimplementation of fairseq's, tested by its authors against fairseq and transformers),
 * written in Hugging Face format, imported here, and run on the same waveforms. Fixtures and
 * reference outputs come from {@code engine/src/test/python/make_interop_fixtures.py}.
 *
 * <p>Mapping of the per-layer outputs: {@code hiddenStates(ctx, wave)} element 0 (feature encoder
 * output after its LayerNorm) = {@code features.npy}; element 1 + n = {@code hidden_<n>.npy} =
 * transformers' {@code hidden_states[n]} (n = 0: the Transformer input; n = l: output of layer l;
 * for a do_stable_layer_norm model transformers' last entry has the final LayerNorm applied, ours
 * and torchaudio's do not).
 */
class ReferenceEqualityTest {

    /** float32 implementations that agree land near 1e-5 on logits of magnitude ~5 (interop notes). */
    static final double LOGIT_TOLERANCE = 1e-4;
    static final double HIDDEN_TOLERANCE = 1e-4;

    static Path fixture(String name) {
        return RepoFiles.root().resolve("engine/src/test/resources/interop").resolve(name);
    }

    /** The waveform every fixture model was run on (transformers-normalised 1 s crop). */
    static Npy.Array input(String utt) throws IOException {
        return Npy.read(fixture("inputs").resolve(utt + ".npy"));
    }

    static Wav2Vec2CtcModel importCtc(Path dir) throws IOException {
        HuggingFaceModel hf = HuggingFaceModel.open(dir);
        assertThat(hf.kind()).isEqualTo(HuggingFaceModel.Kind.CTC);
        Wav2Vec2CtcModel m = new Wav2Vec2CtcModel(hf.config(), hf.vocabulary().size(), 0.0, 1, DataType.FLOAT);
        try (TensorSource src = hf.openWeights()) {
            HfWeights.Loaded l = HfWeights.load(src, m.params(), hf.config());
            assertThat(l.missing()).containsExactly("mask_emb");
        }
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"base-ctc", "large-ctc", "base-ctc-f16"})
    void importedModelsComputeWhatTheReferenceComputes(String name) throws IOException {
        Path dir = fixture(name);
        Wav2Vec2CtcModel m = importCtc(dir);
        Ctx ctx = new Ctx(new Arena(DataType.FLOAT), false, Nd4j.getRandom());
        List<String> report = new ArrayList<>();
        double worstLogit = 0;
        double worstHidden = 0;
        List<Path> utts;
        try (Stream<Path> s = Files.list(dir)) {
            utts = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().equals("batch")).sorted().toList();
        }
        assertThat(utts).isNotEmpty();
        for (Path u : utts) {
            Npy.Array input = input(u.getFileName().toString());
            INDArray wave = Nd4j.create(input.values(), new long[] {1, input.values().length}, 'c');
            List<INDArray> hidden = m.hiddenStates(ctx, wave);
            boolean layers = Files.isRegularFile(u.resolve("features.npy"));   // the F16 fixture has logits only
            if (layers) {
                double e = maxAbs(hidden.get(0), Npy.read(u.resolve("features.npy")));
                report.add(String.format(Locale.ROOT, "%s/%s features %.2e", name, u.getFileName(), e));
                worstHidden = Math.max(worstHidden, e);
            }
            for (int n = 0; layers && n + 1 < hidden.size(); n++) {
                double h = maxAbs(hidden.get(n + 1), Npy.read(u.resolve("hidden_" + n + ".npy")));
                report.add(String.format(Locale.ROOT, "%s/%s hidden_%d %.2e", name, u.getFileName(), n, h));
                worstHidden = Math.max(worstHidden, h);
            }
            INDArray logits = m.forward(ctx, new Wav2Vec2CtcModel.Batch(wave, new int[] {input.values().length}, null,
                    null, allLayers(m)));
            Npy.Array ref = Npy.read(u.resolve("logits.npy"));
            double l = maxAbs(logits.reshape(ref.rows(), ref.cols()), ref);
            report.add(String.format(Locale.ROOT, "%s/%s logits %.2e", name, u.getFileName(), l));
            worstLogit = Math.max(worstLogit, l);
            INDArray ours = logits.reshape(ref.rows(), ref.cols());
            for (int t = 0; t < ref.rows(); t++) {
                int best = 0;
                for (int c = 1; c < ref.cols(); c++) {
                    if (ref.get(t, c) > ref.get(t, best)) {
                        best = c;
                    }
                }
                assertThat(ours.getRow(t).argMax().getInt(0)).as("%s frame %d argmax", u, t).isEqualTo(best);
            }
        }
        System.out.println(String.join("\n", report));
        System.out.printf(Locale.ROOT, "%s: largest error logits %.2e, hidden states %.2e%n", name, worstLogit, worstHidden);
        assertThat(worstLogit).as(String.join("\n", report)).isLessThan(LOGIT_TOLERANCE);
        assertThat(worstHidden).as(String.join("\n", report)).isLessThan(HIDDEN_TOLERANCE);
    }

    /**
     * A padded batch of both utterances (the shorter zero-padded; padded frames zeroed before the
     * positional convolution and kept out of attention) gives torchaudio's logits on the valid
     * frames; and the CTC loss of the reference logits, with the model's own blank (29 for
     * large-ctc), gives torch.nn.functional.ctc_loss's values and gradients.
     */
    @ParameterizedTest
    @ValueSource(strings = {"base-ctc", "large-ctc"})
    void paddedBatchesAndTheCtcLossMatchTheReference(String name) throws IOException {
        Path dir = fixture(name);
        Wav2Vec2CtcModel m = importCtc(dir);
        JsonNode ctc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("batch/ctc.json").toFile());
        float[] a = input("spk1_snt1").values();
        float[] b = input("spk2_snt3").values();
        int n = Math.max(a.length, b.length);
        float[] flat = new float[2 * n];
        System.arraycopy(a, 0, flat, 0, a.length);
        System.arraycopy(b, 0, flat, n, b.length);
        int[] lengths = {ctc.get("lengths").get(0).asInt(), ctc.get("lengths").get(1).asInt()};
        assertThat(lengths).containsExactly(a.length, b.length);
        Ctx ctx = new Ctx(new Arena(DataType.FLOAT), false, Nd4j.getRandom());
        INDArray logits = m.forward(ctx, new Wav2Vec2CtcModel.Batch(Nd4j.create(flat, new long[] {2, n}, 'c'), lengths,
                null, null, allLayers(m)));
        Npy.Array ref = Npy.read(dir.resolve("batch/logits.npy"));
        int frames = (int) ref.shape()[1];
        int vocab = (int) ref.shape()[2];
        assertThat(logits.shape()).containsExactly(2, frames, vocab);
        int[] valid = {ctc.get("frames").get(0).asInt(), ctc.get("frames").get(1).asInt()};
        assertThat(m.frameLengths()).containsExactly(valid);
        double worst = 0;
        for (int u = 0; u < 2; u++) {
            for (int t = 0; t < valid[u]; t++) {
                for (int c = 0; c < vocab; c++) {
                    worst = Math.max(worst, Math.abs(logits.getDouble(u, t, c) - ref.values()[(u * frames + t) * vocab + c]));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s padded batch: largest logit error on valid frames %.2e%n", name, worst);
        assertThat(worst).isLessThan(LOGIT_TOLERANCE);

        int[][] labels = new int[2][];
        for (int u = 0; u < 2; u++) {
            JsonNode l = ctc.get("labels").get(u);
            labels[u] = new int[l.size()];
            for (int i = 0; i < l.size(); i++) {
                labels[u][i] = l.get(i).asInt();
            }
        }
        org.speechwb.engine.ctc.CtcLoss loss = new org.speechwb.engine.ctc.CtcLoss(ctc.get("blank").asInt());
        org.speechwb.engine.ctc.CtcLossOutput out = loss.forward(Nd4j.create(ref.values(), new long[] {2, frames, vocab},
                'c'), valid, labels);
        for (int u = 0; u < 2; u++) {
            double want = ctc.get("losses").get(u).asDouble();
            assertThat(out.loss(u)).as("loss %d", u).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-6 * want));
        }
        Npy.Array grad = Npy.read(dir.resolve("batch/grad.npy"));
        INDArray g = out.gradientOfSum();
        double worstGrad = 0;
        for (int u = 0; u < 2; u++) {
            for (int t = 0; t < frames; t++) {
                for (int c = 0; c < vocab; c++) {
                    worstGrad = Math.max(worstGrad, Math.abs(g.getDouble(u, t, c) - grad.values()[(u * frames + t) * vocab + c]));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s CTC: losses %.4f %.4f, largest gradient error %.2e%n", name, out.loss(0),
                out.loss(1), worstGrad);
        assertThat(worstGrad).isLessThan(1e-6);
    }

    static boolean[] allLayers(Wav2Vec2CtcModel m) {
        boolean[] a = new boolean[m.config().layers()];
        java.util.Arrays.fill(a, true);
        return a;
    }

    static double maxAbs(INDArray ours, Npy.Array ref) {
        float[] o = ours.castTo(DataType.FLOAT).dup('c').data().asFloat();
        assertThat(o.length).isEqualTo(ref.values().length);
        double worst = 0;
        for (int i = 0; i < o.length; i++) {
            worst = Math.max(worst, Math.abs(o[i] - ref.values()[i]));
        }
        return worst;
    }
}
