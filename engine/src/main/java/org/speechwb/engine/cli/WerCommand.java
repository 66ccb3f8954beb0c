package org.speechwb.engine.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.speechwb.engine.eval.ReportWriter;
import org.speechwb.engine.eval.ScoreReport;
import org.speechwb.engine.eval.SplitSummary;
import org.speechwb.engine.eval.TranscriptTable;
import org.speechwb.engine.eval.WerScorer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wer}: scores hypotheses against references by utterance id; writes CSV and Markdown reports. */
@Command(name = "wer", mixinStandardHelpOptions = true,
        description = "Score a hypothesis TSV (id<TAB>text) against a reference TSV (id<TAB>text, or a table with a "
                + "header naming id, text and optionally split); write <out>/wer.csv and <out>/wer.md.")
final class WerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--ref", required = true, description = "reference transcripts")
    Path ref;

    @Option(names = "--hyp", required = true, description = "hypotheses")
    Path hyp;

    @Option(names = {"--out", "-o"}, required = true, description = "folder for wer.csv and wer.md")
    Path out;

    @Option(names = "--no-normalize", description = "score the texts as they are (default: normalise both sides)")
    boolean noNormalize;

    @Option(names = "--title", defaultValue = "WER report", description = "title of the Markdown report")
    String title;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try {
            Path r = readable(ref);
            Path h = readable(hyp);
            ScoreReport report = new WerScorer(!noNormalize).score(TranscriptTable.read(r), TranscriptTable.read(h));
            Files.createDirectories(out);
            Path csv = out.resolve("wer.csv");
            Path md = out.resolve("wer.md");
            ReportWriter.writeCsv(report, csv);
            ReportWriter.writeMarkdown(report, md, title, List.of("References: `" + ref + "`", "Hypotheses: `" + hyp + "`",
                    noNormalize ? "Texts scored as given." : "Both sides normalised (TranscriptNormalizer) before scoring."));
            stdout.printf(Locale.ROOT, "%-10s %6s %7s %8s %8s%n", "split", "utts", "words", "WER", "CER");
            List<SplitSummary> splits = report.bySplit();
            for (SplitSummary s : splits) {
                print(stdout, s);
            }
            if (splits.size() > 1) {
                print(stdout, report.overall());
            }
            if (!report.missingHypotheses().isEmpty()) {
                stdout.printf("%d reference utterance(s) had no hypothesis (scored as empty)%n",
                        report.missingHypotheses().size());
            }
            if (!report.unmatchedHypotheses().isEmpty()) {
                stdout.printf("%d hypothesis id(s) had no reference (ignored)%n", report.unmatchedHypotheses().size());
            }
            stdout.println("wrote " + csv + " and " + md);
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            stderr.println("wer: " + e.getMessage());
            return 1;
        } finally {
            stdout.flush();
            stderr.flush();
        }
    }

    private static void print(PrintWriter w, SplitSummary s) {
        w.printf(Locale.ROOT, "%-10s %6d %7d %7.2f%% %7.2f%%%n", s.split(), s.utterances(), s.words().referenceLength(),
                100 * s.wer(), 100 * s.cer());
    }

    private static Path readable(Path p) throws IOException {
        Path r = Cli.resolve(p);
        if (!Files.isRegularFile(r)) {
            throw new IOException("no such file: " + p);
        }
        return r;
    }
}
