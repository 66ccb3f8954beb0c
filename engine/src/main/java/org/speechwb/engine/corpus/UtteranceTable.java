package org.speechwb.engine.corpus;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes utterances.tsv, the index of a corpus in our native format. */
public final class UtteranceTable {

    public static final String HEADER = "id\tpath\tspeaker\tsplit\ttext";

    private UtteranceTable() {
    }

    public static void write(Path file, List<CorpusUtterance> rows) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.write('\n');
            for (CorpusUtterance r : rows) {
                w.write(String.join("\t", r.id(), r.path(), r.speaker(), r.split().id(), r.text()));
                w.write('\n');
            }
        }
    }

    /** Reads utterances.tsv from a corpus folder (or the file itself). */
    public static List<CorpusUtterance> read(Path corpusDirOrFile) throws IOException {
        Path file = Files.isDirectory(corpusDirOrFile) ? corpusDirOrFile.resolve(CorpusLayout.UTTERANCES_TSV) : corpusDirOrFile;
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(file + ": expected the header line '" + HEADER.replace("\t", "<TAB>") + "'");
        }
        List<CorpusUtterance> rows = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isEmpty()) {
                continue;
            }
            String[] f = lines.get(i).split("\t", -1);
            if (f.length != 5) {
                throw new IOException(file + ":" + (i + 1) + ": expected 5 tab-separated fields, found " + f.length);
            }
            try {
                rows.add(new CorpusUtterance(f[0], f[1], f[2], CorpusSplit.fromId(f[3]), f[4]));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return rows;
    }
}
