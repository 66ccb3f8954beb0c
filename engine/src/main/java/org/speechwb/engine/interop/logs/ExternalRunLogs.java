package org.speechwb.engine.interop.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.speechwb.engine.interop.tensorboard.EventFileReader;
import org.speechwb.engine.train.FinetuneMetrics;
import org.speechwb.engine.train.UpdateMetrics;
import org.speechwb.engine.train.ValidationResult;

/**
 * The curves of a run made elsewhere, whatever it logged: a fairseq JSON log, transformers'
 * {@code trainer_state.json}, TensorBoard event files (fairseq's {@code tensorboard_logdir},
 * transformers' {@code logging_dir}, ours), or a folder holding them.
 */
public final class ExternalRunLogs {

    private ExternalRunLogs() {
    }

    /** The points and anything that could not be read completely (file: reason). */
    public record Result(List<LogPoint> points, List<String> notes) {

        /**
         * The training points as our per-update records, so every screen that shows a run shows
         * this one; what the source did not log is NaN (0 for counts).
         */
        public List<UpdateMetrics> updates() {
            List<UpdateMetrics> out = new ArrayList<>();
            for (LogPoint p : points) {
                if (!p.phase().equals("train")) {
                    continue;
                }
                Map<String, Double> v = p.values();
                out.add(new UpdateMetrics((int) p.update(), (int) get(v, "epoch", 0), get(v, "loss"), get(v, "contrastive"),
                        get(v, "diversity"), get(v, "penalty"), get(v, "accuracy"), get(v, "codePerplexity"),
                        get(v, "probPerplexity"), get(v, "temperature"), get(v, "lr"), get(v, "gradNorm"),
                        get(v, "maskedFraction"), get(v, "audioSecondsPerSecond"), get(v, "rssMegabytes"),
                        get(v, "seconds"), get(v, "elapsedSeconds"), false, (int) get(v, "batchSize", 0),
                        get(v, "cropSeconds")));
            }
            return out;
        }

        /**
         * The training points of a fine-tuning run as our fine-tuning records (its loss is the CTC
         * loss); the stage is "" because the logs do not say which parameters were frozen.
         */
        public List<FinetuneMetrics> finetuneMetrics() {
            List<FinetuneMetrics> out = new ArrayList<>();
            for (UpdateMetrics u : updates()) {
                out.add(new FinetuneMetrics(u.update(), u.epoch(), u.loss(), u.lr(), u.gradNorm(), "",
                        u.audioSecondsPerSecond(), u.rssMegabytes(), u.seconds(), u.elapsedSeconds(), false,
                        u.batchSize(), 0));
            }
            return out;
        }

        /** The validation points that carry a WER (fine-tuning runs). */
        public List<ValidationResult> validations() {
            List<ValidationResult> out = new ArrayList<>();
            for (LogPoint p : points) {
                if (p.phase().equals("valid") && p.values().containsKey("wer")) {
                    // the readers already give WER and CER as fractions, like ours
                    out.add(new ValidationResult((int) p.update(), p.values().get("wer"),
                            p.values().getOrDefault("cer", Double.NaN), 0, false, Double.NaN));
                }
            }
            return out;
        }

        private static double get(Map<String, Double> v, String key) {
            return get(v, key, Double.NaN);
        }

        private static double get(Map<String, Double> v, String key, double absent) {
            Double x = v.get(key);
            return x == null ? absent : x;
        }
    }

    public static Result read(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException(path + ": does not exist");
        }
        List<LogPoint> points = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(path, 4)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            boolean any = false;
            for (Path f : files) {
                String n = f.getFileName().toString();
                if (n.contains("tfevents") || n.equals("trainer_state.json") || n.endsWith(".log")) {
                    any = true;
                    readFile(f, path, points, notes);
                }
            }
            if (!any) {
                throw new IOException(path + ": no fairseq log (*.log), trainer_state.json or TensorBoard event file in it");
            }
        } else {
            readFile(path, path.getParent(), points, notes);
        }
        points.sort(Comparator.comparing(LogPoint::phase).reversed().thenComparingLong(LogPoint::update));
        return new Result(points, notes);
    }

    private static void readFile(Path f, Path root, List<LogPoint> points, List<String> notes) throws IOException {
        String n = f.getFileName().toString();
        if (n.contains("tfevents")) {
            EventFileReader.Result r = EventFileReader.read(f);
            if (r.problem() != null) {
                notes.add(r.problem());
            }
            // fairseq writes one folder per logger (train_inner, valid); we write train/ and valid/ tags
            Path rel = root == null ? f.getFileName() : root.relativize(f);
            String folder = rel.getNameCount() > 1 ? rel.getName(rel.getNameCount() - 2).toString() : "";
            Map<String, Map<Long, Map<String, Double>>> byPhase = new LinkedHashMap<>();
            for (EventFileReader.Scalar s : r.scalars()) {
                String tag = s.tag();
                String phase = folder.startsWith("valid") ? "valid" : "train";
                int slash = tag.indexOf('/');
                if (slash > 0) {
                    String head = tag.substring(0, slash);
                    phase = head.startsWith("valid") || head.startsWith("eval") ? "valid" : "train";
                    tag = tag.substring(slash + 1);
                }
                String ours = MetricNames.FAIRSEQ.getOrDefault(tag, MetricNames.TRANSFORMERS.get(tag));
                if (ours == null && MetricNames.OURS.contains(tag.contains("/") ? tag.substring(0, tag.indexOf('/')) : tag)) {
                    ours = tag;
                }
                if (ours != null) {
                    byPhase.computeIfAbsent(phase, k -> new LinkedHashMap<>())
                            .computeIfAbsent(s.step(), k -> new LinkedHashMap<>()).put(ours, s.value());
                }
            }
            byPhase.forEach((phase, steps) -> steps.forEach((step, v) -> points.add(new LogPoint(phase, step, v))));
        } else if (n.equals("trainer_state.json")) {
            points.addAll(TrainerStateReader.read(f));
        } else {
            FairseqLogReader.Result r = FairseqLogReader.read(f);
            if (r.malformed() > 0) {
                notes.add(f + ": " + r.malformed() + " log record line(s) could not be parsed and were skipped");
            }
            if (r.points().isEmpty()) {
                notes.add(f + ": no fairseq JSON record lines (was it written with --log-format json?)");
            }
            points.addAll(r.points());
        }
    }
}
