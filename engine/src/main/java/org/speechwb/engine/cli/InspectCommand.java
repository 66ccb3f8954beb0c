package org.speechwb.engine.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.inspect.Inspection;
import org.speechwb.engine.inspect.Inspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Run a checkpoint on one utterance and write the frame-aligned masks, codes and predictions as JSON.")
final class InspectCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, description = "checkpoint file, or a run folder (its newest checkpoint)")
    Path checkpoint;

    @Option(names = "--audio", required = true, description = "WAV or FLAC file")
    Path audio;

    @Option(names = "--out", description = "output JSON file (default: print to standard output)")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the mask and distractor draw; default ${DEFAULT-VALUE}")
    long seed;

    @Override
    public Integer call() throws Exception {
        Inspector inspector = Inspector.open(Cli.resolve(checkpoint));
        Inspection i = inspector.inspect(Cli.resolve(audio), seed);
        String json = ConfigIO.json().writeValueAsString(i);
        if (out == null) {
            System.out.println(json);
        } else {
            java.nio.file.Files.writeString(out, json);
            System.out.printf(Locale.ROOT, "%s: %d frames, %d masked in %d spans, accuracy %.1f %%, contrastive %.3f bits -> %s%n",
                    audio, i.frames(), java.util.stream.IntStream.range(0, i.frames()).filter(t -> i.masked()[t]).count(),
                    i.maskSpans().size(), 100 * i.accuracy(), i.contrastiveBits(), out);
        }
        return 0;
    }
}
