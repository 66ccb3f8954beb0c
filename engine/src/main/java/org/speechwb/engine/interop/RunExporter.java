package org.speechwb.engine.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.text.Vocabulary;

/** A run (or checkpoint) of the workbench → another toolkit's format. */
public final class RunExporter {

    private RunExporter() {
    }

    /** The checkpoint a run exports: a fine-tuning run's best, else the newest. */
    public static Path checkpointOf(Path runOrCheckpoint) throws IOException {
        if (!Files.isDirectory(runOrCheckpoint)) {
            return runOrCheckpoint;
        }
        RunFolder run = new RunFolder(runOrCheckpoint);
        if (Files.isRegularFile(run.bestCheckpointFile())) {
            return run.bestCheckpointFile();
        }
        List<Path> all = run.checkpoints();
        if (all.isEmpty()) {
            throw new InteropException(runOrCheckpoint, "this run has no checkpoint yet");
        }
        return all.get(all.size() - 1);
    }

    /**
     * A wav2vec 2.0 checkpoint of ours, read for export: its parameters (engine layout) and its
     * config, {@code pretrain} for a pre-training run, {@code finetune} (with {@code vocabulary})
     * for a CTC one.
     */
    public record Model(Path file, List<HfExport.Tensor> params, PretrainConfig pretrain, FinetuneConfig finetune,
                        Vocabulary vocabulary) {
        public boolean ctc() {
            return finetune != null;
        }

        public Wav2Vec2Config wav2vec2() {
            return ctc() ? finetune.wav2vec2() : pretrain.wav2vec2();
        }

        public boolean normalize() {
            return ctc() ? finetune.data().normalize() : pretrain.data().normalize();
        }
    }

    /** Reads the checkpoint {@code runOrCheckpoint} names; only wav2vec 2.0 models export. */
    public static Model read(Path runOrCheckpoint) throws IOException {
        Path file = checkpointOf(runOrCheckpoint);
        Checkpoint.Loaded c;
        try {
            c = Checkpoint.read(file);
        } catch (org.speechwb.engine.run.CheckpointException e) {
            throw new InteropException(file, e.getMessage(), e);
        }
        String yaml = c.meta().config();
        boolean ctc = c.meta().vocabulary() != null;
        List<HfExport.Tensor> params = new ArrayList<>();
        for (int i = 0; i < c.meta().tensors().size(); i++) {
            Checkpoint.TensorInfo t = c.meta().tensors().get(i);
            params.add(new HfExport.Tensor(t.name(), t.shape(),
                    c.params().get(i).castTo(DataType.FLOAT).dup('c').data().asFloat()));
        }
        try {
            if (ctc) {
                return new Model(file, params, null, ConfigIO.readYaml(yaml, FinetuneConfig.class, file),
                        Vocabulary.of(c.meta().vocabulary()));
            }
            PretrainConfig cfg = ConfigIO.readYaml(yaml, PretrainConfig.class, file);
            if (cfg.isWav2Vec1()) {
                throw new InteropException(file, "family " + cfg.family() + " has no transformers or fairseq wav2vec 2.0"
                        + " counterpart; only wav2vec 2.0 runs export");
            }
            if (cfg.loss().clusterTargets()) {
                throw new InteropException(file, "it was pre-trained on MFCC cluster targets (loss.mfccClusters): the"
                        + " wav2vec 2.0 formats have no place for its cluster embeddings and centroids, and its quantizer"
                        + " was never trained. Fine-tune it here (the encoder and Transformer carry over) and export the"
                        + " fine-tuned model");
            }
            return new Model(file, params, cfg, null, null);
        } catch (ConfigException e) {
            throw new InteropException(file, "its stored config is invalid: " + e.getMessage(), e);
        }
    }

    /** Writes a Hugging Face transformers folder (see {@link HfExport}); returns the checkpoint exported. */
    public static Path exportHf(Path runOrCheckpoint, Path out) throws IOException {
        Model m = read(runOrCheckpoint);
        if (m.ctc()) {
            FinetuneConfig cfg = m.finetune();
            HfExport.write(out, cfg.wav2vec2(), m.params(), true, m.vocabulary(), cfg.data().normalize(),
                    cfg.finalDropout(), cfg.masking().maskProb(), cfg.masking().maskLength());
        } else {
            PretrainConfig cfg = m.pretrain();
            HfExport.write(out, cfg.wav2vec2(), m.params(), false, null, cfg.data().normalize(), 0.0,
                    cfg.masking().maskProb(), cfg.masking().maskLength());
        }
        return m.file();
    }
}
