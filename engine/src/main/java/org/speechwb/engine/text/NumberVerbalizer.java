package org.speechwb.engine.text;

/**
 * Spells non-negative whole numbers as upper-case English words ("ONE HUNDRED TWENTY THREE").
 *
 * <p>Transcripts for CTC training may only contain letters, so every digit a prompt carries has
 * to be said in words, and in the same words for every corpus we build. American style without
 * "AND" and without hyphens is used, because a hyphen is not in the transcript alphabet and
 * "TWENTY THREE" is also how most TTS voices pronounce it.
 */
public final class NumberVerbalizer {

    /** Longest digit string read as one number; longer runs are read digit by digit. */
    static final int MAX_CARDINAL_DIGITS = 15;

    private static final String[] ONES = {
            "ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE",
            "TEN", "ELEVEN", "TWELVE", "THIRTEEN", "FOURTEEN", "FIFTEEN", "SIXTEEN", "SEVENTEEN",
            "EIGHTEEN", "NINETEEN"};
    private static final String[] TENS = {
            "", "", "TWENTY", "THIRTY", "FORTY", "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY"};
    private static final String[] SCALES = {"", "THOUSAND", "MILLION", "BILLION", "TRILLION"};

    private NumberVerbalizer() {
    }

    /** Words for a run of decimal digits: a cardinal up to 15 digits, else one word per digit. */
    public static String cardinal(String digits) {
        requireDigits(digits);
        if (digits.length() > MAX_CARDINAL_DIGITS) {
            return digitByDigit(digits);
        }
        return cardinal(Long.parseLong(digits));
    }

    /** Words for {@code n}, e.g. 1205 becomes "ONE THOUSAND TWO HUNDRED FIVE". */
    public static String cardinal(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative numbers are not verbalised: " + n);
        }
        if (n == 0) {
            return ONES[0];
        }
        int scale = 0;
        String result = "";
        while (n > 0) {
            int chunk = (int) (n % 1000);
            if (chunk != 0) {
                String words = belowThousand(chunk) + (scale > 0 ? " " + SCALES[scale] : "");
                result = result.isEmpty() ? words : words + " " + result;
            }
            n /= 1000;
            scale++;
        }
        return result;
    }

    /** Ordinal words for a digit string: "21" becomes "TWENTY FIRST". */
    public static String ordinal(String digits) {
        String words = cardinal(digits);
        int cut = words.lastIndexOf(' ');
        String last = words.substring(cut + 1);
        return words.substring(0, cut + 1) + ordinalWord(last);
    }

    /** One word per digit, as used after a decimal point ("POINT ZERO FIVE"). */
    public static String digitByDigit(String digits) {
        requireDigits(digits);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(ONES[digits.charAt(i) - '0']);
        }
        return out.toString();
    }

    private static String belowThousand(int n) {
        StringBuilder out = new StringBuilder();
        if (n >= 100) {
            out.append(ONES[n / 100]).append(" HUNDRED");
            n %= 100;
            if (n > 0) {
                out.append(' ');
            }
        }
        if (n >= 20) {
            out.append(TENS[n / 10]);
            if (n % 10 > 0) {
                out.append(' ').append(ONES[n % 10]);
            }
        } else if (n > 0) {
            out.append(ONES[n]);
        }
        return out.toString();
    }

    private static String ordinalWord(String cardinalWord) {
        return switch (cardinalWord) {
            case "ONE" -> "FIRST";
            case "TWO" -> "SECOND";
            case "THREE" -> "THIRD";
            case "FIVE" -> "FIFTH";
            case "EIGHT" -> "EIGHTH";
            case "NINE" -> "NINTH";
            case "TWELVE" -> "TWELFTH";
            default -> cardinalWord.endsWith("Y")
                    ? cardinalWord.substring(0, cardinalWord.length() - 1) + "IETH"
                    : cardinalWord + "TH";
        };
    }

    private static void requireDigits(String digits) {
        if (digits == null || digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a run of decimal digits: " + digits);
        }
    }
}
