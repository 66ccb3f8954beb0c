package org.speechwb.engine.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.interop.SafeUnpickler.TorchTensor;
import org.speechwb.engine.interop.handoff.FairseqCheckpointWriter;

/**
 * fairseq export: a fairseq pre-training checkpoint, imported and exported again, has the same
 * state dict (every key, shape and value) and gives the same model config on import.
 */
class FairseqExportTest {

    @TempDir
    Path tmp;

    private static Path fairseq(String name) {
        return ReferenceEqualityTest.fixture("fairseq").resolve(name);
    }

    @Test
    void importThenExportGivesBackFairseqsStateDictAndConfig() throws Exception {
        Path out = importThenExport("base-pretrain-dict.pt", "checkpoint_best.pt");

        try (TorchZip a = TorchZip.open(fairseq("base-pretrain-dict.pt")); TorchZip b = TorchZip.open(out)) {
            Map<?, ?> sa = (Map<?, ?>) ((Map<?, ?>) a.root()).get("model");
            Map<?, ?> sb = (Map<?, ?>) ((Map<?, ?>) b.root()).get("model");
            assertThat(keys(sb)).containsExactlyInAnyOrderElementsOf(keys(sa));
            for (Object k : sa.keySet()) {
                TorchTensor ta = (TorchTensor) sa.get(k);
                TorchTensor tb = (TorchTensor) sb.get(String.valueOf(k));
                assertThat(tb.size()).as("%s", k).containsExactly(ta.size());
                assertThat(b.read(String.valueOf(k), tb)).as("%s", k).containsExactly(a.read(String.valueOf(k), ta));
            }
            Map<?, ?> root = (Map<?, ?>) b.root();
            assertThat(keys(root)).contains("cfg", "model", "optimizer_history", "extra_state");
            Map<?, ?> history = (Map<?, ?>) ((List<?>) root.get("optimizer_history")).get(0);
            assertThat(keys(history)).contains("criterion_name", "optimizer_name", "lr_scheduler_state", "num_updates");
            assertThat(((Map<?, ?>) ((Map<?, ?>) root.get("extra_state")).get("train_iterator")).get("epoch")).isEqualTo(1L);
        }
        try (FairseqCheckpoint a = FairseqCheckpoint.open(fairseq("base-pretrain-dict.pt"), null);
             FairseqCheckpoint b = FairseqCheckpoint.open(out, null)) {
            assertThat(b.cfgKind()).isEqualTo("cfg (dict)");
            assertThat(b.pretraining()).isTrue();
            assertThat(b.config()).isEqualTo(a.config());
            assertThat(b.normalize()).isEqualTo(a.normalize());
            assertThat(b.modelConfig()).containsEntry("_name", "wav2vec2").containsEntry("quantize_targets", true);
        }
    }

    @Test
    void aRecipeOtherThanBasesSurvivesExportAndImport() throws Exception {
        Path out = importThenExport("base-pretrain-recipe.pt", "checkpoint_last.pt");
        Path run = tmp.resolve("run");
        Path again = tmp.resolve("again");
        CheckpointImporter.importCheckpoint(out, null, again, List.of(), null);
        org.speechwb.engine.config.PretrainConfig first = new org.speechwb.engine.run.RunFolder(run).config();
        org.speechwb.engine.config.PretrainConfig second = new org.speechwb.engine.run.RunFolder(again).config();
        assertThat(second.quantizer()).isEqualTo(first.quantizer())
                .isEqualTo(new org.speechwb.engine.config.QuantizerSchedule(1.5, 0.25, 0.995));
        assertThat(second.loss()).isEqualTo(first.loss());
        assertThat(second.loss().diversityWeight()).isEqualTo(0.3);
    }

    /** Imports a fairseq fixture as the run folder {@code tmp/run} and exports it to {@code tmp/export/NAME}. */
    private Path importThenExport(String fixture, String name) throws Exception {
        Path run = tmp.resolve("run");
        CheckpointImporter.importCheckpoint(fairseq(fixture), null, run, List.of(), null);
        Path out = tmp.resolve("export").resolve(name);
        FairseqCheckpointWriter.export(run, out);
        return out;
    }

    private static List<String> keys(Map<?, ?> m) {
        return m.keySet().stream().map(String::valueOf).toList();
    }

    @Test
    void aFineTunedModelIsRefusedWithTheWayOut() throws Exception {
        Path run = tmp.resolve("ctc");
        CheckpointImporter.importCheckpoint(fairseq("base-ctc-dictconfig.pt"), fairseq("dict.ltr.txt"), run, List.of(), null);
        assertThatThrownBy(() -> FairseqCheckpointWriter.export(run, tmp.resolve("x.pt")))
                .hasMessageContaining("--format hf").hasMessageContaining("model.w2v_path");
    }
}
