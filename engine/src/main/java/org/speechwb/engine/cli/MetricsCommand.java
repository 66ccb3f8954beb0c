package org.speechwb.engine.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.speechwb.engine.interop.logs.ExternalRunLogs;
import org.speechwb.engine.interop.logs.LogPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = {"Prints the curves of a run made elsewhere as JSON lines in our metric names (docs/metrics.md):"
                + " a fairseq log written with --log-format json (hydra_train.log or plain), transformers'"
                + " trainer_state.json, TensorBoard event files, or a folder holding them.",
                "Each line: {\"phase\": \"train\"|\"valid\", \"update\": N, <metric>: value, …}; unreadable parts are"
                + " reported on stderr and the rest is printed."})
final class MetricsCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", description = "log file, trainer_state.json, event file or folder")
    Path path;

    @Override
    public Integer call() throws Exception {
        ExternalRunLogs.Result r = ExternalRunLogs.read(Cli.resolve(path));
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
        return 0;
    }
}
