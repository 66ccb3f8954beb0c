package org.speechwb.engine.model.w2v2;

/** One layer of a convolutional feature encoder: output channels, kernel width, stride. */
public record ConvLayerSpec(int channels, int kernel, int stride) {
    public ConvLayerSpec {
        if (channels <= 0 || kernel <= 0 || stride <= 0) {
            throw new IllegalArgumentException("conv layer needs positive channels, kernel and stride, got ("
                    + channels + ", " + kernel + ", " + stride + ")");
        }
    }
}
