package org.speechwb.engine.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.run.Checkpoint;

/** Import → export --format hf → import gives back the same weights, config and vocabulary. */
class ExportRoundTripTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"base-ctc", "large-ctc", "base-pretrain"})
    void exportThenImportGivesBackIdenticalWeights(String name) throws Exception {
        Path first = tmp.resolve("first");
        CheckpointImporter.Result a = CheckpointImporter.importCheckpoint(ReferenceEqualityTest.fixture(name), null, first,
                List.of(), null);
        Path hf = tmp.resolve("hf");
        RunExporter.exportHf(first, hf);

        JsonNode cfg = ConfigIO.json().readTree(hf.resolve("config.json").toFile());
        JsonNode src = ConfigIO.json().readTree(ReferenceEqualityTest.fixture(name).resolve("config.json").toFile());
        for (String f : List.of("conv_dim", "conv_kernel", "conv_stride", "conv_bias", "feat_extract_norm", "hidden_size",
                "intermediate_size", "num_hidden_layers", "num_attention_heads", "do_stable_layer_norm",
                "num_conv_pos_embeddings", "num_conv_pos_embedding_groups", "architectures", "model_type")) {
            assertThat(cfg.get(f)).as(f).isEqualTo(src.get(f));
        }
        if (a.vocabulary() != null) {
            assertThat(cfg.get("pad_token_id")).isEqualTo(src.get("pad_token_id"));
            assertThat(cfg.get("vocab_size").asInt()).isEqualTo(src.get("vocab_size").asInt());
        }
        try (Safetensors s = Safetensors.open(hf.resolve("model.safetensors"))) {
            assertThat(s.metadata()).containsEntry("format", "pt");
            assertThat(s.tensors()).containsKey("wav2vec2.encoder.pos_conv_embed.conv.weight_g")
                    .containsKey("wav2vec2.encoder.pos_conv_embed.conv.weight_v");
        }

        Path second = tmp.resolve("second");
        CheckpointImporter.Result b = CheckpointImporter.importCheckpoint(hf, null, second, List.of(), null);
        assertThat(b.config()).isEqualTo(a.config());
        if (a.vocabulary() != null) {
            assertThat(b.vocabulary().tokens()).isEqualTo(a.vocabulary().tokens());
            assertThat(b.vocabulary().blank()).isEqualTo(a.vocabulary().blank());
        }
        Checkpoint.Loaded ca = Checkpoint.read(RunExporter.checkpointOf(first));
        Checkpoint.Loaded cb = Checkpoint.read(RunExporter.checkpointOf(second));
        assertThat(cb.meta().tensors().size()).isEqualTo(ca.meta().tensors().size());
        for (int i = 0; i < ca.params().size(); i++) {
            String n = ca.meta().tensors().get(i).name();
            assertThat(cb.meta().tensors().get(i).name()).isEqualTo(n);
            assertThat(cb.params().get(i)).as(n).isEqualTo(ca.params().get(i));
        }
    }
}
