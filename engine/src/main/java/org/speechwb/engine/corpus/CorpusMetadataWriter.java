package org.speechwb.engine.corpus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the text files of a corpus: utterances.tsv, the fairseq manifests and targets of each
 * split, and corpus.json. No timestamps or absolute paths go into any of them, so rebuilding
 * with the same recipe gives byte-identical files and the folder can be committed or moved.
 */
final class CorpusMetadataWriter {

    private static final String FORMAT = "speechwb-corpus/1";

    private CorpusMetadataWriter() {
    }

    static void write(Path dir, CorpusRecipe recipe, String invocation, List<SynthesizedUtterance> utterances,
                      CorpusSummary summary) throws IOException {
        List<CorpusUtterance> rows = new ArrayList<>();
        for (SynthesizedUtterance u : utterances) {
            PlannedUtterance p = u.planned();
            rows.add(new CorpusUtterance(p.id(), u.path(), p.voice().speakerId(), p.split(), p.prompt().transcript()));
        }
        UtteranceTable.write(dir.resolve(CorpusLayout.UTTERANCES_TSV), rows);
        for (CorpusSplit split : CorpusSplit.values()) {
            writeFairseq(dir, split, utterances.stream().filter(u -> u.planned().split() == split).toList());
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(dir.resolve(CorpusLayout.CORPUS_JSON),
                json.writeValueAsString(describe(json, recipe, invocation, summary)) + "\n", StandardCharsets.UTF_8);
    }

    private static void writeFairseq(Path dir, CorpusSplit split, List<SynthesizedUtterance> utterances) throws IOException {
        try (Writer tsv = Files.newBufferedWriter(dir.resolve(CorpusLayout.manifest(split)), StandardCharsets.UTF_8);
             Writer ltr = Files.newBufferedWriter(dir.resolve(CorpusLayout.letters(split)), StandardCharsets.UTF_8);
             Writer wrd = Files.newBufferedWriter(dir.resolve(CorpusLayout.words(split)), StandardCharsets.UTF_8)) {
            tsv.write(CorpusLayout.MANIFEST_ROOT + "\n");
            for (SynthesizedUtterance u : utterances) {
                String transcript = u.planned().prompt().transcript();
                tsv.write(u.path() + "\t" + u.samples() + "\n");
                ltr.write(CorpusLayout.letterTarget(transcript) + "\n");
                wrd.write(transcript + "\n");
            }
        }
    }

    private static ObjectNode describe(ObjectMapper json, CorpusRecipe recipe, String invocation, CorpusSummary summary) {
        ObjectNode root = json.createObjectNode();
        root.put("format", FORMAT);
        root.put("description", "Synthetic multi-voice read English (espeak-ng and flite), speaker- and sentence-disjoint "
                + "train/valid/test splits, made by `speechwb synth-corpus`.");
        if (invocation != null && !invocation.isBlank()) {
            root.put("command", invocation);
        }
        ObjectNode audio = root.putObject("audio");
        audio.put("sampleRate", CorpusLayout.SAMPLE_RATE);
        audio.put("channels", 1);
        audio.put("encoding", "FLAC, 16-bit");
        audio.put("manifestRoot", "\".\" = the folder holding the manifest");
        audio.put("bytes", summary.audioBytes());

        ObjectNode r = root.putObject("recipe");
        r.put("textFile", portable(recipe.textFile()));
        r.put("exclusionFile", recipe.exclusionFile() == null ? null : portable(recipe.exclusionFile()));
        r.put("seed", recipe.seed());
        ObjectNode targets = r.putObject("targetMinutes");
        for (CorpusSplit s : CorpusSplit.values()) {
            targets.put(s.id(), recipe.targets().minutes(s));
        }
        r.put("validSentenceFraction", recipe.splits().validSentenceFraction());
        r.put("testSentenceFraction", recipe.splits().testSentenceFraction());
        if (recipe.splits().testVoices().isEmpty()) {
            r.put("testVoiceCount", recipe.splits().testVoiceCount());
        } else {
            ArrayNode tv = r.putArray("testVoices");
            recipe.splits().testVoices().forEach(tv::add);
        }
        ArrayNode voices = r.putArray("voices");
        recipe.voices().forEach(v -> voices.add(v.spec()));
        r.put("speedJitter", recipe.speedJitter());
        r.put("pitchJitter", recipe.pitchJitter());
        r.putArray("peakDbfs").add(recipe.minPeakDbfs()).add(recipe.maxPeakDbfs());
        r.putArray("edgeSilenceSeconds").add(recipe.minEdgeSilence()).add(recipe.maxEdgeSilence());

        ObjectNode tools = root.putObject("tools");
        summary.toolVersions().forEach(tools::put);

        ArrayNode excluded = root.putArray("excludedSentences");
        for (CorpusSplitPlan.Excluded e : summary.excluded()) {
            ObjectNode x = excluded.addObject();
            x.put("line", e.prompt().line());
            x.put("text", e.prompt().text());
            x.put("matched", e.matched());
        }

        ObjectNode splits = root.putObject("splits");
        for (SplitSummary s : summary.splits()) {
            ObjectNode n = splits.putObject(s.split().id());
            n.put("utterances", s.utterances());
            n.put("sentencesUsed", s.sentencesUsed());
            n.put("sentencesReserved", s.sentencesReserved());
            n.put("seconds", round(s.seconds(), 2));
            n.put("minutes", round(s.minutes(), 3));
            n.put("hours", round(s.hours(), 5));
            ArrayNode vs = n.putArray("voices");
            for (TtsVoice v : s.voices()) {
                ObjectNode vn = vs.addObject();
                vn.put("speaker", v.speakerId());
                vn.put("engine", v.engine().program());
                vn.put("voice", v.voice());
                vn.put("variant", v.variant());
                vn.put("gender", v.gender().code());
            }
        }
        ObjectNode total = root.putObject("total");
        total.put("utterances", summary.totalUtterances());
        total.put("seconds", round(summary.totalSeconds(), 2));
        total.put("hours", round(summary.totalSeconds() / 3600, 5));
        return root;
    }

    /**
     * A path as it should appear in committed metadata: relative to the project home (the
     * {@code speechwb.home} property the launcher sets, else the working folder) when inside it,
     * with '/' separators; otherwise just the file name, never an absolute path of this machine.
     */
    static String portable(Path file) {
        String home = System.getProperty("speechwb.home", "");
        Path base = (home.isEmpty() ? Path.of("") : Path.of(home)).toAbsolutePath().normalize();
        Path abs = file.toAbsolutePath().normalize();
        if (abs.startsWith(base)) {
            return base.relativize(abs).toString().replace('\\', '/');
        }
        return abs.getFileName().toString();
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
