package org.speechwb.engine.eval;

/** One step of an alignment between a reference and a hypothesis. */
public enum EditOp {
    MATCH,
    SUBSTITUTION,
    /** A hypothesis unit with no reference counterpart. */
    INSERTION,
    /** A reference unit missing from the hypothesis. */
    DELETION
}
