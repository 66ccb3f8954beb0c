package org.speechwb.engine.eval;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link ScoreReport} as CSV (one row per utterance, for spreadsheets and scripts) and
 * as Markdown (summary table per split, then every utterance with its errors marked, for
 * reading and for pasting into notes).
 */
public final class ReportWriter {

    private ReportWriter() {
    }

    /**
     * Columns {@code id, split, ref, hyp, errors, S, I, D, N, WER, CER}: S, I, D, N are word
     * counts (N = reference words), WER and CER fractions (not percent); {@code inf} for an
     * empty reference with a non-empty hypothesis. RFC 4180 quoting.
     */
    public static void writeCsv(ScoreReport report, Path file) throws IOException {
        createParent(file);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("id,split,ref,hyp,errors,S,I,D,N,WER,CER\n");
            for (UtteranceScore u : report.utterances()) {
                ErrorCounts c = u.wordCounts();
                w.write(String.join(",", csv(u.id()), csv(u.split()), csv(u.reference()), csv(u.hypothesis()),
                        String.valueOf(c.errors()), String.valueOf(c.substitutions()), String.valueOf(c.insertions()),
                        String.valueOf(c.deletions()), String.valueOf(c.referenceLength()), fraction(u.wer()),
                        fraction(u.cer())));
                w.write('\n');
            }
        }
    }

    /** Summary table (one row per split and one for all) and per-utterance lines with the differences marked. */
    public static void writeMarkdown(ScoreReport report, Path file, String title, List<String> notes) throws IOException {
        createParent(file);
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title).append("\n\n");
        for (String n : notes) {
            sb.append(n).append("  \n");
        }
        if (!notes.isEmpty()) {
            sb.append('\n');
        }
        sb.append("| split | utterances | ref words | S | I | D | WER | ref chars | CER | sentences wrong |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        List<SplitSummary> splits = report.bySplit();
        for (SplitSummary s : splits) {
            summaryRow(sb, s);
        }
        if (splits.size() > 1) {
            summaryRow(sb, report.overall());
        }
        sb.append("\nWER and CER are corpus-level: errors summed over utterances divided by reference words "
                + "(characters, spaces included). In the lines below [REF→HYP] is a substitution, [-REF] a deletion, "
                + "[+HYP] an insertion.\n");
        if (!report.missingHypotheses().isEmpty()) {
            sb.append("\n").append(report.missingHypotheses().size())
                    .append(" reference utterance(s) had no hypothesis and count as all deletions: ")
                    .append(idList(report.missingHypotheses())).append('\n');
        }
        if (!report.unmatchedHypotheses().isEmpty()) {
            sb.append("\n").append(report.unmatchedHypotheses().size())
                    .append(" hypothesis id(s) had no reference and were ignored: ")
                    .append(idList(report.unmatchedHypotheses())).append('\n');
        }
        String current = null;
        for (UtteranceScore u : report.utterances()) {
            if (!u.split().equals(current)) {
                current = u.split();
                sb.append("\n## ").append(current).append("\n\n");
            }
            ErrorCounts c = u.wordCounts();
            sb.append("- `").append(u.id()).append("` ");
            if (c.errors() == 0 && u.characters().errors() == 0) {
                sb.append("correct: ").append(escape(u.reference())).append('\n');
                continue;
            }
            sb.append(String.format(Locale.ROOT, "WER %s (S %d, I %d, D %d of %d), CER %s: ", percent(u.wer()),
                    c.substitutions(), c.insertions(), c.deletions(), c.referenceLength(), percent(u.cer())));
            sb.append(escape(u.words().render())).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    private static void summaryRow(StringBuilder sb, SplitSummary s) {
        ErrorCounts w = s.words();
        sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %s | %d | %s | %d (%s) |%n", escape(s.split()),
                s.utterances(), w.referenceLength(), w.substitutions(), w.insertions(), w.deletions(), percent(s.wer()),
                s.characters().referenceLength(), percent(s.cer()), s.sentenceErrors(), percent(s.sentenceErrorRate())));
    }

    private static String idList(List<String> ids) {
        int shown = Math.min(10, ids.size());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shown; i++) {
            sb.append(i > 0 ? ", " : "").append('`').append(ids.get(i)).append('`');
        }
        if (ids.size() > shown) {
            sb.append(", … (").append(ids.size() - shown).append(" more)");
        }
        return sb.toString();
    }

    static String percent(double rate) {
        return Double.isInfinite(rate) ? "inf" : String.format(Locale.ROOT, "%.2f%%", 100 * rate);
    }

    static String fraction(double rate) {
        return Double.isInfinite(rate) ? "inf" : String.format(Locale.ROOT, "%.4f", rate);
    }

    static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** Keeps table pipes and inline markup characters literal in Markdown. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '|' || c == '*' || c == '_' || c == '`' || c == '\\' || c == '<' || c == '>') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
