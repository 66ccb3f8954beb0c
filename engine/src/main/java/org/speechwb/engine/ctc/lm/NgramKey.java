package org.speechwb.engine.ctc.lm;

import java.util.Arrays;

/** Word ids of one n-gram (oldest first) as a hash key. */
final class NgramKey implements Comparable<NgramKey> {

    final int[] ids;
    private final int hash;

    NgramKey(int[] ids) {
        this.ids = ids;
        this.hash = Arrays.hashCode(ids);
    }

    static NgramKey of(int[] words, int from, int to) {
        return new NgramKey(Arrays.copyOfRange(words, from, to));
    }

    int order() {
        return ids.length;
    }

    /** The n-gram without its first word (the lower-order context it backs off to). */
    NgramKey suffix() {
        return of(ids, 1, ids.length);
    }

    /** The n-gram without its last word (its context). */
    NgramKey prefix() {
        return of(ids, 0, ids.length - 1);
    }

    int last() {
        return ids[ids.length - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NgramKey k && k.hash == hash && Arrays.equals(k.ids, ids);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(NgramKey o) {
        return Arrays.compare(ids, o.ids);
    }
}
