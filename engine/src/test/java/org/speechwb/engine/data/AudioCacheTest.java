package org.speechwb.engine.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class AudioCacheTest {

    private final AtomicInteger loads = new AtomicInteger();
    private final AudioLoader loader = file -> {
        loads.incrementAndGet();
        return new float[Integer.parseInt(file.getFileName().toString())];
    };

    @Test
    void evictsLeastRecentlyUsedWhenOverBudget() throws IOException {
        AudioCache cache = new AudioCache(4 * 250);
        cache.get(Path.of("100"), loader);
        cache.get(Path.of("101"), loader);
        cache.get(Path.of("100"), loader); // 100 is now most recent
        cache.get(Path.of("50"), loader); // 251 floats > 250: evicts 101
        assertThat(cache.bytes()).isEqualTo(4 * 150);
        assertThat(cache.entries()).isEqualTo(2);
        assertThat(loads.get()).isEqualTo(3);
        cache.get(Path.of("100"), loader);
        assertThat(loads.get()).isEqualTo(3);
        cache.get(Path.of("101"), loader);
        assertThat(loads.get()).isEqualTo(4);
        assertThat(cache.hits()).isEqualTo(2);
    }

    @Test
    void entriesLargerThanTheBudgetAreNotCachedAndZeroDisables() throws IOException {
        AudioCache cache = new AudioCache(4 * 10);
        cache.get(Path.of("11"), loader);
        assertThat(cache.entries()).isZero();
        AudioCache off = AudioCache.disabled();
        off.get(Path.of("1"), loader);
        off.get(Path.of("1"), loader);
        assertThat(loads.get()).isEqualTo(3);
    }
}
