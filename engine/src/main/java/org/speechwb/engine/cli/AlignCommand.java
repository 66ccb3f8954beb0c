package org.speechwb.engine.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.ctc.Alignment;
import org.speechwb.engine.ctc.CtcAligner;
import org.speechwb.engine.ctc.Posteriorgram;
import org.speechwb.engine.ctc.WordSegment;
import org.speechwb.engine.recognize.Recognizer;
import org.speechwb.engine.text.TranscriptNormalizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "align", mixinStandardHelpOptions = true,
        description = "CTC forced alignment of a transcript to an utterance: start and end of every letter and word.")
final class AlignCommand implements Callable<Integer> {

    @Mixin
    DecodingOptions options;

    @Option(names = "--audio", required = true, description = "the utterance (any audio file the workbench reads)")
    Path audio;

    @Option(names = "--text", required = true, description = "the transcript to align")
    String text;

    @Option(names = "--out", description = "JSON with letter and word segments (and the posteriorgram as .csv beside it)")
    Path out;

    @Override
    public Integer call() throws Exception {
        Recognizer r = options.recognizer();
        float[][] lp = r.logProbs(Cli.resolve(audio));
        Alignment a = new CtcAligner(r.vocabulary()).align(lp, TranscriptNormalizer.normalize(text), r.frameSeconds());
        for (WordSegment w : a.words()) {
            System.out.printf(Locale.ROOT, "%7.3f %7.3f  %-15s %.3f%n", w.startSeconds(), w.endSeconds(), w.word(), w.score());
        }
        if (out != null) {
            Path o = Cli.resolve(out);
            java.nio.file.Files.writeString(o, ConfigIO.json().writeValueAsString(a));
            Posteriorgram.fromLogProbs(lp, r.vocabulary(), r.frameSeconds())
                    .writeCsv(o.resolveSibling(o.getFileName().toString().replaceAll("\\.json$", "") + ".posteriorgram.csv"));
        }
        return 0;
    }
}
