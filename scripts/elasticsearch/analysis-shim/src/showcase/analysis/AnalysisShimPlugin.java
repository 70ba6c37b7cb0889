package showcase.analysis;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.fr.FrenchMinimalStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenizer;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.tartarus.snowball.ext.FrenchStemmer;

/**
 * The few analysis components of Elastic's analysis-common module that the showcase uses, for the test
 * cluster only. The integ-test-zip distribution ships without analysis-common; production runs the full
 * distribution, which has them. Names, parameters and defaults follow analysis-common so that one set of
 * index settings works on both. The `ngram` tokenizer and filter are for Wagtail's own Elasticsearch
 * backend, whose index settings declare both (the benchmark's peer).
 */
public class AnalysisShimPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "asciifolding", AsciiFoldingFactory::new,
            "elision", AnalysisPlugin.requiresAnalysisSettings(ElisionFactory::new),
            "stemmer", StemmerFactory::new,
            "edge_ngram", EdgeNGramFilterFactory::new,
            "ngram", NGramFilterFactory::new
        );
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("edge_ngram", EdgeNGramTokenizerFactory::new, "ngram", NGramTokenizerFactory::new);
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of("french", FrenchAnalyzerProvider::new);
    }

    /** The bare names, usable without settings, as in analysis-common. */
    @Override
    public List<PreConfiguredTokenFilter> getPreConfiguredTokenFilters() {
        return List.of(
            PreConfiguredTokenFilter.singleton("asciifolding", true, ASCIIFoldingFilter::new),
            PreConfiguredTokenFilter.singleton("elision", true, in -> new ElisionFilter(in, FrenchAnalyzer.DEFAULT_ARTICLES)),
            PreConfiguredTokenFilter.singleton("edge_ngram", false, false, in -> new EdgeNGramTokenFilter(in, 1)),
            PreConfiguredTokenFilter.singleton("ngram", false, false, in -> new NGramTokenFilter(in, 1, 2, false)),
            PreConfiguredTokenFilter.singleton("french_stem", false, in -> new SnowballFilter(in, new FrenchStemmer()))
        );
    }

    @Override
    public List<PreConfiguredTokenizer> getPreConfiguredTokenizers() {
        return List.of(PreConfiguredTokenizer.singleton("ngram", NGramTokenizer::new));
    }

    /**
     * analysis-common's check for both n-gram components: a wide gram range multiplies the terms of an
     * index, so it is refused beyond the index's `index.max_ngram_diff` (1 unless set).
     */
    private static void checkNgramDiff(IndexSettings index, int minGram, int maxGram) {
        int allowed = index.getMaxNgramDiff();
        int diff = maxGram - minGram;
        if (diff > allowed) {
            throw new IllegalArgumentException(
                "The difference between max_gram and min_gram in NGram Tokenizer must be less than or equal to: ["
                    + allowed + "] but was [" + diff + "]. This limit can be set by changing the ["
                    + IndexSettings.MAX_NGRAM_DIFF_SETTING.getKey() + "] index level setting.");
        }
    }

    static final class AsciiFoldingFactory extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final boolean preserveOriginal;

        AsciiFoldingFactory(IndexSettings index, Environment env, String name, Settings settings) {
            super(name, settings);
            preserveOriginal = settings.getAsBoolean("preserve_original", false);
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new ASCIIFoldingFilter(in, preserveOriginal);
        }

        @Override
        public TokenStream normalize(TokenStream in) {
            return new ASCIIFoldingFilter(in, false);
        }
    }

    static final class ElisionFactory extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final CharArraySet articles;

        ElisionFactory(IndexSettings index, Environment env, String name, Settings settings) {
            super(name, settings);
            articles = Analysis.parseArticles(env, settings);
            if (articles == null) {
                throw new IllegalArgumentException("elision filter requires [articles] or [articles_path] setting");
            }
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new ElisionFilter(in, articles);
        }
    }

    static final class StemmerFactory extends AbstractTokenFilterFactory {
        private final UnaryOperator<TokenStream> stemmer;

        StemmerFactory(IndexSettings index, Environment env, String name, Settings settings) {
            super(name, settings);
            String language = settings.get("language", settings.get("name", "porter"));
            stemmer = switch (language) {
                case "french" -> in -> new SnowballFilter(in, new FrenchStemmer());
                case "light_french" -> FrenchLightStemFilter::new;
                case "minimal_french" -> FrenchMinimalStemFilter::new;
                case "english", "porter" -> PorterStemFilter::new;
                case "light_english" -> KStemFilter::new;
                case "minimal_english" -> EnglishMinimalStemFilter::new;
                case "possessive_english" -> EnglishPossessiveFilter::new;
                default -> throw new IllegalArgumentException(
                    "the test cluster's analysis shim has no stemmer for language [" + language + "]");
            };
        }

        @Override
        public TokenStream create(TokenStream in) {
            return stemmer.apply(in);
        }
    }

    static final class EdgeNGramFilterFactory extends AbstractTokenFilterFactory {
        private final int minGram;
        private final int maxGram;
        private final boolean preserveOriginal;

        EdgeNGramFilterFactory(IndexSettings index, Environment env, String name, Settings settings) {
            super(name, settings);
            minGram = settings.getAsInt("min_gram", 1);
            maxGram = settings.getAsInt("max_gram", 2);
            preserveOriginal = settings.getAsBoolean("preserve_original", false);
            if ("back".equals(settings.get("side"))) {
                throw new IllegalArgumentException("the test cluster's analysis shim does not support [side: back]");
            }
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new EdgeNGramTokenFilter(in, minGram, maxGram, preserveOriginal);
        }
    }

    static final class EdgeNGramTokenizerFactory extends AbstractTokenizerFactory {
        private final int minGram;
        private final int maxGram;
        private final IntPredicate tokenChar;

        EdgeNGramTokenizerFactory(IndexSettings index, Environment env, String name, Settings settings) {
            super(index, settings, name);
            minGram = settings.getAsInt("min_gram", 1);
            maxGram = settings.getAsInt("max_gram", 2);
            tokenChar = TokenChars.parse(settings);
        }

        @Override
        public Tokenizer create() {
            if (tokenChar == null) {
                return new EdgeNGramTokenizer(minGram, maxGram);
            }
            return new EdgeNGramTokenizer(minGram, maxGram) {
                @Override
                protected boolean isTokenChar(int c) {
                    return tokenChar.test(c);
                }
            };
        }
    }

    static final class NGramFilterFactory extends AbstractTokenFilterFactory {
        private final int minGram;
        private final int maxGram;
        private final boolean preserveOriginal;

        NGramFilterFactory(IndexSettings index, Environment env, String name, Settings settings) {
            super(name, settings);
            minGram = settings.getAsInt("min_gram", 1);
            maxGram = settings.getAsInt("max_gram", 2);
            checkNgramDiff(index, minGram, maxGram);
            preserveOriginal = settings.getAsBoolean("preserve_original", false);
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new NGramTokenFilter(in, minGram, maxGram, preserveOriginal);
        }

        @Override
        public TokenFilterFactory getSynonymFilter() {
            throw new IllegalArgumentException("Token filter [" + name() + "] cannot be used to parse synonyms");
        }
    }

    static final class NGramTokenizerFactory extends AbstractTokenizerFactory {
        private final int minGram;
        private final int maxGram;
        private final IntPredicate tokenChar;

        NGramTokenizerFactory(IndexSettings index, Environment env, String name, Settings settings) {
            super(index, settings, name);
            minGram = settings.getAsInt("min_gram", NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE);
            maxGram = settings.getAsInt("max_gram", NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE);
            checkNgramDiff(index, minGram, maxGram);
            tokenChar = TokenChars.parse(settings);
        }

        @Override
        public Tokenizer create() {
            if (tokenChar == null) {
                return new NGramTokenizer(minGram, maxGram);
            }
            return new NGramTokenizer(minGram, maxGram) {
                @Override
                protected boolean isTokenChar(int c) {
                    return tokenChar.test(c);
                }
            };
        }
    }

    /**
     * The `token_chars` of the n-gram tokenizers, as analysis-common reads them: the five classes, any
     * Unicode category by its `java.lang.Character` name (`uppercase_letter`...), and `custom` with
     * `custom_token_chars`.
     */
    static final class TokenChars {
        private static final Map<String, IntPredicate> CLASSES = classes();

        private static Map<String, IntPredicate> classes() {
            Map<String, IntPredicate> classes = new TreeMap<>();
            classes.put("letter", Character::isLetter);
            classes.put("digit", Character::isDigit);
            classes.put("whitespace", Character::isWhitespace);
            classes.put("punctuation", c -> switch (Character.getType(c)) {
                case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
                default -> false;
            });
            classes.put("symbol", c -> switch (Character.getType(c)) {
                case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                    Character.OTHER_SYMBOL -> true;
                default -> false;
            });
            for (Field field : Character.class.getFields()) {
                if (field.getName().startsWith("DIRECTIONALITY") == false
                    && Modifier.isStatic(field.getModifiers())
                    && field.getType() == byte.class) {
                    try {
                        byte category = field.getByte(null);
                        classes.put(field.getName().toLowerCase(Locale.ROOT), c -> Character.getType(c) == category);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            return classes;
        }

        private TokenChars() {}

        /** Null when every character belongs to a token, which is what an empty token_chars means. */
        static IntPredicate parse(Settings settings) {
            List<String> names = settings.getAsList("token_chars");
            if (names.isEmpty()) {
                return null;
            }
            List<IntPredicate> matchers = new ArrayList<>();
            for (String name : names) {
                String charClass = name.toLowerCase(Locale.ROOT).trim();
                IntPredicate matcher = CLASSES.get(charClass);
                if (matcher == null) {
                    if (charClass.equals("custom") == false) {
                        throw new IllegalArgumentException("Unknown token type: '" + charClass + "', must be one of "
                            + CLASSES.keySet() + " or custom");
                    }
                    String custom = settings.get("custom_token_chars");
                    if (custom == null) {
                        throw new IllegalArgumentException("Token type: 'custom' requires setting `custom_token_chars`");
                    }
                    matcher = c -> custom.chars().anyMatch(character -> character == c);
                }
                matchers.add(matcher);
            }
            return c -> matchers.stream().anyMatch(matcher -> matcher.test(c));
        }
    }

    static final class FrenchAnalyzerProvider extends AbstractIndexAnalyzerProvider<FrenchAnalyzer> {
        private final FrenchAnalyzer analyzer;

        FrenchAnalyzerProvider(IndexSettings index, Environment env, String name, Settings settings) {
            super(name, settings);
            analyzer = new FrenchAnalyzer(
                Analysis.parseStopWords(env, settings, FrenchAnalyzer.getDefaultStopSet()),
                Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET)
            );
        }

        @Override
        public FrenchAnalyzer get() {
            return analyzer;
        }
    }
}
