package org.speechwb.engine.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.train.Pretrainer;
import org.speechwb.engine.train.RunState;
import org.speechwb.engine.train.TrainingEvent;
import org.speechwb.engine.train.TrainingListener;
import org.speechwb.engine.train.UpdateMetrics;

/**
 * Runs a trainer from the command line: prints the device, a progress line every
 * {@code every} updates, warnings and checkpoints; Ctrl-C (or SIGTERM) requests a stop and
 * waits for the checkpoint, so an interrupted run resumes where it stopped.
 */
final class ConsoleTraining implements TrainingListener {

    private final PrintStream out;
    private final int every;
    /** Whether the run started last predicts MFCC clusters: its line then has no quantizer figures. */
    private boolean clusterTargets;

    ConsoleTraining(PrintStream out, int every) {
        this.out = out;
        this.every = Math.max(1, every);
    }

    @Override
    public void onEvent(TrainingEvent event) {
        if (event instanceof TrainingEvent.Started s) {
            out.printf(Locale.ROOT, "run %s%ndevice: %s%nparameters: %,d; updates %d..%d%n",
                    s.runDir(), s.device(), s.parameters(), s.resumedFrom() + 1, s.maxUpdates());
            clusterTargets = predictsClusters(s.runDir());
        } else if (event instanceof TrainingEvent.Updated u) {
            UpdateMetrics m = u.metrics();
            if ((m.update() % every == 0 || m.update() == 1 || m.skipped()) && m.stepAccuracy() != null) {
                // wav2vec 1.0: accuracy per prediction step is what shows how far ahead the model sees
                StringBuilder steps = new StringBuilder();
                for (double a : m.stepAccuracy()) {
                    steps.append(String.format(Locale.ROOT, " %.0f", 100 * a));
                }
                out.printf(Locale.ROOT, "update %6d  loss %.3f bits  acc %5.1f%%  acc@k%%%s  q %.3f  ppl %.1f  tau %.3f"
                                + "  lr %.2e  |g| %.2f  %.1f audio-s/s  rss %.0f MB%s%n",
                        m.update(), m.loss(), 100 * m.accuracy(), steps, m.quantizerLoss(), m.codePerplexity(),
                        m.temperature(), m.lr(), m.gradNorm(), m.audioSecondsPerSecond(), m.rssMegabytes(),
                        m.skipped() ? "  SKIPPED" : "");
            } else if ((m.update() % every == 0 || m.update() == 1 || m.skipped()) && clusterTargets) {
                // no quantizer: the loss is cross-entropy against the clusters, the perplexities
                // those of the batch's target clusters and of the predictions
                out.printf(Locale.ROOT, "update %6d  loss %.3f bits  cluster CE %.3f  pen %.4f  acc %5.1f%%"
                                + "  clusters ppl %.1f targets/%.1f predicted  lr %.2e  |g| %.2f  %.1f audio-s/s"
                                + "  rss %.0f MB%s%n",
                        m.update(), m.loss(), m.contrastive(), m.penalty(), 100 * m.accuracy(), m.codePerplexity(),
                        m.probPerplexity(), m.lr(), m.gradNorm(), m.audioSecondsPerSecond(), m.rssMegabytes(),
                        m.skipped() ? "  SKIPPED" : "");
            } else if (m.update() % every == 0 || m.update() == 1 || m.skipped()) {
                out.printf(Locale.ROOT,
                        "update %6d  loss %.3f bits  contrastive %.3f  div %.3f  pen %.4f  acc %5.1f%%  ppl %.1f/%.1f"
                                + "  tau %.3f  lr %.2e  |g| %.2f  %.1f audio-s/s  rss %.0f MB%s%n",
                        m.update(), m.loss(), m.contrastive(), m.diversity(), m.penalty(), 100 * m.accuracy(),
                        m.codePerplexity(), m.probPerplexity(), m.temperature(), m.lr(), m.gradNorm(),
                        m.audioSecondsPerSecond(), m.rssMegabytes(), m.skipped() ? "  SKIPPED" : "");
            }
        } else if (event instanceof TrainingEvent.FinetuneUpdated f) {
            var m = f.metrics();
            if (m.update() % every == 0 || m.update() == 1 || m.skipped()) {
                out.printf(Locale.ROOT, "update %6d  ctc %.3f  stage %-11s  lr %.2e  |g| %.2f  %.1f audio-s/s  rss %.0f MB%s%n",
                        m.update(), m.loss(), m.stage(), m.lr(), m.gradNorm(), m.audioSecondsPerSecond(), m.rssMegabytes(),
                        m.skipped() ? "  SKIPPED" : "");
            }
        } else if (event instanceof TrainingEvent.Validated v) {
            out.printf(Locale.ROOT, "validation at update %d: WER %.2f %%  CER %.2f %%%s%n", v.result().update(),
                    100 * v.result().wer(), 100 * v.result().cer(), v.result().best() ? "  (best)" : "");
        } else if (event instanceof TrainingEvent.CheckpointSaved c) {
            out.println("checkpoint " + c.file());
        } else if (event instanceof TrainingEvent.Warning w) {
            out.println("WARNING [" + w.kind() + "] " + w.message());
        } else if (event instanceof TrainingEvent.StateChanged s) {
            out.println(s.state() + ": " + s.message());
        }
        out.flush();
    }

    private static boolean predictsClusters(java.nio.file.Path runDir) {
        RunFolder run = new RunFolder(runDir);
        try {
            if (run.exists() && !run.isFinetune()) {
                return run.config().loss().clusterTargets();
            }
        } catch (ConfigException e) {
            // the trainer has read it already; a progress line is no place to report it again
        }
        return false;
    }

    /** Runs the trainer on this thread; Ctrl-C or a TERM signal stops it cleanly ({@link #stoppedOnShutdown}). */
    static int run(org.speechwb.engine.train.TrainingLoop trainer) throws Exception {
        RunState state = stoppedOnShutdown(trainer::requestStop, trainer::run);
        return state == RunState.FAILED ? 1 : 0;
    }

    /**
     * Runs {@code work} on this thread with a shutdown hook that calls {@code stop} and waits up to
     * two minutes for the work to end, so that Ctrl-C or a TERM signal leaves a checkpoint (and an
     * experiment its stage times) rather than losing what was done since the last one. The hook
     * waits for the command to end, not for this thread: the thread goes on to {@code System.exit},
     * which blocks while hooks run, so waiting for it would hold the process for the whole two minutes.
     */
    static <T> T stoppedOnShutdown(Runnable stop, Callable<T> work) throws Exception {
        CountDownLatch ended = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.run();
            try {
                // the work first, then a moment for the command's last line ("stopped; run it again …")
                if (ended.await(2, TimeUnit.MINUTES)) {
                    SpeechWbCli.COMMAND_ENDED.await(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "speechwb-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return work.call();
        } finally {
            ended.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running and waits for us
            }
        }
    }
}
