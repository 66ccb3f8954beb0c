package org.speechwb.engine.model.w2v2;

/** Normalisation scheme of the wav2vec 2.0 feature encoder (fairseq's extractor_mode). */
public enum ExtractorMode {
    /** BASE: GroupNorm with one group per channel after the first convolution only. */
    @com.fasterxml.jackson.annotation.JsonProperty("default")
    DEFAULT,
    /** LARGE: LayerNorm over channels after every convolution. */
    @com.fasterxml.jackson.annotation.JsonProperty("layer_norm")
    LAYER_NORM
}
