package org.speechwb.engine.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.eval.ReportWriter;
import org.speechwb.engine.eval.ScoreReport;
import org.speechwb.engine.eval.SplitSummary;
import org.speechwb.engine.recognize.Recognizer;
import org.speechwb.engine.recognize.Transcriber;
import org.speechwb.engine.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "WER and CER of a fine-tuned model on a labeled dataset split, with CSV and Markdown reports.")
final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    DecodingOptions options;

    @Option(names = "--data", defaultValue = "datasets/harvard-tts", description = "labeled dataset")
    Path data;

    @Option(names = "--split", defaultValue = "test", description = "split to score (or 'all'); default ${DEFAULT-VALUE}")
    String split;

    @Option(names = "--out", description = "folder for report.csv and report.md")
    Path out;

    @Override
    public Integer call() throws Exception {
        Recognizer r = options.recognizer();
        Transcriber t = options.transcriber(r);
        Dataset ds = DatasetLoader.open(Cli.resolve(data));
        List<Utterance> us = TrainingData.select(ds, split).stream().filter(Utterance::labeled).toList();
        ScoreReport report = t.evaluate(us, split, options.lm != null || options.beam > 0);
        SplitSummary s = report.overall();
        System.out.printf(Locale.ROOT, "%s [%s]: %d utterances  WER %.2f %%  CER %.2f %%  (S %d, I %d, D %d of %d words)%n",
                ds.root(), split, s.utterances(), 100 * s.wer(), 100 * s.cer(), s.words().substitutions(),
                s.words().insertions(), s.words().deletions(), s.words().referenceLength());
        if (out != null) {
            Path dir = Cli.resolve(out);
            Files.createDirectories(dir);
            ReportWriter.writeCsv(report, dir.resolve("report.csv"));
            List<String> notes = new ArrayList<>();
            notes.add("model: " + r.checkpoint() + " (update " + r.update() + ")");
            notes.add("decoder: " + (options.lm != null ? "beam " + Math.max(options.beam, 32) + " + LM " + options.lm
                    + " (alpha " + options.alpha + ", beta " + options.beta + ")" : options.beam > 0 ? "beam " + options.beam
                    : "greedy"));
            ReportWriter.writeMarkdown(report, dir.resolve("report.md"), "Evaluation of " + ds.root() + " [" + split + "]",
                    notes);
            System.out.println("reports: " + dir.resolve("report.csv") + ", " + dir.resolve("report.md"));
        }
        return 0;
    }
}
