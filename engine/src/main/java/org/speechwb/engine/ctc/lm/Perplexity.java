package org.speechwb.engine.ctc.lm;

/**
 * Perplexity of a model on some sentences: {@code 10^(−Σ log10 P / N)} with N counting every
 * word and one {@code </s>} per sentence. Like KenLM's {@code query} it is given twice: with
 * unknown words scored as {@code <unk>}, and leaving them out of sum and count.
 *
 * @param words               words scored (without the {@code </s>} tokens)
 * @param oov                 of which unknown to the model
 * @param log10Prob           total log10 probability, unknown words included
 * @param perplexity          including unknown words
 * @param perplexityKnownOnly excluding unknown words
 */
public record Perplexity(int sentences, long words, long oov, double log10Prob, double perplexity,
                         double perplexityKnownOnly) {

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "perplexity %.2f (%.2f without the %d unknown words) over %d sentences, %d words", perplexity,
                perplexityKnownOnly, oov, sentences, words);
    }
}
