package org.speechwb.engine.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.speechwb.engine.ctc.lm.KneserNeyTrainer;
import org.speechwb.engine.ctc.lm.NgramModel;
import org.speechwb.engine.ctc.lm.Perplexity;
import org.speechwb.engine.ctc.lm.TextCorpus;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lm}: trains a word n-gram language model (interpolated modified Kneser-Ney) for the CTC
 * beam search and writes it as an ARPA file; reports perplexity on held-out text next to a
 * unigram model's, so the user sees what the context buys.
 */
@Command(name = "lm", mixinStandardHelpOptions = true,
        description = "Train a word n-gram LM (modified Kneser-Ney) from a text file into an ARPA file; "
                + "print perplexity on held-out text.")
final class LmCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--text", required = true, description = "training text, one sentence per line (normalised on reading)")
    Path text;

    @Option(names = {"--out", "-o"}, required = true, description = "ARPA file to write")
    Path out;

    @Option(names = "--order", defaultValue = "3", description = "n-gram order (default ${DEFAULT-VALUE})")
    int order;

    @Option(names = "--held-out", description = "text file to report perplexity on")
    Path heldOut;

    @Option(names = "--held-out-every", defaultValue = "0",
            description = "hold out every N-th line of --text for perplexity instead (0: off)")
    int heldOutEvery;

    @Option(names = "--exclude", split = ",",
            description = "files whose sentences are removed from the training text (e.g. test.wrd, to keep a test set "
                    + "out of its own LM)")
    List<Path> exclude = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try {
            return run(stdout);
        } catch (IOException | IllegalArgumentException e) {
            stderr.println("lm: " + e.getMessage());
            return 1;
        } finally {
            stdout.flush();
            stderr.flush();
        }
    }

    private int run(PrintWriter stdout) throws IOException {
        if (heldOut != null && heldOutEvery > 0) {
            throw new IllegalArgumentException("give --held-out or --held-out-every, not both");
        }
        List<String> all = TextCorpus.read(readable(text));
        List<String> train = new ArrayList<>();
        List<String> held = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (heldOutEvery > 0 && i % heldOutEvery == heldOutEvery - 1 ? held : train).add(all.get(i));
        }
        for (Path p : exclude) {
            int before = train.size();
            train = TextCorpus.without(train, TextCorpus.read(readable(p)));
            stdout.printf(Locale.ROOT, "excluded %d training sentence(s) found in %s%n", before - train.size(), p);
        }
        if (heldOut != null) {
            held = TextCorpus.read(readable(heldOut));
        }
        KneserNeyTrainer trainer = new KneserNeyTrainer(order);
        NgramModel lm = trainer.train(train);
        lm.writeArpa(out);
        StringBuilder counts = new StringBuilder();
        for (int k = 1; k <= order; k++) {
            counts.append(k > 1 ? ", " : "").append(lm.ngramCount(k)).append(' ').append(k).append("-grams");
            double[] d = trainer.discounts(k);
            counts.append(String.format(Locale.ROOT, " (D %.3f %.3f %.3f)", d[0], d[1], d[2]));
        }
        stdout.printf(Locale.ROOT, "trained a %d-gram model on %d sentences: %s%n", order, train.size(), counts);
        stdout.println("wrote " + out.toAbsolutePath().normalize());
        stdout.println("training text:  " + lm.perplexity(train));
        if (!held.isEmpty()) {
            Perplexity p = lm.perplexity(held);
            Perplexity uni = new KneserNeyTrainer(1).train(train).perplexity(held);
            stdout.println("held-out text:  " + p);
            stdout.printf(Locale.ROOT, "unigram model on the held-out text: perplexity %.2f%n", uni.perplexity());
        }
        return 0;
    }

    private static Path readable(Path p) throws IOException {
        Path r = Cli.resolve(p);
        if (!Files.isRegularFile(r)) {
            throw new IOException("no such file: " + p);
        }
        return r;
    }
}
