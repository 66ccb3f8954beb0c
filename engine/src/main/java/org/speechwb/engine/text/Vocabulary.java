package org.speechwb.engine.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The output alphabet of a letter CTC model: token id ↔ symbol.
 *
 * <p>Layout (the CTC loss, the decoders and the model head must agree on it): one token is the
 * CTC blank ({@code <blank>}; id 0 in the workbench's own vocabularies and fairseq's, the pad
 * token of a Hugging Face model, which can be any id), and one token is the word boundary
 * {@code "|"}, as in fairseq's letter targets (wav2vec 2.0 fine-tuning). Every other token is a
 * single character (letters and the apostrophe for the project's transcripts), or a special
 * token written {@code <...>} or {@code [...]} (an imported model's {@code <s>}, {@code </s>},
 * {@code [UNK]}, …): special tokens are never produced by {@link #encode} and
 * {@link #decode} leaves them out, except the unknown token ({@code <unk>} or {@code [UNK]}).
 *
 * <p>Unknown characters: if the vocabulary has an {@code <unk>} token, {@link #encode} maps
 * characters it does not know to it (a model can then at least be trained on the rest of the
 * utterance); without one, {@link #encode} throws an {@link UnknownSymbolException} naming the
 * character. The shipped English vocabulary has no {@code <unk>}: transcripts that went through
 * {@link TranscriptNormalizer} only contain its characters, so an unknown character means the
 * text was not normalised, and failing loudly is the useful answer.
 *
 * <p>File format ({@link #load}, {@link #save}): UTF-8, one token per line, the line number
 * (from 0) being the id; the blank is written {@code <blank>} (the first line in the workbench's
 * own files); no empty lines.
 */
public final class Vocabulary {

    /** The blank's id in the workbench's own vocabularies: fairseq and the wav2vec 2.0 recipes use index 0. */
    public static final int BLANK = 0;
    public static final String BLANK_SYMBOL = "<blank>";
    public static final String WORD_BOUNDARY = "|";
    public static final String UNKNOWN = "<unk>";
    /** How Hugging Face community vocabularies spell the unknown token. */
    public static final String UNKNOWN_BRACKETS = "[UNK]";
    /** Class-path location of the English letter vocabulary (repository {@code resources/vocab/}). */
    public static final String ENGLISH_LETTERS_RESOURCE = "/vocab/english-letters.txt";

    private final List<String> tokens;
    private final Map<String, Integer> ids;
    /** Character → id for the single-character tokens; -1 where absent. Indexed by char (BMP). */
    private final Map<Character, Integer> charIds;
    private final int boundary;
    private final int unknown;
    private final int blank;
    /** Special tokens {@link #decode} leaves out (not the blank, which it skips anyway, nor the unknown token). */
    private final boolean[] silent;

    private Vocabulary(List<String> tokens, String source) {
        int blankId = tokens.indexOf(BLANK_SYMBOL);
        if (blankId < 0) {
            throw new IllegalArgumentException(source + ": one token must be the blank " + BLANK_SYMBOL
                    + (tokens.isEmpty() ? ", but there are no tokens" : " (the workbench writes it first), found none"));
        }
        Map<String, Integer> byToken = new HashMap<>();
        Map<Character, Integer> byChar = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            Integer earlier = byToken.put(t, i);
            if (earlier != null) {
                throw new IllegalArgumentException(source + ": token \"" + t + "\" appears twice (ids " + earlier
                        + " and " + i + ")");
            }
            if (i == blankId || isSpecial(t)) {
                continue;
            }
            if (t.length() != 1 || Character.isWhitespace(t.charAt(0))) {
                throw new IllegalArgumentException(source + ": token " + i + " \"" + t
                        + "\" is not a single visible character (only special tokens written <...> or [...], such as "
                        + BLANK_SYMBOL + ", " + UNKNOWN + " or " + UNKNOWN_BRACKETS + ", may be longer)");
            }
            byChar.put(t.charAt(0), i);
        }
        Integer b = byToken.get(WORD_BOUNDARY);
        if (b == null) {
            throw new IllegalArgumentException(source + ": no word boundary token \"" + WORD_BOUNDARY + "\"");
        }
        this.tokens = List.copyOf(tokens);
        this.ids = Map.copyOf(byToken);
        this.charIds = Map.copyOf(byChar);
        this.boundary = b;
        this.unknown = byToken.getOrDefault(UNKNOWN, byToken.getOrDefault(UNKNOWN_BRACKETS, -1));
        this.blank = blankId;
        this.silent = new boolean[tokens.size()];
        for (int i = 0; i < tokens.size(); i++) {
            silent[i] = i != blankId && i != unknown && isSpecial(tokens.get(i));
        }
    }

    /** {@code <...>} or {@code [...]} without whitespace: a special token, not text. */
    static boolean isSpecial(String t) {
        if (t.length() < 3 || t.chars().anyMatch(Character::isWhitespace)) {
            return false;
        }
        char a = t.charAt(0);
        char z = t.charAt(t.length() - 1);
        return (a == '<' && z == '>') || (a == '[' && z == ']');
    }

    /** A vocabulary from explicit tokens (id = list position); exactly one must be {@code <blank>}. */
    public static Vocabulary of(List<String> tokens) {
        return new Vocabulary(tokens, "vocabulary");
    }

    /**
     * The English letter vocabulary shipped with the workbench: {@code <blank> | ' A..Z}
     * (29 tokens), enough for every transcript {@link TranscriptNormalizer} produces.
     */
    public static Vocabulary englishLetters() {
        try (InputStream in = Vocabulary.class.getResourceAsStream(ENGLISH_LETTERS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("class-path resource " + ENGLISH_LETTERS_RESOURCE
                        + " is missing (it lives in the repository's resources/vocab/)");
            }
            return read(new InputStreamReader(in, StandardCharsets.UTF_8), "classpath:" + ENGLISH_LETTERS_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ENGLISH_LETTERS_RESOURCE, e);
        }
    }

    /**
     * The characters used by {@code transcripts} (words separated by whitespace), in code-point
     * order after the blank and the word boundary; with {@code <unk>} last when asked for.
     */
    public static Vocabulary fromTranscripts(Iterable<String> transcripts, boolean withUnknown) {
        TreeSet<Character> chars = new TreeSet<>();
        for (String t : transcripts) {
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (!Character.isWhitespace(c)) {
                    if (c == '|') {
                        throw new IllegalArgumentException("transcript \"" + t + "\" contains \"|\", which is "
                                + "reserved for the word boundary; pass words separated by spaces");
                    }
                    chars.add(c);
                }
            }
        }
        List<String> tokens = new ArrayList<>();
        tokens.add(BLANK_SYMBOL);
        tokens.add(WORD_BOUNDARY);
        for (char c : chars) {
            tokens.add(String.valueOf(c));
        }
        if (withUnknown) {
            tokens.add(UNKNOWN);
        }
        return new Vocabulary(tokens, "transcripts");
    }

    /** Reads a vocabulary file (format in the class comment); errors name the file and line. */
    public static Vocabulary load(Path file) throws IOException {
        try (Reader r = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT))) {
            return read(r, file.toString());
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text", e);
        }
    }

    private static Vocabulary read(Reader reader, String source) throws IOException {
        List<String> tokens = new ArrayList<>();
        BufferedReader br = new BufferedReader(reader);
        String line;
        int n = 0;
        while ((line = br.readLine()) != null) {
            n++;
            if (n == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isEmpty()) {
                throw new IllegalArgumentException(source + ":" + n + ": empty line (every line must hold one token)");
            }
            if (line.isBlank()) {
                throw new IllegalArgumentException(source + ":" + n + ": whitespace cannot be a token");
            }
            tokens.add(line.strip());
        }
        return new Vocabulary(tokens, source);
    }

    /** Writes one token per line; {@link #load} reads it back identically. */
    public void save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, tokens, StandardCharsets.UTF_8);
    }

    public int size() {
        return tokens.size();
    }

    public int blank() {
        return blank;
    }

    public int wordBoundary() {
        return boundary;
    }

    /** The {@code <unk>} id, or -1 if this vocabulary rejects unknown characters. */
    public int unknown() {
        return unknown;
    }

    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException("token id " + id + " outside 0.." + (tokens.size() - 1));
        }
        return tokens.get(id);
    }

    /** The id of {@code token}, or -1. */
    public int id(String token) {
        return ids.getOrDefault(token, -1);
    }

    public List<String> tokens() {
        return Collections.unmodifiableList(tokens);
    }

    /**
     * Transcript → token ids as in fairseq's {@code .ltr} letter targets: the letters of each
     * word followed by {@code "|"}, the last word included ({@code "THE CAT"} →
     * {@code T H E | C A T |}), because that is what wav2vec 2.0 models are fine-tuned on.
     * Words are separated by any run of whitespace; an empty transcript gives no tokens.
     *
     * @throws UnknownSymbolException for a character not in the vocabulary when there is no {@code <unk>}
     */
    public int[] encode(String transcript) {
        return encode(transcript, true);
    }

    /**
     * Like {@link #encode(String)}; with {@code closingBoundary} false the last word gets no
     * {@code "|"} ({@code T H E | C A T}), for models trained that way.
     */
    public int[] encode(String transcript, boolean closingBoundary) {
        List<String> words = words(transcript);
        int n = 0;
        for (String w : words) {
            n += w.length() + 1;
        }
        if (!closingBoundary && !words.isEmpty()) {
            n--;
        }
        int[] out = new int[n];
        int k = 0;
        int pos = 0;
        for (int wi = 0; wi < words.size(); wi++) {
            String w = words.get(wi);
            pos = transcript.indexOf(w, pos);
            for (int i = 0; i < w.length(); i++) {
                char c = w.charAt(i);
                Integer id = charIds.get(c);
                if (id == null || id == boundary) {
                    if (unknown < 0) {
                        throw new UnknownSymbolException(c, pos + i, transcript);
                    }
                    id = unknown;
                }
                out[k++] = id;
            }
            pos += w.length();
            if (closingBoundary || wi + 1 < words.size()) {
                out[k++] = boundary;
            }
        }
        return out;
    }

    /**
     * Token ids → words: blanks and special tokens other than the unknown token are skipped,
     * {@code "|"} separates words (runs of boundaries and leading or trailing ones leave no empty words). The ids are taken as they are: collapsing
     * CTC repeats is the decoder's job ({@link org.speechwb.engine.ctc.GreedyDecoder}).
     */
    public String decode(int[] ids) {
        StringBuilder out = new StringBuilder();
        boolean pendingSpace = false;
        for (int id : ids) {
            if (id == blank || (id >= 0 && id < silent.length && silent[id])) {
                continue;
            }
            if (id == boundary) {
                pendingSpace = out.length() > 0;
                continue;
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            out.append(token(id));
        }
        return out.toString();
    }

    /** The fairseq {@code .ltr} line of a transcript: {@code "T H E | C A T |"}. */
    public String letterLine(String transcript) {
        int[] ids = encode(transcript);
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(token(id));
        }
        return sb.toString();
    }

    private static List<String> words(String transcript) {
        List<String> out = new ArrayList<>();
        for (String w : transcript.strip().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "Vocabulary" + tokens;
    }
}
