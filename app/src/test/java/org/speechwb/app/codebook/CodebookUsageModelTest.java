package org.speechwb.app.codebook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.speechwb.engine.run.CodebookUsage;

class CodebookUsageModelTest {

    private static long[][] counts(long a, long b) {
        return new long[][] {{a, b, 0}};
    }

    @Test
    void liveUpdatesCloseWindowsLikeTheEngineAndSkipWhatTheFileHolds() {
        CodebookUsageModel m = new CodebookUsageModel(1, 3);
        m.addWindows(List.of(new CodebookUsage(10, counts(30, 10))));
        m.addUpdate(7, counts(100, 100)); // already in the file's window
        for (int u = 11; u <= 23; u++) {
            m.addUpdate(u, counts(1, 3));
        }
        assertThat(m.columns()).isEqualTo(3);
        assertThat(m.columnEnd(0)).isEqualTo(10);
        assertThat(m.columnEnd(1)).isEqualTo(20);
        assertThat(m.columnEnd(2)).isEqualTo(23);
        assertThat(m.column(1, 0)).containsExactly(10, 30, 0);
        assertThat(m.share(1, 0, 1)).isEqualTo(0.75);
        assertThat(m.cumulative(0)).containsExactly(30 + 13, 10 + 39, 0);
        assertThat(m.usedEntries(0)).isEqualTo(2);
        assertThat(m.sortedShares(0)[0]).isGreaterThan(m.sortedShares(0)[1]);
        assertThat(m.sortedShares(0)[2]).isZero();
    }

    @Test
    void longRunsAreMergedPairwiseKeepingTotals() {
        CodebookUsageModel m = new CodebookUsageModel(1, 3);
        List<CodebookUsage> lines = new ArrayList<>();
        for (int w = 1; w <= CodebookUsageModel.MAX_COLUMNS + 1; w++) {
            lines.add(new CodebookUsage(w * 10, counts(1, 2)));
        }
        m.addWindows(lines);
        assertThat(m.columns()).isLessThanOrEqualTo(CodebookUsageModel.MAX_COLUMNS);
        assertThat(m.columnEnd(m.columns() - 1)).isEqualTo((CodebookUsageModel.MAX_COLUMNS + 1) * 10);
        long total = 0;
        for (int c = 0; c < m.columns(); c++) {
            total += m.column(c, 0)[0] + m.column(c, 0)[1];
        }
        assertThat(total).isEqualTo(3L * (CodebookUsageModel.MAX_COLUMNS + 1));
        assertThat(m.share(0, 0, 1)).isEqualTo(2.0 / 3);
    }
}
