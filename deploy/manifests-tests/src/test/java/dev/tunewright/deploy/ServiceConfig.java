package dev.tunewright.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.Type;

/**
 * What a service's configuration reads, derived from the service itself rather than listed by hand, so that a key
 * added to a service is seen here at once: the keys of its {@code @ConfigMapping} interfaces (from the compiled
 * classes of the service and of the shared modules it depends on, with SmallRye's naming), the keys and
 * {@code ${ENV_VAR:default}} placeholders of its properties files, and the variables its code reads from the
 * environment directly ({@code System.getenv("X")}, {@code env.get("X")}).
 */
final class ServiceConfig {

    private static final DotName CONFIG_MAPPING = DotName.createSimple("io.smallrye.config.ConfigMapping");
    private static final DotName WITH_NAME = DotName.createSimple("io.smallrye.config.WithName");
    private static final DotName WITH_DEFAULT = DotName.createSimple("io.smallrye.config.WithDefault");
    private static final DotName WITH_PARENT_NAME = DotName.createSimple("io.smallrye.config.WithParentName");
    private static final Set<String> OPTIONALS = Set.of("java.util.Optional", "java.util.OptionalInt",
            "java.util.OptionalLong", "java.util.OptionalDouble");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
    private static final Pattern DIRECT_ENV = Pattern.compile("(?:getenv|env\\.get)\\(\\s*\"([A-Z][A-Z0-9_]*)\"\\s*\\)");

    /** A configuration key; {@code *} stands for one map key. */
    record Key(String name, boolean required, String source) {
        boolean readBy(String variable) {
            return Pattern.compile(envForm(name).replace("*", "[A-Z0-9_]+")).matcher(variable).matches();
        }
    }

    /** An environment variable named in a properties file: {@code ${NAME:default}}. */
    record Placeholder(String variable, String defaultValue, String file) {
        boolean required() {
            return defaultValue == null || defaultValue.isEmpty();
        }
    }

    final String service;
    final List<Path> modules;
    final List<Key> keys = new ArrayList<>();
    final Map<String, Placeholder> placeholders = new LinkedHashMap<>();
    final Set<String> directEnvironment = new TreeSet<>();

    private ServiceConfig(String service, List<Path> modules) {
        this.service = service;
        this.modules = modules;
    }

    /** The configuration of {@code service} (a module folder of the repository) and the shared modules it uses. */
    static ServiceConfig of(String service) throws IOException {
        Path repo = Manifests.REPO;
        String pom = Files.readString(repo.resolve(service).resolve("pom.xml"));
        List<Path> modules = new ArrayList<>(List.of(repo.resolve(service), repo.resolve("service-common")));
        // service-models builds on engine-text (tokenizers, the hub client); the engine builds on engine-text too
        if (pom.contains("<artifactId>service-models</artifactId>")) {
            modules.add(repo.resolve("service-models"));
            modules.add(repo.resolve("engine-text"));
        }
        if (pom.contains("<artifactId>engine</artifactId>")) {
            modules.add(repo.resolve("engine"));
            modules.add(repo.resolve("engine-text"));
        }
        ServiceConfig config = new ServiceConfig(service, modules);
        Map<String, String> values = new LinkedHashMap<>();
        config.readProperties(repo.resolve(service).resolve("src/main/resources/application.properties"), values);
        config.readProperties(repo.resolve("service-common/src/main/resources/META-INF/microprofile-config.properties"), values);
        if (modules.contains(repo.resolve("service-models"))) {
            config.readProperties(repo.resolve("service-models/src/main/resources/META-INF/microprofile-config.properties"),
                    values);
        }
        config.readMappings(values);
        config.readDirectEnvironment();
        return config;
    }

    /** Whether the service reads the variable: a placeholder, a key's environment form, or read by its code. */
    boolean reads(String variable) {
        return placeholders.containsKey(variable) || directEnvironment.contains(variable)
                || keys.stream().anyMatch(key -> key.readBy(variable));
    }

