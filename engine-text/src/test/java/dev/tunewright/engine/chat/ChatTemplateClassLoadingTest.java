package dev.tunewright.engine.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chat templates render whatever the calling thread's context class loader is. Jinjava's expression language
 * loads its parser by name through that loader; a service's packaged jar, a Quarkus test and a worker thread each
 * set it differently, and a template that only works with one of them fails in the others (it did: a service
 * configured jinjava parent-first to make its tests pass, which broke its packaged jar).
 */
class ChatTemplateClassLoadingTest {

    @Test
    void rendersWhenTheContextClassLoaderCannotSeeJinjava() throws Exception {
        List<URL> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(new File(entry).toURI().toURL());
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // A fresh copy of the engine and Jinjava, so the template class initialises here, under a context class
        // loader that sees neither.
        try (URLClassLoader engine = new URLClassLoader(classPath.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
                URLClassLoader unrelated = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(unrelated);
            Class<?> template = Class.forName(ChatTemplate.class.getName(), true, engine);
            Object parsed = template.getMethod("of", String.class).invoke(null,
                    "{% for m in messages %}{{ m['role'] }}: {{ m['content'] | trim }};{% endfor %}");
            Object rendered = template.getMethod("render", List.class, boolean.class, Map.class).invoke(parsed,
                    List.of(Map.of("role", "user", "content", " hi ")), false, Map.of());

            assertThat(rendered).isEqualTo("user: hi;");
            assertThat(thread.getContextClassLoader()).isSameAs(unrelated);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
