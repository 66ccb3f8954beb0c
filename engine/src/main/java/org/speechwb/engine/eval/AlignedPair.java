package org.speechwb.engine.eval;

/**
 * A reference unit and the hypothesis unit aligned to it (words or characters).
 *
 * @param ref null for an insertion
 * @param hyp null for a deletion
 */
public record AlignedPair(EditOp op, String ref, String hyp) {
}
