package org.speechwb.engine.corpus;

import java.nio.file.Path;

/**
 * File names of a corpus folder in our native format, shared by the writer, readers and tests.
 *
 * <pre>
 * corpus.json               recipe, tool versions, voices, sentence and duration statistics
 * utterances.tsv            id, path, speaker, split, text (header line; path relative to the folder)
 * audio/&lt;speaker&gt;/&lt;id&gt;.flac 16 kHz mono 16-bit FLAC
 * train.tsv valid.tsv test.tsv   fairseq manifests: root line ".", then path TAB samples
 * train.ltr ...             fairseq letter targets: "T H E | C A T |"
 * train.wrd ...             fairseq word targets:   "THE CAT"
 * </pre>
 *
 * The manifests' root line is "." and is resolved against the folder holding the manifest, so
 * a corpus can be moved or committed; an absolute root would tie it to one machine.
 */
public final class CorpusLayout {

    public static final String CORPUS_JSON = "corpus.json";
    public static final String UTTERANCES_TSV = "utterances.tsv";
    public static final String AUDIO_DIR = "audio";
    public static final String MANIFEST_ROOT = ".";
    public static final int SAMPLE_RATE = 16_000;

    private CorpusLayout() {
    }

    public static String manifest(CorpusSplit split) {
        return split.id() + ".tsv";
    }

    public static String letters(CorpusSplit split) {
        return split.id() + ".ltr";
    }

    public static String words(CorpusSplit split) {
        return split.id() + ".wrd";
    }

    /** Where an utterance's audio lives, relative to the corpus folder, with '/' separators. */
    public static String audioPath(String speaker, String id) {
        return AUDIO_DIR + "/" + speaker + "/" + id + ".flac";
    }

    /** Resolves a path from utterances.tsv or a manifest ('/'-separated) against the corpus folder. */
    public static Path resolve(Path corpusDir, String relativePath) {
        Path p = corpusDir;
        for (String part : relativePath.split("/")) {
            p = p.resolve(part);
        }
        return p;
    }

    /** fairseq letter target: letters separated by spaces, "|" closing every word. */
    public static String letterTarget(String transcript) {
        StringBuilder out = new StringBuilder();
        for (String word : transcript.split(" ")) {
            for (int i = 0; i < word.length(); i++) {
                out.append(word.charAt(i)).append(' ');
            }
            out.append('|').append(' ');
        }
        return out.toString().stripTrailing();
    }
}
