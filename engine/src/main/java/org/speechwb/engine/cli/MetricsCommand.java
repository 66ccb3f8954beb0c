package org.speechwb.engine.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.speechwb.engine.interop.logs.ExternalRunHealth;
import org.speechwb.engine.interop.logs.ExternalRunLogs;
import org.speechwb.engine.interop.logs.ExternalRunSettings;
import org.speechwb.engine.interop.logs.LogPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = {"Prints the curves of a run made elsewhere as JSON lines in our metric names (docs/metrics.md):"
                + " a fairseq log written with --log-format json (hydra_train.log or plain), transformers'"
                + " trainer_state.json, TensorBoard event files, or a folder holding them.",
                "Each line: {\"phase\": \"train\"|\"valid\", \"update\": N, <metric>: value, …}; unreadable parts are"
                + " reported on stderr and the rest is printed.",
                "Last, on stderr: the chance-level and codebook-collapse checks of the workbench, with the distractor"
                        + " count and codebook size read from the run's config (.hydra/config.yaml, config.json, or the"
                        + " config hydra_train.log prints)."})
final class MetricsCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", description = "log file, trainer_state.json, event file or folder")
    Path path;

    @Override
    public Integer call() throws Exception {
        Path source = Cli.resolve(path);
        ExternalRunLogs.Result r = ExternalRunLogs.read(source);
        ObjectMapper json = new ObjectMapper();
        for (LogPoint p : r.points()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("phase", p.phase());
            line.put("update", p.update());
            p.values().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> line.put(e.getKey(),
                    Double.isFinite(e.getValue()) ? e.getValue() : String.valueOf(e.getValue())));
            System.out.println(json.writeValueAsString(line));
        }
        r.notes().forEach(n -> System.err.println("speechwb: warning: " + n));
        System.err.println("speechwb: health: " + health(source, r));
        return 0;
    }

    /** The checks the workbench's Training screen makes of an external run, from the run's config beside its logs. */
    private static String health(Path source, ExternalRunLogs.Result r) {
        try {
            return ExternalRunHealth.judge(ExternalRunSettings.find(source), r.updates()).text();
        } catch (IOException e) {
            return "no checks: " + e.getMessage();
        }
    }
}
