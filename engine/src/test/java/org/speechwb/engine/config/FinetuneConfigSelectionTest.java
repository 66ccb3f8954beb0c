package org.speechwb.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.speechwb.engine.eval.ModelSelection;

/** Which rule keeps a fine-tuning run's best checkpoint: new configs name it, old run folders keep theirs. */
class FinetuneConfigSelectionTest {

    @Test
    void theShippedPresetsChooseWithoutTheCliffAndAConfigWrittenBeforeTheChoiceKeepsTheOldRule() throws Exception {
        for (String preset : new String[] {"ctc-small-cpu", "ctc-base-10m"}) {
            FinetuneConfig cfg = Presets.finetune(preset);
            assertThat(cfg.selection()).as(preset).isSameAs(ModelSelection.SOFT_FLOOR);
            String yaml = ConfigIO.toYaml(cfg);
            assertThat(ConfigIO.readYaml(yaml, FinetuneConfig.class, Path.of("config.yaml"))).isEqualTo(cfg);
            // a run folder's config.yaml from before the field existed: its best.ckpt was kept by the 95 % floor
            String old = yaml.replaceAll("(?m)^selection:.*\\n", "");
            assertThat(old).doesNotContain("selection");
            assertThat(ConfigIO.readYaml(old, FinetuneConfig.class, Path.of("config.yaml")).selection())
                    .isSameAs(ModelSelection.WER_FLOOR);
        }
        assertThat(Presets.finetune("ctc-small-cpu").withSelection(ModelSelection.WER_FLOOR).selection())
                .isSameAs(ModelSelection.WER_FLOOR);
    }
}
