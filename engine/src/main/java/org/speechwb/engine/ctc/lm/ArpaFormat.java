package org.speechwb.engine.ctc.lm;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * ARPA back-off language model files: the standard, human-readable exchange format of n-gram
 * models (written by KenLM, SRILM, IRSTLM; read by every CTC decoder that takes an LM).
 *
 * <pre>
 * \data\
 * ngram 1=N1
 * ngram 2=N2
 *
 * \1-grams:
 * log10(p)  w  [log10(backoff)]
 * \2-grams:
 * log10(p)  w1 w2  [log10(backoff)]
 * \end\
 * </pre>
 * Fields are separated by tabs when written and by any whitespace when read. N-grams are
 * written sorted by their words, so that files diff well.
 */
final class ArpaFormat {

    private ArpaFormat() {
    }

    static void write(NgramModel model, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        List<String> words = model.words();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("\\data\\\n");
            for (int k = 1; k <= model.order(); k++) {
                w.write("ngram " + k + "=" + model.ngramCount(k) + "\n");
            }
            for (int k = 1; k <= model.order(); k++) {
                w.write("\n\\" + k + "-grams:\n");
                TreeMap<String, NgramModel.Entry> sorted = new TreeMap<>();
                for (Map.Entry<NgramKey, NgramModel.Entry> e : model.table(k).entrySet()) {
                    StringBuilder sb = new StringBuilder();
                    for (int id : e.getKey().ids) {
                        sb.append(sb.length() > 0 ? " " : "").append(words.get(id));
                    }
                    sorted.put(sb.toString(), e.getValue());
                }
                boolean highest = k == model.order();
                for (Map.Entry<String, NgramModel.Entry> e : sorted.entrySet()) {
                    w.write(number(e.getValue().log10Prob()));
                    w.write('\t');
                    w.write(e.getKey());
                    if (!highest && e.getValue().log10Backoff() != 0) {
                        w.write('\t');
                        w.write(number(e.getValue().log10Backoff()));
                    }
                    w.write('\n');
                }
            }
            w.write("\n\\end\\\n");
        }
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.7f", v);
    }

    static NgramModel read(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new Parser(file, r).parse();
        }
    }

    /** Line-by-line reader keeping the position for error messages. */
    private static final class Parser {
        private final Path file;
        private final BufferedReader reader;
        private int lineNo;

        Parser(Path file, BufferedReader reader) {
            this.file = file;
            this.reader = reader;
        }

        private String next() throws IOException {
            String line = reader.readLine();
            if (line != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
            }
            return line;
        }

        private IOException error(String why) {
            return new IOException(file + ":" + lineNo + ": " + why);
        }

        NgramModel parse() throws IOException {
            String line;
            // anything before \data\ is a comment (SRILM and KenLM write none, some tools do)
            while ((line = next()) != null && !line.strip().equals("\\data\\")) {
                // skip
            }
            if (line == null) {
                throw error("no \\data\\ section: not an ARPA file");
            }
            List<Integer> expected = new ArrayList<>();
            while ((line = next()) != null) {
                String s = line.strip();
                if (s.isEmpty()) {
                    if (!expected.isEmpty()) {
                        break;
                    }
                    continue;
                }
                if (!s.startsWith("ngram ")) {
                    break;
                }
                String[] kv = s.substring(6).split("=");
                try {
                    int k = Integer.parseInt(kv[0].strip());
                    if (k != expected.size() + 1 || kv.length != 2) {
                        throw error("expected \"ngram " + (expected.size() + 1) + "=<count>\", found \"" + s + "\"");
                    }
                    expected.add(Integer.parseInt(kv[1].strip()));
                } catch (NumberFormatException e) {
                    throw error("bad n-gram count line \"" + s + "\"");
                }
            }
            if (expected.isEmpty()) {
                throw error("the \\data\\ section lists no \"ngram k=count\" lines");
            }
            List<String> words = new ArrayList<>();
            Map<String, Integer> ids = new HashMap<>();
            List<Map<NgramKey, NgramModel.Entry>> tables = new ArrayList<>();
            String header = line == null ? null : line.strip();
            for (int k = 1; k <= expected.size(); k++) {
                while (header != null && header.isEmpty()) {
                    line = next();
                    header = line == null ? null : line.strip();
                }
                if (header == null || !header.equals("\\" + k + "-grams:")) {
                    throw error("expected the section header \\" + k + "-grams:, found "
                            + (header == null ? "the end of the file" : "\"" + header + "\""));
                }
                Map<NgramKey, NgramModel.Entry> table = new HashMap<>();
                header = null;
                while ((line = next()) != null) {
                    String s = line.strip();
                    if (s.isEmpty()) {
                        continue;
                    }
                    if (s.startsWith("\\")) {
                        header = s;
                        break;
                    }
                    String[] f = s.split("\\s+");
                    if (f.length != k + 1 && f.length != k + 2) {
                        throw error("a " + k + "-gram line needs log10(p), " + k + " word(s) and an optional back-off, "
                                + "found " + f.length + " fields");
                    }
                    double p = parse(f[0], "probability");
                    double bow = f.length == k + 2 ? parse(f[k + 1], "back-off weight") : 0;
                    int[] key = new int[k];
                    for (int i = 0; i < k; i++) {
                        Integer id = ids.get(f[i + 1]);
                        if (id == null) {
                            if (k > 1) {
                                throw error("word \"" + f[i + 1] + "\" has no unigram entry");
                            }
                            id = words.size();
                            words.add(f[i + 1]);
                            ids.put(f[i + 1], id);
                        }
                        key[i] = id;
                    }
                    if (table.put(new NgramKey(key), new NgramModel.Entry(p, bow)) != null) {
                        throw error("duplicate " + k + "-gram \"" + String.join(" ", Arrays.copyOfRange(f, 1, k + 1))
                                + "\"");
                    }
                }
                if (table.size() != expected.get(k - 1)) {
                    throw error("the \\data\\ section announces " + expected.get(k - 1) + " " + k + "-grams but "
                            + table.size() + " were listed");
                }
                tables.add(table);
            }
            while (header != null && header.isEmpty()) {
                line = next();
                header = line == null ? null : line.strip();
            }
            if (header == null || !header.equals("\\end\\")) {
                throw error("expected \\end\\ after the " + expected.size() + "-grams");
            }
            if (!ids.containsKey(NgramModel.BOS) || !ids.containsKey(NgramModel.EOS)) {
                throw new IOException(file + ": the model has no " + NgramModel.BOS + " or " + NgramModel.EOS + " unigram");
            }
            return new NgramModel(words, tables);
        }

        private double parse(String s, String what) throws IOException {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw error("bad " + what + " \"" + s + "\"");
            }
        }
    }
}
