package org.speechwb.engine.probe;

import java.util.List;

/** Layer probes as a Markdown table: one row per representation, one CER column per model. */
public final class ProbeTable {

    private ProbeTable() {
    }

    /**
     * A caption naming what the cells are, then the table. Every result must probe the same
     * representations in the same order (they do when they come from one architecture).
     */
    public static String markdown(List<LayerProbe.Result> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no probe results to tabulate");
        }
        List<LayerProbe.LayerScore> first = results.get(0).layers();
        int probeSeeds = first.isEmpty() ? 1 : first.get(0).probeCers().size();
        StringBuilder b = new StringBuilder("Linear CTC on frozen representations, validation CER %")
                .append(probeSeeds > 1 ? ", mean [range] over " + probeSeeds + " probe seeds" : "")
                .append(".\n\n| representation |");
        results.forEach(r -> b.append(' ').append(r.model()).append(" |"));
        b.append("\n|---|").append("---|".repeat(results.size())).append('\n');
        for (int i = 0; i < first.size(); i++) {
            b.append("| ").append(first.get(i).layer()).append(" |");
            for (LayerProbe.Result r : results) {
                b.append(' ').append(r.layers().get(i).cerText()).append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }
}
