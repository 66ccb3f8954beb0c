package org.speechwb.engine.data;

/**
 * Where a trainer is in the batch sequence: the {@code index}-th batch of {@code epoch}. Batches
 * are a pure function of (seed, epoch, index), so saving this in a checkpoint is enough to resume
 * with exactly the batches an uninterrupted run would have seen.
 */
public record BatchPosition(int epoch, int index) implements Comparable<BatchPosition> {

    public BatchPosition {
        if (epoch < 0 || index < 0) {
            throw new IllegalArgumentException("batch position must not be negative: epoch " + epoch + ", index "
                    + index);
        }
    }

    public static BatchPosition start(int epoch) {
        return new BatchPosition(epoch, 0);
    }

    /** The position after this one, rolling over to the next epoch after its last batch. */
    public BatchPosition next(int batchesInEpoch) {
        return index + 1 >= batchesInEpoch ? new BatchPosition(epoch + 1, 0) : new BatchPosition(epoch, index + 1);
    }

    @Override
    public int compareTo(BatchPosition o) {
        return epoch != o.epoch ? Integer.compare(epoch, o.epoch) : Integer.compare(index, o.index);
    }

    @Override
    public String toString() {
        return "epoch " + epoch + " batch " + index;
    }
}
