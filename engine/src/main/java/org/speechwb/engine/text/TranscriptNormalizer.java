package org.speechwb.engine.text;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns free text into the transcript alphabet of every corpus in this project: upper-case
 * letters A-Z, the apostrophe, and single spaces between words.
 *
 * <p>CTC fine-tuning predicts one symbol per frame from a fixed alphabet, and WER/CER are only
 * comparable across corpora when all transcripts went through the same mapping. So the rules
 * are deliberately simple and stable: accents are stripped, digits are spelled out
 * ({@link NumberVerbalizer}), "&amp;" becomes AND and "%" PERCENT, hyphens, slashes and every
 * other punctuation mark separate words, and an apostrophe survives only inside a word
 * (IT'S, O'CLOCK), never as a quotation mark at a word's edge.
 */
public final class TranscriptNormalizer {

    private static final Pattern NORMALIZED = Pattern.compile("[A-Z]+(?:'[A-Z]+)*(?: [A-Z]+(?:'[A-Z]+)*)*");
    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
    /** Thousands separators inside a number: 1,250,000. */
    private static final Pattern GROUPED = Pattern.compile("(?<![\\d.])(\\d{1,3})((?:,\\d{3})+)(?![\\d,])");
    private static final Pattern ORDINAL = Pattern.compile("(?<![\\d.])(\\d+)(st|nd|rd|th)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern DECIMAL = Pattern.compile("(?<![\\d.])(\\d+)\\.(\\d+)(?![\\d.])");
    private static final Pattern INTEGER = Pattern.compile("\\d+");

    private TranscriptNormalizer() {
    }

    /**
     * The normalised form of {@code text}; the empty string when nothing speakable is left.
     *
     * @throws NullPointerException if {@code text} is null
     */
    public static String normalize(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKD);
        s = COMBINING_MARKS.matcher(s).replaceAll("");
        s = s.replace('\u2019', '\'').replace('\u2018', '\'').replace('\u02BC', '\'').replace('`', '\'');
        s = expandNumbers(s);
        s = s.replace("&", " AND ").replace("%", " PERCENT ");
        s = s.toUpperCase(Locale.ROOT);
        return keepAlphabet(s);
    }

    /** True if {@code text} is already in the transcript alphabet (and not empty). */
    public static boolean isNormalized(String text) {
        return text != null && NORMALIZED.matcher(text).matches();
    }

    private static String expandNumbers(String s) {
        s = replaceAll(GROUPED, s, m -> m.group(1) + m.group(2).replace(",", ""));
        s = replaceAll(ORDINAL, s, m -> " " + NumberVerbalizer.ordinal(m.group(1)) + " ");
        s = replaceAll(DECIMAL, s, m -> " " + NumberVerbalizer.cardinal(m.group(1)) + " POINT "
                + NumberVerbalizer.digitByDigit(m.group(2)) + " ");
        return replaceAll(INTEGER, s, m -> " " + NumberVerbalizer.cardinal(m.group()) + " ");
    }

    private static String replaceAll(Pattern pattern, String s, java.util.function.Function<Matcher, String> f) {
        Matcher m = pattern.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(f.apply(m)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Letters stay, inner apostrophes stay, everything else becomes a single space. */
    private static String keepAlphabet(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                out.append(c);
            } else if (c == '\'') {
                boolean letterBefore = out.length() > 0 && isLetter(out.charAt(out.length() - 1));
                boolean letterAfter = i + 1 < s.length() && isLetter(s.charAt(i + 1));
                if (letterBefore && letterAfter) {
                    out.append(c);
                }
            } else {
                String spelled = latinLetter(c);
                if (spelled != null) {
                    out.append(spelled);
                } else if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                    out.append(' ');
                }
            }
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        return out.substring(0, end);
    }

    private static boolean isLetter(char c) {
        return (c >= 'A' && c <= 'Z') || latinLetter(c) != null;
    }

    /** Latin letters that NFKD does not decompose into A-Z plus a mark. */
    private static String latinLetter(char c) {
        return switch (c) {
            case '\u00DF', '\u1E9E' -> "SS";
            case '\u00C6' -> "AE";
            case '\u0152' -> "OE";
            case '\u00D8' -> "O";
            case '\u0141' -> "L";
            case '\u0110', '\u00D0' -> "D";
            case '\u00DE' -> "TH";
            default -> null;
        };
    }
}
