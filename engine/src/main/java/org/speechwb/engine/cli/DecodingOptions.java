package org.speechwb.engine.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.speechwb.engine.ctc.BeamSearchConfig;
import org.speechwb.engine.ctc.lm.NgramModel;
import org.speechwb.engine.recognize.Recognizer;
import org.speechwb.engine.recognize.Transcriber;
import org.speechwb.engine.run.CheckpointException;
import picocli.CommandLine.Option;

/** Model and decoder options shared by decode, evaluate and align. */
final class DecodingOptions {

    @Option(names = "--model", required = true,
            description = "fine-tuned checkpoint, or a fine-tuning run folder (the checkpoint it kept on validation, best.ckpt)")
    Path model;

    @Option(names = "--lm", description = "ARPA n-gram language model (see the lm command); enables beam search")
    Path lm;

    @Option(names = "--beam", defaultValue = "0", description = "beam width (0: greedy only, unless --lm is given: 32)")
    int beam;

    @Option(names = "--alpha", defaultValue = "0.5", description = "LM weight; default ${DEFAULT-VALUE}")
    double alpha;

    @Option(names = "--beta", defaultValue = "1.0", description = "word insertion bonus; default ${DEFAULT-VALUE}")
    double beta;

    Recognizer recognizer() throws CheckpointException, IOException {
        return Recognizer.open(Cli.resolve(model));
    }

    Transcriber transcriber(Recognizer r) throws IOException {
        NgramModel language = lm == null ? null : NgramModel.readArpa(Cli.resolve(lm));
        int width = beam > 0 ? beam : (lm != null ? 32 : 0);
        BeamSearchConfig cfg = width == 0 ? null : BeamSearchConfig.defaults().withBeamWidth(width)
                .withLm(language == null ? 0 : alpha, language == null ? 0 : beta);
        return new Transcriber(r, cfg, language);
    }
}
