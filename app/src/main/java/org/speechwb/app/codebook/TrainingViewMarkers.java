package org.speechwb.app.codebook;

import org.jfree.chart.plot.ValueMarker;

/** The dashed reference line style shared with the Training screen's chance-level line. */
final class TrainingViewMarkers {

    private TrainingViewMarkers() {
    }

    static ValueMarker line(double y, String label) {
        return org.speechwb.app.training.TrainingView.referenceLine(y, label);
    }
}
