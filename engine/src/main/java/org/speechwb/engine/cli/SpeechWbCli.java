package org.speechwb.engine.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Headless entry point: every engine workflow (scanning data, building corpora, training,
 * inspecting, benchmarking) is a subcommand here, so servers and scripts need no display.
 */
@Command(name = "speechwb",
        mixinStandardHelpOptions = true,
        version = "speechwb 0.1.0",
        description = "wav2vec workbench engine: datasets, pre-training, fine-tuning, CTC decoding and scoring, inspection.",
        subcommands = {
                CommandLine.HelpCommand.class,
                DatasetInfoCommand.class,
                ExportManifestCommand.class,
                ExportRunCommand.class,
                BenchScanCommand.class,
                AudioBenchCommand.class,
                SynthCorpusCommand.class,
                PretrainCommand.class,
                ExtractFeaturesCommand.class,
                ProbeCommand.class,
                MetricsCommand.class,
                ResumeCommand.class,
                InspectCommand.class,
                BenchPretrainCommand.class,
                FinetuneCommand.class,
                DecodeCommand.class,
                EvaluateCommand.class,
                AlignCommand.class,
                ExperimentCommand.class,
                LmCommand.class,
                WerCommand.class,
                BenchDecodeCommand.class,
                ImportCommand.class,
                ExportCommand.class,
                EmissionsCommand.class,
                BenchInferenceCommand.class,
        })
public final class SpeechWbCli implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SpeechWbCli.class);
    private static final String VERBOSE = "--verbose";

    @Option(names = VERBOSE, scope = CommandLine.ScopeType.INHERIT,
            description = "On an error, print its Java stack trace as well as the one-line message.")
    boolean verbose;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The command line as {@link #main} runs it: errors of a command end in one line, not a stack trace. */
    public static CommandLine commandLine() {
        return new CommandLine(new SpeechWbCli()).setExecutionExceptionHandler(SpeechWbCli::reportError);
    }

    /** Counted down once the command has ended and printed its last line (see {@link ConsoleTraining#stoppedOnShutdown}). */
    static final CountDownLatch COMMAND_ENDED = new CountDownLatch(1);

    public static void main(String[] args) {
        org.speechwb.engine.backend.Backends.init();
        int rc = commandLine().execute(args);
        COMMAND_ENDED.countDown();
        System.exit(rc);
    }

    /**
     * A missing file, an unreadable recording or a corrupt checkpoint is the user's to fix, and a
     * stack trace only hides what to fix; it stays available with --verbose and in the debug log.
     */
    private static int reportError(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        LOG.debug("{} failed", cmd.getCommandName(), ex);
        if (verboseGiven(parsed)) {
            ex.printStackTrace(err);
        }
        err.println("speechwb: error: " + describe(ex));
        err.flush();
        return cmd.getCommandSpec().exitCodeOnExecutionException();
    }

    private static boolean verboseGiven(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException
                || t instanceof UncheckedIOException
                || t.getClass() == RuntimeException.class && t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof NoSuchFileException e) {
            return "no such file or folder: " + e.getFile();
        }
        if (t instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        if (t instanceof FileSystemException e) {
            return e.getFile() + ": " + (e.getReason() != null ? e.getReason() : "file system error");
        }
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
    }
}
