package org.speechwb.engine.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.speechwb.engine.ctc.BeamSearchConfig;
import org.speechwb.engine.ctc.GreedyDecoder;
import org.speechwb.engine.ctc.PrefixBeamSearch;
import org.speechwb.engine.ctc.SyntheticPosteriors;
import org.speechwb.engine.ctc.lm.KneserNeyTrainer;
import org.speechwb.engine.ctc.lm.NgramModel;
import org.speechwb.engine.ctc.lm.TextCorpus;
import org.speechwb.engine.eval.ErrorCounts;
import org.speechwb.engine.eval.UtteranceScore;
import org.speechwb.engine.text.Vocabulary;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench-decode}: speed of the CTC decoders on synthetic posteriors (no model needed):
 * greedy, prefix beam search without and with a word LM, on one thread. Sentences are the
 * held-out Harvard sentences (every N-th line), the LM is trained on the others, so the
 * error rates printed alongside are those of an LM that has not seen the test text; they only
 * say that the LM repairs synthetic letter confusions, nothing about a real model.
 */
@Command(name = "bench-decode", mixinStandardHelpOptions = true,
        description = "Benchmark greedy and prefix-beam-search CTC decoding (with and without a word LM) on synthetic "
                + "posteriors of Harvard sentences: wall and thread CPU time, ms per utterance and real-time factor "
                + "(from CPU time), WER/CER.")
final class BenchDecodeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--text", defaultValue = "datasets/text/harvard-sentences.txt", description = "sentences (default ${DEFAULT-VALUE})")
    Path text;

    @Option(names = "--held-out-every", defaultValue = "10", description = "decode every N-th sentence, train the LM on the rest")
    int every;

    @Option(names = "--lm", description = "ARPA file to use instead of training a model on the other sentences")
    Path lmFile;

    @Option(names = "--order", defaultValue = "3", description = "order of the trained LM (default ${DEFAULT-VALUE})")
    int order;

    @Option(names = "--utterances", defaultValue = "700", description = "utterances to decode (sentences are reused)")
    int utterances;

    @Option(names = "--beam", defaultValue = "32", description = "beam width (default ${DEFAULT-VALUE})")
    int beam;

    @Option(names = "--alpha", defaultValue = "0.5", description = "LM weight (default ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--beta", defaultValue = "1.0", description = "word insertion bonus (default ${DEFAULT-VALUE})")
    double beta;

    @Option(names = "--token-prune", defaultValue = "-10", description = "per-frame token pruning, ln p (default ${DEFAULT-VALUE})")
    double tokenPrune;

    @Option(names = "--confusion", defaultValue = "0.1", description = "share of letters the synthetic acoustics get wrong")
    double confusion;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the synthetic acoustics")
    long seed;

    @Option(names = "--show", defaultValue = "0", description = "print the first N hypotheses of each decoder, errors marked")
    int show;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try {
            return run(stdout);
        } catch (IOException | IllegalArgumentException e) {
            stderr.println("bench-decode: " + e.getMessage());
            return 1;
        } finally {
            stdout.flush();
            stderr.flush();
        }
    }

    private int run(PrintWriter out) throws IOException {
        Path textFile = Cli.resolve(text);
        if (!Files.isRegularFile(textFile)) {
            throw new IOException("no such file: " + text);
        }
        List<String> all = TextCorpus.read(textFile);
        List<String> train = new ArrayList<>();
        List<String> test = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (i % every == every - 1 ? test : train).add(all.get(i));
        }
        NgramModel lm = lmFile != null ? NgramModel.readArpa(Cli.resolve(lmFile)) : new KneserNeyTrainer(order).train(train);
        Vocabulary vocab = Vocabulary.englishLetters();
        SyntheticPosteriors synth = new SyntheticPosteriors(vocab, confusion, 8, 1.5, seed);
        List<String> refs = new ArrayList<>();
        List<float[][]> inputs = new ArrayList<>();
        long frames = 0;
        for (int i = 0; i < utterances; i++) {
            String s = test.get(i % test.size());
            refs.add(s);
            float[][] lp = synth.logProbs(s);
            inputs.add(lp);
            frames += lp.length;
        }
        double audioSeconds = frames * 0.02;
        out.printf(Locale.ROOT, "%d utterances, %d frames (%.1f s of audio at 50 frames/s, %.2f s each on average), "
                        + "%d classes; %d test sentences, LM %s%n", utterances, frames, audioSeconds, audioSeconds / utterances,
                vocab.size(), test.size(), lmFile != null ? lmFile : order + "-gram Kneser-Ney on " + train.size() + " other sentences");
        BeamSearchConfig cfg = BeamSearchConfig.defaults().withBeamWidth(beam).withLm(alpha, beta)
                .withPruning(tokenPrune, BeamSearchConfig.defaults().beamPruneLogProb());
        GreedyDecoder greedy = new GreedyDecoder(vocab);
        PrefixBeamSearch noLm = new PrefixBeamSearch(vocab, null, cfg);
        PrefixBeamSearch withLm = new PrefixBeamSearch(vocab, lm, cfg);
        out.printf(Locale.ROOT, "beam %d, alpha %.2f, beta %.2f, token pruning ln p >= %.1f; one thread%n", beam, alpha, beta,
                tokenPrune);
        out.printf(Locale.ROOT, "%-22s %8s %8s %8s %11s %8s %8s%n", "decoder", "wall s", "cpu s", "ms/utt", "x realtime",
                "WER", "CER");
        measure(out, "greedy", inputs, refs, audioSeconds, lp -> greedy.decode(lp).text());
        measure(out, "beam, no LM", inputs, refs, audioSeconds, lp -> noLm.decode(lp).get(0).text());
        measure(out, "beam + " + lm.order() + "-gram LM", inputs, refs, audioSeconds, lp -> withLm.decode(lp).get(0).text());
        return 0;
    }

    private void measure(PrintWriter out, String name, List<float[][]> inputs, List<String> refs, double audioSeconds,
                         Function<float[][], String> decoder) {
        for (int i = 0; i < Math.min(50, inputs.size()); i++) {
            decoder.apply(inputs.get(i)); // JIT warm-up
        }
        List<String> hyps = new ArrayList<>(inputs.size());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (float[][] lp : inputs) {
            hyps.add(decoder.apply(lp));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        // CPU time of this thread: what the decoder costs, whatever else shares the cores
        double cpu = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
        ErrorCounts w = ErrorCounts.ZERO;
        ErrorCounts c = ErrorCounts.ZERO;
        for (int i = 0; i < hyps.size(); i++) {
            UtteranceScore u = UtteranceScore.of(String.valueOf(i), "all", refs.get(i), hyps.get(i));
            w = w.plus(u.wordCounts());
            c = c.plus(u.characters());
        }
        out.printf(Locale.ROOT, "%-22s %8.2f %8.2f %8.2f %11.0f %7.2f%% %7.2f%%%n", name, seconds, cpu,
                1000 * cpu / inputs.size(), audioSeconds / cpu, 100 * w.rate(), 100 * c.rate());
        for (int i = 0; i < Math.min(show, hyps.size()); i++) {
            out.println("    " + UtteranceScore.of(String.valueOf(i), "all", refs.get(i), hyps.get(i)).words().render());
        }
        out.flush();
    }
}
