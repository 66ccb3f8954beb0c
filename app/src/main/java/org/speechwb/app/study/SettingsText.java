package org.speechwb.app.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javafx.beans.property.StringProperty;

import org.speechwb.app.study.StudySettingsViewModel.Field;

/**
 * How the settings page's text becomes values, and which field an engine message is about: the
 * parsing half of {@link StudySettingsViewModel}, kept apart so the model holds state only.
 */
final class SettingsText {

    private SettingsText() {
    }

    static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    static String join(List<Long> xs) {
        return String.join(",", xs.stream().map(String::valueOf).toList());
    }

    static List<Long> seeds(String text, Map<Field, String> err) {
        List<Long> out = new ArrayList<>();
        for (String s : text.split(",", -1)) {
            String t = s.strip();
            if (t.isEmpty() && text.isBlank()) {
                continue;
            }
            try {
                out.add(Long.parseLong(t));
            } catch (NumberFormatException e) {
                err.put(Field.SEEDS, "Whole numbers separated by commas, e.g. 1,2,3 ('" + t + "' is not one)");
                return null;
            }
        }
        return out;
    }

    static Integer whole(StringProperty p, Field f, Map<Field, String> err) {
        String t = p.get().strip();
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            err.put(f, "Not a whole number: '" + t + "'");
            return null;
        }
    }

    /** Which field an {@link ExperimentConfig} message is about (its messages name the field). */
    static Field fieldOf(String msg, Integer pre, Integer ft) {
        String m = msg == null ? "" : msg;
        if (m.startsWith("pretrainUpdates and finetuneUpdates")) {
            return pre != null && pre < 1 ? Field.PRETRAIN : Field.FINETUNE;
        }
        if (m.contains("labeledMinutes")) {
            return Field.MINUTES;
        }
        if (m.startsWith("seeds")) {
            return Field.SEEDS;
        }
        if (m.startsWith("arms") || m.startsWith("unknown arm")) {
            return Field.ARMS;
        }
        if (m.startsWith("test set")) {
            return Field.TEST_SETS;
        }
        if (m.contains("acousticUpdates")) {
            return Field.ACOUSTIC;
        }
        if (m.contains("featureUpdates")) {
            return Field.FEATURE;
        }
        if (m.contains("probeUpdates")) {
            return Field.PROBE;
        }
        if (m.contains("built corpus")) {
            return Field.CORPUS;
        }
        return Field.OTHER;
    }

    /**
     * An engine message shown beside the field it is about: without its opening "SUBJECT: " or
     * "SUBJECT " (the field already shows what it names), capitalised.
     */
    static String besideField(String message, String subject) {
        String m = message == null ? "" : message;
        if (m.startsWith(subject)) {
            m = m.substring(subject.length()).replaceFirst("^:?\\s+", "");
        }
        return m.isEmpty() ? m : Character.toUpperCase(m.charAt(0)) + m.substring(1);
    }
}
