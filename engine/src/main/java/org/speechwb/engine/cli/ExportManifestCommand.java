package org.speechwb.engine.cli;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.speechwb.engine.data.CancellationToken;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetFormatException;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.DatasetSplitter;
import org.speechwb.engine.data.ManifestExporter;
import org.speechwb.engine.data.ManifestExporter.ExportedManifest;
import org.speechwb.engine.data.Splits;
import org.speechwb.engine.data.Utterance;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code export-manifest}: writes a dataset (optionally split) as fairseq manifests. */
@Command(name = "export-manifest", mixinStandardHelpOptions = true,
        description = "Write a dataset as fairseq wav2vec manifests (<name>.tsv, plus .ltr/.wrd when all rows "
                + "are labeled). With --split, writes train/valid/test manifests.")
final class ExportManifestCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PATH", description = "dataset folder or manifest file")
    Path path;

    @Option(names = {"-o", "--out"}, required = true, description = "output folder")
    Path out;

    @Option(names = "--name", defaultValue = "all", description = "manifest name without --split (default: ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--split", description = "split first: ${COMPLETION-CANDIDATES}")
    DatasetSplitter.Strategy split;

    @Option(names = "--valid", defaultValue = "0.1", description = "valid fraction (default: ${DEFAULT-VALUE})")
    double valid;

    @Option(names = "--test", defaultValue = "0.1", description = "test fraction (default: ${DEFAULT-VALUE})")
    double test;

    @Option(names = "--seed", defaultValue = "1", description = "split seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--labeled-only", description = "export only utterances that have a transcript")
    boolean labeledOnly;

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } catch (NoSuchFileException e) {
            System.err.println("export-manifest: no such file or folder: " + e.getFile());
            return 2;
        } catch (DatasetFormatException | IllegalArgumentException e) {
            System.err.println("export-manifest: " + e.getMessage());
            return 2;
        }
    }

    private int run() throws Exception {
        Dataset ds = DatasetLoader.open(path, new ScanProgress(System.err), CancellationToken.none());
        List<Utterance> utts = labeledOnly ? ds.utterances().stream().filter(Utterance::labeled).toList()
                : ds.utterances();
        if (!ds.skipped().isEmpty()) {
            System.err.println(ds.skipped().size() + " file(s) skipped during the scan (see dataset-info)");
        }
        if (split == null) {
            report(ManifestExporter.write(out, name, utts));
            return 0;
        }
        Splits s = DatasetSplitter.split(utts, split, valid, test, seed);
        for (String part : List.of("train", "valid", "test")) {
            List<Utterance> rows = s.get(part);
            if (rows.isEmpty()) {
                System.out.println(part + ": empty, not written");
            } else {
                report(ManifestExporter.write(out, part, rows));
            }
        }
        return 0;
    }

    private static void report(ExportedManifest m) {
        System.out.printf(Locale.ROOT, "%s: %d rows%s%n", m.tsv(), m.rows(),
                m.labeled() ? " (+ " + m.ltr().getFileName() + ", " + m.wrd().getFileName() + ")" : " (unlabeled)");
    }
}
