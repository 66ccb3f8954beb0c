package org.speechwb.engine.corpus;

/**
 * One row of utterances.tsv.
 *
 * @param path '/'-separated, relative to the corpus folder
 * @param text normalised transcript
 */
public record CorpusUtterance(String id, String path, String speaker, CorpusSplit split, String text) {
}
