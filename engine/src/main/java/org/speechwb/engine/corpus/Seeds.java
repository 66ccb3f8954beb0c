package org.speechwb.engine.corpus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Independent random streams derived from one corpus seed by purpose ("sentences", an utterance
 * id, ...). Each decision draws from its own stream, so adding a voice or changing the target
 * size does not reshuffle unrelated decisions, and results do not depend on thread scheduling.
 * Only {@link SplittableRandom} and FNV-1a are used, both specified exactly, so a seed means the
 * same thing on every JDK.
 */
final class Seeds {

    private Seeds() {
    }

    static SplittableRandom stream(long seed, String purpose) {
        return new SplittableRandom(new SplittableRandom(seed ^ fnv1a(purpose)).nextLong());
    }

    /** Fisher-Yates shuffle of a copy of {@code items}. */
    static <T> List<T> shuffled(List<T> items, SplittableRandom random) {
        List<T> out = new ArrayList<>(items);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }

    static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
