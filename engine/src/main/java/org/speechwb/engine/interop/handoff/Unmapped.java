package org.speechwb.engine.interop.handoff;

/**
 * A workbench setting the target engine has no place for, or maps with different semantics.
 * Listed in the hand-off's README rather than dropped silently.
 *
 * @param knob    the workbench's field, e.g. {@code masking.minMasks}
 * @param value   its value in the exported config
 * @param why     what the target does instead
 * @param blocker true when the target's launcher will refuse the run as written
 */
public record Unmapped(String knob, String value, String why, boolean blocker) {

    static Unmapped note(String knob, Object value, String why) {
        return new Unmapped(knob, String.valueOf(value), why, false);
    }

    static Unmapped blocker(String knob, Object value, String why) {
        return new Unmapped(knob, String.valueOf(value), why, true);
    }
}
