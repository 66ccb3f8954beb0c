package org.speechwb.engine.data;

import org.speechwb.engine.util.Seeds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * fairseq's batch formation for raw audio ({@code RawAudioDataset.ordered_indices} followed by
 * {@code batch_by_size} and the epoch iterator's batch shuffle), as a pure function of
 * (sizes, limits, seed, epoch):
 * <ol>
 *   <li>order utterances by size, longest first, ties broken by a random permutation;</li>
 *   <li>cut the order into consecutive batches, closing a batch when one more utterance would
 *       make {@code count × longest} exceed {@code maxTokens} or the count exceed {@code maxBatchSize};</li>
 *   <li>shuffle the batches.</li>
 * </ol>
 * Sorting by size first keeps utterances of similar length together, so little audio is cropped
 * away or padded.
 */
final class BatchPlanner {

    private BatchPlanner() {
    }

    /**
     * @param sizes sizes used for ordering (pre-training: length capped at maxSampleSize)
     * @return batches as indices into {@code sizes}
     */
    static int[][] plan(int[] sizes, int maxTokens, int maxBatchSize, long seed, int epoch) {
        int n = sizes.length;
        Random rng = new Random(Seeds.mix(seed, epoch));
        int[] tieRank = permutation(n, rng);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> sizes[a] != sizes[b] ? Integer.compare(sizes[b], sizes[a])
                : Integer.compare(tieRank[b], tieRank[a]));
        List<int[]> batches = new ArrayList<>();
        int[] current = new int[Math.min(n, maxBatchSize)];
        int count = 0;
        int longest = 0;
        for (int idx : order) {
            int size = sizes[idx];
            int newLongest = Math.max(longest, size);
            if (count > 0 && ((long) (count + 1) * newLongest > maxTokens || count + 1 > maxBatchSize)) {
                batches.add(Arrays.copyOf(current, count));
                count = 0;
                newLongest = size;
            }
            current[count++] = idx;
            longest = newLongest;
        }
        if (count > 0) {
            batches.add(Arrays.copyOf(current, count));
        }
        Collections.shuffle(batches, rng);
        return batches.toArray(new int[0][]);
    }

    private static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
