package org.speechwb.engine.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.speechwb.engine.recognize.Recognizer;
import org.speechwb.engine.recognize.Transcriber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Transcribe audio files with a fine-tuned model (greedy, or beam search with an optional LM).")
final class DecodeCommand implements Callable<Integer> {

    @Mixin
    DecodingOptions options;

    @Parameters(arity = "1..*", description = "WAV/FLAC files")
    List<Path> audio;

    @Override
    public Integer call() throws Exception {
        Recognizer r = options.recognizer();
        Transcriber t = options.transcriber(r);
        for (Path a : audio) {
            Transcriber.Result res = t.transcribe(Cli.resolve(a));
            System.out.println(a + "\t" + res.best().text());
        }
        return 0;
    }
}