    /** SmallRye's environment form of a key: every character that is not a letter or digit becomes {@code _}. */
    static String envForm(String key) {
        StringBuilder form = new StringBuilder();
        for (char c : key.toCharArray()) {
            form.append(Character.isLetterOrDigit(c) || c == '*' ? Character.toUpperCase(c) : '_');
        }
        return form.toString();
    }

    private void readProperties(Path file, Map<String, String> values) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            if (name.startsWith("%")) {
                continue; // another profile's value
            }
            String value = properties.getProperty(name);
            values.putIfAbsent(name, value);
            keys.add(new Key(name, false, file.getFileName().toString()));
            Matcher matcher = PLACEHOLDER.matcher(value);
            while (matcher.find()) {
                placeholders.putIfAbsent(matcher.group(1), new Placeholder(matcher.group(1), matcher.group(2),
                        Manifests.REPO.relativize(file).toString()));
            }
        }
    }

    private void readMappings(Map<String, String> values) throws IOException {
        Index index = index();
        for (AnnotationInstance mapping : index.getAnnotations(CONFIG_MAPPING)) {
            ClassInfo type = mapping.target().asClass();
            walk(index, type, mapping.value("prefix").asString(), values, type.simpleName());
        }
    }

    private void walk(Index index, ClassInfo type, String prefix, Map<String, String> values, String source) {
        for (MethodInfo method : type.methods()) {
            if (method.parametersCount() > 0 || java.lang.reflect.Modifier.isStatic(method.flags())
                    || !java.lang.reflect.Modifier.isAbstract(method.flags())) {
                continue;
            }
            String name = method.hasAnnotation(WITH_NAME) ? method.annotation(WITH_NAME).value().asString()
                    : kebab(method.name());
            String key = method.hasAnnotation(WITH_PARENT_NAME) ? prefix : prefix + "." + name;
            Type returned = method.returnType();
            boolean optional = OPTIONALS.contains(returned.name().toString());
            if (returned.name().toString().equals("java.util.Optional")) {
                returned = returned.asParameterizedType().arguments().get(0);
            }
            if (returned.name().toString().equals("java.util.Map")) {
                key = key + ".*";
                returned = returned.asParameterizedType().arguments().get(1);
                optional = true;
            }
            ClassInfo group = index.getClassByName(returned.name());
            if (group != null && group.isInterface()) {
                walk(index, group, key, values, source);
                continue;
            }
            String finalKey = key;
            boolean hasValue = method.hasAnnotation(WITH_DEFAULT) || values.keySet().stream()
                    .anyMatch(k -> new Key(finalKey, false, "").readBy(envForm(k)));
            keys.add(new Key(key, !optional && !hasValue, source));
        }
    }

    private Index index() throws IOException {
        Indexer indexer = new Indexer();
        for (Path module : modules) {
            Path classes = module.resolve("target/classes");
            if (!Files.isDirectory(classes)) {
                throw new IllegalStateException(classes + " is missing: build " + module.getFileName()
                        + " first (the reactor builds it before this module)");
            }
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    try (InputStream in = Files.newInputStream(file)) {
                        indexer.index(in);
                    }
                }
            }
        }
        return indexer.complete();
    }

    private void readDirectEnvironment() throws IOException {
        for (Path module : modules) {
            Path sources = module.resolve("src/main/java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher matcher = DIRECT_ENV.matcher(Files.readString(file));
                    while (matcher.find()) {
                        directEnvironment.add(matcher.group(1));
                    }
                }
            }
        }
    }

    /** Required inputs: mapping keys without a value or default, and placeholders without a default. */
    Set<String> requiredVariables() {
        Set<String> required = new LinkedHashSet<>();
        keys.stream().filter(Key::required).forEach(key -> required.add(envForm(key.name())));
        placeholders.values().stream().filter(Placeholder::required).forEach(p -> required.add(p.variable()));
        return required;
    }

    private static String kebab(String name) {
        StringBuilder kebab = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                kebab.append('-').append(Character.toLowerCase(c));
            } else {
                kebab.append(c);
            }
        }
        return kebab.toString();
    }
}
