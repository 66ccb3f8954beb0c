package org.speechwb.engine.model.w2v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.ParamStore;

/** Code and prob perplexity against values computed by hand. */
class PerplexityTest {

    @Test
    void perplexitiesOfAKnownBatch() {
        // one group of two entries; logits = z (identity projection, zero bias)
        Wav2Vec2Config cfg = new Wav2Vec2Config(List.of(new ConvLayerSpec(2, 2, 2)), ExtractorMode.DEFAULT, false,
                4, 8, 1, 1, false, 0, 0, 0, 0, 0, 0, 2, 1, 1, 2, 1, 2, 0.1);
        ParamStore ps = new ParamStore(DataType.DOUBLE, 1);
        GumbelQuantizer q = new GumbelQuantizer(ps, cfg);
        ps.get("quantizer.weight_proj.w").value().assign(Nd4j.eye(2).castTo(DataType.DOUBLE));
        ps.get("quantizer.weight_proj.b").value().assign(0);
        INDArray z = Nd4j.createFromArray(new double[][] {{2, 0}, {0, 1}, {3, 0}, {0, 0.5}});
        INDArray w = Nd4j.createFromArray(1.0, 1.0, 1.0, 0.0); // the last row does not count
        q.forward(new Ctx(new Arena(DataType.DOUBLE), false, Nd4j.getRandom()), z, w, 1.0);
        GumbelQuantizer.Stats s = q.stats();

        // codes 0, 1, 0 → usage (2/3, 1/3)
        double codePpl = Math.exp(-(2.0 / 3 * Math.log(2.0 / 3 + 1e-7) + 1.0 / 3 * Math.log(1.0 / 3 + 1e-7)));
        assertThat(s.codePerplexity()).isCloseTo(codePpl, within(1e-9));
        assertThat(s.codes()).containsExactly(0, 1, 0, 1);
        assertThat(s.codeCounts()[0]).containsExactly(2, 1);

        double[] p0 = {Math.exp(2) / (Math.exp(2) + 1), Math.exp(0) / (1 + Math.exp(1)), Math.exp(3) / (Math.exp(3) + 1)};
        double m0 = (p0[0] + p0[1] + p0[2]) / 3;
        double m1 = 1 - m0;
        double probPpl = Math.exp(-(m0 * Math.log(m0 + 1e-7) + m1 * Math.log(m1 + 1e-7)));
        assertThat(s.probPerplexity()).isCloseTo(probPpl, within(1e-9));
        assertThat(s.diversity()).isCloseTo((2 - probPpl) / 2, within(1e-9));
    }

    @Test
    void uniformChoicesReachTheMaximum() {
        Wav2Vec2Config cfg = new Wav2Vec2Config(List.of(new ConvLayerSpec(4, 2, 2)), ExtractorMode.DEFAULT, false,
                4, 8, 1, 1, false, 0, 0, 0, 0, 0, 0, 2, 1, 1, 4, 2, 2, 0.1);
        ParamStore ps = new ParamStore(DataType.DOUBLE, 1);
        GumbelQuantizer q = new GumbelQuantizer(ps, cfg);
        ps.get("quantizer.weight_proj.w").value().assign(Nd4j.eye(4).castTo(DataType.DOUBLE).muli(50));
        ps.get("quantizer.weight_proj.b").value().assign(0);
        // four rows choosing every (group, entry) pair equally often
        INDArray z = Nd4j.createFromArray(new double[][] {{1, 0, 1, 0}, {0, 1, 0, 1}, {1, 0, 0, 1}, {0, 1, 1, 0}});
        q.forward(new Ctx(new Arena(DataType.DOUBLE), false, Nd4j.getRandom()), z, Nd4j.ones(DataType.DOUBLE, 4), 1.0);
        assertThat(q.stats().codePerplexity()).isCloseTo(4.0, within(1e-5)); // G·V = 2·2
        assertThat(q.stats().probPerplexity()).isCloseTo(4.0, within(1e-5));
    }
}
