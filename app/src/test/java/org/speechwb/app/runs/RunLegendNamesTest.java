package org.speechwb.app.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class RunLegendNamesTest {

    @Test
    void legendsShowRunNamesAndKeepIdsOnlyWhereNamesCollide() {
        var names = RunsViewModel.legendNames(List.of("20261203-160730-tiny-a", "20261203-160753-tiny-b-lr",
                "20261204-090000-tiny-a", "imported-hf"));
        assertThat(names).containsEntry("20261203-160753-tiny-b-lr", "tiny-b-lr")
                .containsEntry("20261203-160730-tiny-a", "20261203-160730-tiny-a")
                .containsEntry("20261204-090000-tiny-a", "20261204-090000-tiny-a")
                .containsEntry("imported-hf", "imported-hf");
    }
}
