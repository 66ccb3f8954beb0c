package org.speechwb.engine.train;

/** Greedy-decoding WER and CER on the validation utterances at an update. */
public record ValidationResult(int update, double wer, double cer, int utterances, boolean best, double seconds) {
}
