package org.speechwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** `--help` is the CLI's manual: every option of every command says what it does, and it prints cleanly. */
class CliHelpTest {

    @Test
    void everyOptionOfEveryCommandHasADescription() {
        List<String> bare = new ArrayList<>();
        for (CommandLine sub : SpeechWbCli.commandLine().getSubcommands().values()) {
            for (OptionSpec o : sub.getCommandSpec().options()) {
                if (String.join("", o.description()).isBlank()) {
                    bare.add(sub.getCommandName() + " " + o.longestName());
                }
            }
        }
        assertThat(bare).as("options without a description").isEmpty();
    }

    @Test
    void everyCommandsHelpFormatsWithoutWarnings() {
        // picocli formats descriptions with String.format: an unescaped '%' prints a warning to standard error
        // and the raw text
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        StringBuilder help = new StringBuilder();
        try {
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
            for (CommandLine sub : SpeechWbCli.commandLine().getSubcommands().values()) {
                help.append(sub.getUsageMessage());
            }
        } finally {
            System.setErr(stderr);
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(help.toString().replaceAll("\\s+", " ")).contains("(the warm-up is 8 % of them)");
    }

    @Test
    void theExperimentHelpShowsEachDefault() {
        String help = SpeechWbCli.commandLine().getSubcommands().get("experiment").getUsageMessage()
                .replaceAll("\\s+", " ");
        assertThat(help).contains("--pretrain-updates=<pretrainUpdates> wav2vec 2.0 pre-training updates (the warm-up"
                + " is 8 % of them) Default: 5000", "Default: ctc-small-cpu", "--beam=<beam> beam width of the LM decoder"
                + " Default: 32").doesNotContain("Default: []");
    }

    @Test
    void theExperimentsOptionsDefaultToTheEnginesDefaultsAndEachOptionReachesTheConfig() {
        ExperimentCommand none = new ExperimentCommand();
        new CommandLine(none).parseArgs();
        assertThat(none.config()).isEqualTo(org.speechwb.engine.experiment.ExperimentConfig.defaults());

        ExperimentCommand some = new ExperimentCommand();
        new CommandLine(some).parseArgs("--labeled-minutes", "60", "--test-fraction", "0.2", "--alpha", "0.7",
                "--beta", "2", "--pretrain-per-seed", "--feature-updates", "6000", "--grid-seeds", "all");
        assertThat(some.config()).isEqualTo(org.speechwb.engine.experiment.ExperimentConfig.builder()
                .labeledMinutes(60).testFraction(0.2).lmWeight(0.7).wordBonus(2).pretrainPerSeed(true)
                .featureUpdates(6000).gridSeeds(3).build());
    }
}
