package org.speechwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.probe.LayerProbe;
import org.speechwb.engine.testutil.RepoFiles;

import picocli.CommandLine;

/** The probe subcommand on the bundled real-speech sample, with a two-update pre-trained model. */
class ProbeCommandTest {

    @TempDir
    Path tmp;

    private static int run(String... args) {
        String previous = System.getProperty("speechwb.home");
        System.setProperty("speechwb.home", RepoFiles.root().toString());
        try {
            return new CommandLine(new SpeechWbCli()).execute(args);
        } finally {
            if (previous == null) {
                System.clearProperty("speechwb.home");
            } else {
                System.setProperty("speechwb.home", previous);
            }
        }
    }

    private List<LayerProbe.Result> probe(Path model, Path json, String... extra) throws Exception {
        String data = RepoFiles.root().resolve("datasets/speechocean762-sample").toString();
        // a high rate for a few updates: the probes leave the all-blank output, where every seed would score 100 %
        List<String> args = new java.util.ArrayList<>(List.of("probe", "--model", model.toString(), "--data", data,
                "--labeled-minutes", "1", "--updates", "12", "--lr", "0.3", "--out", json.toString()));
        args.addAll(List.of(extra));
        assertThat(run(args.toArray(String[]::new))).isZero();
        return List.of(ConfigIO.json().readValue(json.toFile(), LayerProbe.Result[].class));
    }

    @Test
    void probeSeedsRepeatEachLayersProbeOnTheSameModelsAndSubsetAndScoreTheMean() throws Exception {
        String data = RepoFiles.root().resolve("datasets/speechocean762-sample").toString();
        Path runs = tmp.resolve("runs");
        assertThat(run("pretrain", "--data", data, "--split", "all", "--runs", runs.toString(), "--name", "tiny",
                "--set", "run.maxUpdates=2", "--set", "optimizer.warmupUpdates=1")).isZero();
        Path model;
        try (Stream<Path> s = Files.list(runs)) {
            model = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }

        List<LayerProbe.Result> single = probe(model, tmp.resolve("single.json"), "--probe-seeds", "1");
        List<LayerProbe.Result> seeds = probe(model, tmp.resolve("seeds.json"), "--probe-seeds", "1,2");

        assertThat(seeds).extracting(LayerProbe.Result::model)
                .containsExactlyElementsOf(single.stream().map(LayerProbe.Result::model).toList());
        boolean anotherProbe = false;
        for (int m = 0; m < 2; m++) {
            List<LayerProbe.LayerScore> one = single.get(m).layers();
            List<LayerProbe.LayerScore> two = seeds.get(m).layers();
            assertThat(two).extracting(LayerProbe.LayerScore::layer)
                    .isEqualTo(one.stream().map(LayerProbe.LayerScore::layer).toList());
            for (int i = 0; i < one.size(); i++) {
                LayerProbe.LayerScore s = two.get(i);
                assertThat(one.get(i).probeCers()).containsExactly(one.get(i).cer());
                // probe seed 1 is the single probe again, on the same models and subset; the score is the mean
                assertThat(s.probeCers()).hasSize(2).first().isEqualTo(one.get(i).cer());
                assertThat(s.cer()).isCloseTo((s.probeCers().get(0) + s.probeCers().get(1)) / 2, within(1e-12));
                assertThat(s.cerMin()).isLessThanOrEqualTo(s.cer());
                assertThat(s.cerMax()).isGreaterThanOrEqualTo(s.cer());
                // each probe's validation CTC loss is measured, stored and averaged like its CER
                assertThat(s.probeBits()).hasSize(2).allMatch(b -> Double.isFinite(b) && b > 0)
                        .first().isEqualTo(one.get(i).probeBits().get(0));
                assertThat(s.bits()).isCloseTo((s.probeBits().get(0) + s.probeBits().get(1)) / 2, within(1e-12));
                anotherProbe |= !s.probeCers().get(1).equals(s.probeCers().get(0));
            }
        }
        assertThat(anotherProbe).as("probe seed 2 trains other probes than seed 1").isTrue();

        // some representations only, in the order asked; the codes are one-hot, a block of entries per group
        List<LayerProbe.Result> some = probe(model, tmp.resolve("some.json"), "--probe-seeds", "1",
                "--representations", "codes,1");
        for (int m = 0; m < 2; m++) {
            assertThat(some.get(m).layers()).extracting(LayerProbe.LayerScore::layer)
                    .containsExactly("quantizer codes", "layer 1");
            assertThat(some.get(m).layers().get(0).dimension()).isEqualTo(2 * 64);
            // the same probe of layer 1 as in the run of every representation
            assertThat(some.get(m).layers().get(1).cer()).isEqualTo(single.get(m).layers().get(2).cer());
        }
        assertThat(single.get(0).layers()).extracting(LayerProbe.LayerScore::layer).endsWith("quantizer codes");
    }
}
