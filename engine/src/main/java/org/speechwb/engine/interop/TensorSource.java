package org.speechwb.engine.interop;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Named tensors in a file, read one at a time (a BASE checkpoint is 360 MB: nothing holds more
 * than the tensor being converted). Values come back as row-major float32, whatever the stored
 * type (F32, F16, BF16, F64).
 */
public interface TensorSource extends Closeable {

    /** A stored tensor's name, element type (safetensors spelling: F32, F16, BF16, …) and shape. */
    record Info(String name, String dtype, long[] shape) {
        public long numel() {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }

        @Override
        public String toString() {
            return name + " " + dtype + Arrays.toString(shape);
        }
    }

    Path file();

    /** Every tensor, in the file's order. */
    Map<String, Info> tensors();

    /** The tensor's values, row-major, as float32. */
    float[] read(String name) throws IOException;

    default boolean has(String name) {
        return tensors().containsKey(name);
    }
}
