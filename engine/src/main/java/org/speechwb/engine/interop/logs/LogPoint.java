package org.speechwb.engine.interop.logs;

import java.util.Map;

/**
 * One logged point of a run made elsewhere, in our metric names (docs/metrics.md): the
 * training phase ({@code train} for per-update lines, {@code valid} for validations), the
 * update it belongs to, and the values the source gave that have a counterpart here.
 */
public record LogPoint(String phase, long update, Map<String, Double> values) {

    public LogPoint {
        values = Map.copyOf(values);
    }
}
