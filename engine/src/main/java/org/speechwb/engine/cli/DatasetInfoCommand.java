package org.speechwb.engine.cli;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetFormatException;
import org.speechwb.engine.data.DatasetFormat;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.CancellationToken;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dataset-info <path>}: scans a dataset (headers only) and prints its summary. */
@Command(name = "dataset-info", mixinStandardHelpOptions = true,
        description = "Scan a dataset (folder, LibriSpeech, fairseq manifest, workbench corpus, transcripts.tsv) "
                + "and print utterances, hours, durations, speakers, labels, sample rates and skipped files.")
final class DatasetInfoCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PATH", description = "dataset folder or manifest file")
    Path path;

    @Option(names = "--format", description = "force a layout instead of detecting it: ${COMPLETION-CANDIDATES}")
    DatasetFormat format;

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } catch (NoSuchFileException e) {
            System.err.println("dataset-info: no such file or folder: " + e.getFile());
            return 2;
        } catch (DatasetFormatException | IllegalArgumentException e) {
            System.err.println("dataset-info: " + e.getMessage());
            return 2;
        }
    }

    private int run() throws Exception {
        DatasetFormat f = format != null ? format : DatasetLoader.detect(path);
        Dataset ds = DatasetLoader.open(path, f, new ScanProgress(System.err), CancellationToken.none());
        System.out.println("Dataset:        " + ds.root() + " (" + ds.format() + ")");
        System.out.print(ds.summary().render());
        System.out.println("Fingerprint:    " + ds.fingerprint());
        return 0;
    }
}
