package dev.tunewright.engine.chat.jinja;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.JinjavaProcessors;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.loader.ResourceLocator;
import dev.tunewright.engine.chat.ChatTemplateException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Jinja as Hugging Face renders chat templates (Jinja2 with {@code trim_blocks} and {@code lstrip_blocks}, in a
 * sandbox), on Jinjava. Whitespace control is resolved by {@link JinjaWhitespace} before Jinjava sees the
 * template; Jinjava runs with nested interpretation off (message content such as <code>{{ 7*7 }}</code> is printed,
 * not evaluated), no template loading, bounded depth/output/collections/work ({@link RenderBudget}), and the
 * restricted attribute access of {@link SandboxResolver}. Everything that makes Jinjava behave like Python's Jinja2
 * lives in this package; {@code ChatTemplate} is the API in front of it.
 */
public final class JinjaRenderer {

    /** Bounds for untrusted templates; far above what any real chat prompt needs. */
    static final long MAX_OUTPUT_CHARS = 8L * 1024 * 1024;
    static final int MAX_RENDER_DEPTH = 20;
    static final int MAX_COLLECTION_SIZE = 100_000;
    static final int MAX_RANGE = 10_000;

    private static final Map<Context.Library, Set<String>> DISABLED = Map.of(
            Context.Library.TAG, Set.of("include", "import", "from", "extends", "block"),
            Context.Library.FUNCTION, Set.of("fromjson", "unixtimestamp"));

    private static final Jinjava JINJAVA = withJinjavasClassLoader(JinjaRenderer::newJinjava);

    private JinjaRenderer() {}

    /**
     * The template as Jinjava is to run it (whitespace control resolved, Python-only syntax rewritten), refusing
     * now what would render differently later: Jinjava prints nothing for an unknown filter or test, Jinja2 refuses
     * the template.
     */
    public static String prepare(String source) {
        TagBodies.Names names = new TagBodies.Names(new HashSet<>(), new HashSet<>());
        String prepared = JinjaWhitespace.apply(source, names);
        for (String filter : names.filters()) {
            if (JINJAVA.getGlobalContext().getFilter(filter) == null) {
                throw new ChatTemplateException("chat template uses filter '" + filter + "', which is not supported");
            }
        }
        for (String test : names.tests()) {
            if (JINJAVA.getGlobalContext().getExpTest(test) == null) {
                throw new ChatTemplateException("chat template uses test '" + test + "', which is not supported");
            }
        }
        return prepared;
    }

    /**
     * Renders a template {@link #prepare}d before with {@code messages}, {@code add_generation_prompt} and
     * {@code variables}. Any Jinjava error fails the render: a prompt that differs silently from the one the model
     * was trained on is worse than no prompt.
     */
    public static String render(String prepared, List<?> messages, boolean addGenerationPrompt,
                                Map<String, ?> variables) {
        Map<String, Object> context = new HashMap<>();
        // Functions are not variables in Jinjava; HF templates test `strftime_now is defined`.
        context.put("strftime_now", "strftime_now");
        context.put("raise_exception", "raise_exception");
        FalseStrings falseStrings = new FalseStrings();
        variables.forEach((k, v) -> context.put(k, falseStrings.mask(PlainValues.of(v))));
        context.put("messages", falseStrings.mask(PlainValues.of(messages)));
        context.put("add_generation_prompt", addGenerationPrompt);
        RenderResult result;
        RenderBudget.start();
        try {
            result = withJinjavasClassLoader(() -> JINJAVA.renderForResult(prepared, context));
        } catch (RenderBudget.Exhausted e) {
            throw new ChatTemplateException(e.getMessage());
        } catch (TemplateFunctions.TemplateRaised e) {
            throw raised(e);
        } catch (ChatTemplateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ChatTemplateException("chat template failed: " + e.getMessage(), e);
        } finally {
            RenderBudget.finish();
        }
        for (TemplateError error : result.getErrors()) {
            throw failure(error);
        }
        return falseStrings.unmask(result.getOutput());
    }

    private static ChatTemplateException failure(TemplateError error) {
        for (Throwable t = error.getException(); t != null; t = t.getCause()) {
            if (t instanceof TemplateFunctions.TemplateRaised r) {
                return raised(r);
            }
            if (t instanceof ChatTemplateException c) {
                return new ChatTemplateException(c.getMessage() + " (line " + error.getLineno() + ")", c);
            }
        }
        return new ChatTemplateException("chat template cannot be rendered exactly: " + error.getMessage()
                + " (line " + error.getLineno() + ")", error.getException());
    }

    private static ChatTemplateException raised(TemplateFunctions.TemplateRaised e) {
        return new ChatTemplateException("chat template raised an exception: " + e.getMessage(), e);
    }

    /**
     * Runs Jinjava with the context class loader set to the one that loaded Jinjava: its expression language loads
     * its parser by name through the context class loader, which a packaged service, a Quarkus test and a worker
     * thread each set differently. With this no service needs class-loading settings of its own for templates.
     */
    private static <T> T withJinjavasClassLoader(Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Jinjava.class.getClassLoader());
        try {
            return work.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static Jinjava newJinjava() {
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withNestedInterpretationEnabled(false)
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                .withFailOnUnknownTokens(false)
                .withMaxRenderDepth(MAX_RENDER_DEPTH)
                .withMaxOutputSize(MAX_OUTPUT_CHARS)
                .withMaxStringLength(MAX_OUTPUT_CHARS)
                .withMaxListSize(MAX_COLLECTION_SIZE)
                .withMaxMapSize(MAX_COLLECTION_SIZE)
                .withRangeLimit(MAX_RANGE)
                .withProcessors(JinjavaProcessors.newBuilder().withNodePreProcessor(new RenderBudget()).build())
                .withEnableRecursiveMacroCalls(false)
                .withReadOnlyResolver(true)
                .withElResolver(new SandboxResolver())
                .withDisabled(DISABLED)
                .build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.setResourceLocator(new NoTemplates());
        jinjava.registerTag(new GenerationTag());
        jinjava.registerFilter(new TemplateFilters.ToJson());
        jinjava.registerFilter(new TemplateFilters.Trim());
        jinjava.registerFilter(new TemplateFilters.Str());
        jinjava.registerExpTest(new TemplateFilters.Iterable());
        jinjava.registerExpTest(new TemplateFilters.Sequence());
        jinjava.registerFunction(new ELFunctionDefinition("", "raise_exception", TemplateFunctions.class,
                "raiseException", Object.class));
        jinjava.registerFunction(new ELFunctionDefinition("", TagBodies.STR_FUNCTION, PyRepr.class, "str", Object.class));
        jinjava.registerFunction(new ELFunctionDefinition("", "range", TemplateFunctions.class, "range",
                Object.class, Object[].class));
        jinjava.registerFunction(new ELFunctionDefinition("", "strftime_now", TemplateFunctions.class,
                "strftimeNow", String.class));
        return jinjava;
    }

    /** Chat templates are single files: include/import never read anything. */
    private static final class NoTemplates implements ResourceLocator {
        @Override
        public String getString(String fullName, Charset encoding, JinjavaInterpreter interpreter) throws IOException {
            throw new IOException("chat templates cannot load other templates ('" + fullName + "')");
        }
    }
}
