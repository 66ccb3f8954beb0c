package org.speechwb.engine.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.eval.ModelSelection;
import org.speechwb.engine.probe.ProbeRecipe;

class ExperimentRecipeTest {

    @Test
    void aNewFolderGetsTheRecipeWrittenAndKeepsIt(@TempDir Path out) throws Exception {
        ExperimentConfig cfg = ExperimentConfig.defaults();
        Map<String, Object> recipe = ExperimentRecipe.of(cfg, ExperimentRecipe.Kept.NEW);
        ExperimentRecipe.check(out, recipe);
        assertThat(out.resolve(ExperimentRecipe.FILE)).isRegularFile();
        // the same settings again pass, though the file reads its numbers back as other boxed types
        ExperimentRecipe.check(out, ExperimentRecipe.of(cfg, ExperimentRecipe.read(out)));
        assertThat(ExperimentRecipe.read(out)).isEqualTo(ExperimentRecipe.Kept.NEW);

        ExperimentConfig longer = cfg.toBuilder().pretrainUpdates(cfg.pretrainUpdates() + 1)
                .finetuneUpdates(cfg.finetuneUpdates() * 2).build();
        assertThatThrownBy(() -> ExperimentRecipe.check(out, ExperimentRecipe.of(longer, ExperimentRecipe.read(out))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(out.toString())
                .hasMessageContaining("pretrainUpdates " + cfg.pretrainUpdates() + " -> " + longer.pretrainUpdates())
                .hasMessageContaining("finetuneUpdates " + cfg.finetuneUpdates() + " -> " + longer.finetuneUpdates());
    }

    @Test
    void keysAddedLaterAreLeftOutAtTheValuesOlderFoldersHad() {
        ExperimentConfig cfg = ExperimentConfig.defaults();
        Map<String, Object> old = ExperimentRecipe.of(cfg, new ExperimentRecipe.Kept(ModelSelection.WER_FLOOR,
                ProbeRecipe.SINGLE));
        assertThat(old).doesNotContainKeys("probes", "pretrainSeed", "pretrainPerSeed", "pretrainedModel")
                .containsEntry("selection", ModelSelection.WER_FLOOR.description());
        assertThat(ExperimentRecipe.of(cfg.toBuilder().pretrainPerSeed(true).build(), ExperimentRecipe.Kept.NEW))
                .containsEntry("pretrainPerSeed", true).containsEntry("probes", ProbeRecipe.DEFAULT.toMap());
    }

    @Test
    void anUnreadableRecipeIsNamed(@TempDir Path out) throws Exception {
        Files.writeString(out.resolve(ExperimentRecipe.FILE), "{\"selection\": ");
        assertThatThrownBy(() -> ExperimentRecipe.read(out)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining(out.resolve(ExperimentRecipe.FILE).toString()).hasMessageContaining("not valid JSON");
        Files.writeString(out.resolve(ExperimentRecipe.FILE), "[]");
        assertThatThrownBy(() -> ExperimentRecipe.check(out, Map.of())).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("not an experiment recipe");
    }
}
