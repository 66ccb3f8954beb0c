package org.speechwb.engine.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ProbeTableTest {

    private static LayerProbe.Result result(String model, List<Double> featureCers, List<Double> layerCers) {
        return new LayerProbe.Result(model, List.of(
                new LayerProbe.LayerScore("features", 128, 1.0, mean(featureCers), 900, featureCers),
                new LayerProbe.LayerScore("layer 1", 256, 1.0, mean(layerCers), 1200, layerCers)), 146, 180, 60);
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @Test
    void aRowPerRepresentationAColumnPerModelWithTheRangeOverProbeSeeds() {
        String md = ProbeTable.markdown(List.of(result("pre-trained", List.of(0.9, 0.8, 0.85), List.of(0.7, 0.75, 0.8)),
                result("random", List.of(0.82, 0.81, 0.83), List.of(0.78, 0.77, 0.79))));
        assertThat(md).startsWith("Linear CTC on frozen representations, validation CER %, mean [range] over 3 probe seeds.")
                .contains("| representation | pre-trained | random |\n|---|---|---|\n")
                .contains("| features | 85.00 [80.00–90.00] | 82.00 [81.00–83.00] |\n")
                .endsWith("| layer 1 | 75.00 [70.00–80.00] | 78.00 [77.00–79.00] |\n");
    }

    @Test
    void aRepresentationOneModelLacksGetsADash() {
        LayerProbe.Result withCodes = new LayerProbe.Result("pre-trained", List.of(
                new LayerProbe.LayerScore("features", 128, 1.0, 0.8, 900),
                new LayerProbe.LayerScore("quantizer codes", 128, 1.0, 0.9, 900)), 146, 180, 60);
        String md = ProbeTable.markdown(List.of(withCodes, result("older file", List.of(0.82), List.of(0.78))));
        assertThat(md).contains("| features | 80.00 | 82.00 |\n| quantizer codes | 90.00 | – |\n| layer 1 | – | 78.00 |\n");
    }

    @Test
    void singleProbesHaveNoRangeAndAnEmptyListIsRefused() {
        String md = ProbeTable.markdown(List.of(result("old", List.of(0.8), List.of(0.7))));
        assertThat(md).startsWith("Linear CTC on frozen representations, validation CER %.\n")
                .contains("| features | 80.00 |").doesNotContain("[");
        assertThatThrownBy(() -> ProbeTable.markdown(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void measuredCtcLossesGetASecondTableAndSurviveJson() throws Exception {
        LayerProbe.Result measured = new LayerProbe.Result("pre-trained", List.of(
                new LayerProbe.LayerScore("layer 1", 256, 1.0, 0.8, 900, List.of(0.79, 0.81), List.of(2.5, 2.7))),
                146, 180, 60);
        String md = ProbeTable.markdown(List.of(measured, result("older file", List.of(0.82), List.of(0.78))));
        assertThat(md).contains("| layer 1 | 80.00 [79.00–81.00] | 78.00 |\n")
                .contains("\nThe same probes' validation CTC loss, bits per character (lower is better), mean [range]"
                        + " over 2 probe seeds.\n")
                .endsWith("| layer 1 | 2.600 [2.500–2.700] | – |\n| features | – | – |\n");
        // files written before the loss was measured read as not measured; newer ones keep it
        var json = org.speechwb.engine.config.ConfigIO.json();
        LayerProbe.LayerScore back = json.readValue(json.writeValueAsString(measured.layers().get(0)),
                LayerProbe.LayerScore.class);
        assertThat(back.probeBits()).containsExactly(2.5, 2.7);
        assertThat(back.bits()).isEqualTo(2.6, org.assertj.core.data.Offset.offset(1e-12));
        LayerProbe.LayerScore old = json.readValue("{\"layer\":\"layer 1\",\"dimension\":256,\"wer\":1.0,"
                + "\"cer\":0.8,\"bestUpdate\":900,\"probeCers\":[0.8]}", LayerProbe.LayerScore.class);
        assertThat(old.probeBits()).isEmpty();
        assertThat(old.bits()).isNaN();
        assertThat(ProbeTable.markdown(List.of(new LayerProbe.Result("old", List.of(old), 1, 1, 1))))
                .doesNotContain("bits per character");
    }
}
