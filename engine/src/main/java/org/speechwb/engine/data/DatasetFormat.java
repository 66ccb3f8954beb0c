package org.speechwb.engine.data;

/** The on-disk dataset layouts {@link DatasetLoader} understands. */
public enum DatasetFormat {
    /** Our native layout: a folder with {@code utterances.tsv} ({@code id path speaker split text}). */
    WORKBENCH_CORPUS,
    /** Any folder tree of .wav/.flac files, with optional same-name .txt transcripts. */
    FOLDER,
    /** {@code speaker/chapter/*.flac} with {@code speaker-chapter.trans.txt} files. */
    LIBRISPEECH,
    /** A fairseq wav2vec manifest {@code .tsv} (root line, then {@code path<TAB>num_samples}). */
    FAIRSEQ_MANIFEST,
    /** A {@code transcripts.tsv} ({@code id<TAB>text}) next to a {@code wav/} folder. */
    TRANSCRIPTS_TSV,
    /** A Kaldi data directory: {@code wav.scp}, optional {@code text} and {@code utt2spk}. */
    KALDI
}
