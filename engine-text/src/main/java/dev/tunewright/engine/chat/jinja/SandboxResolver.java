package dev.tunewright.engine.chat.jinja;

import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.lib.Importable;
import dev.tunewright.engine.chat.ChatTemplateException;
import java.beans.FeatureDescriptor;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Narrows what a template can reach through {@code .} and method calls. Chat templates come with
 * downloaded models, so they are untrusted: strings expose the Python {@code str} methods of
 * {@link PyStrings} only, maps the read-only dict methods, and scalars no attributes at all (Jinja2
 * yields undefined there). Everything else is refused with a message, never silently ignored.
 */
final class SandboxResolver extends ELResolver {

    private static final Set<String> MAP_METHODS = Set.of("items", "keys", "values", "get");

    private final ELResolver delegate = JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY;

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        String name = String.valueOf(method);
        Object[] args = params == null ? new Object[0] : params;
        if (base instanceof String s) {
            context.setPropertyResolved(true);
            return PyStrings.invoke(s, name, args);
        }
        if (base instanceof Map<?, ?> && MAP_METHODS.contains(name)) {
            return delegate.invoke(context, base, method, paramTypes, params);
        }
        if (base instanceof Importable || (base != null && base.getClass().getName().startsWith("com.hubspot.jinjava."))) {
            // Jinjava applies filters, tests and loop helpers through this same call.
            return delegate.invoke(context, base, method, paramTypes, params);
        }
        if (base instanceof Map<?, ?> || base instanceof List<?>) {
            throw new ChatTemplateException("chat template calls ." + name + "() on a "
                    + (base instanceof Map<?, ?> ? "dict" : "list") + ", which is not supported (templates are read-only)");
        }
        throw new ChatTemplateException("chat template calls ." + name + "() on "
                + (base == null ? "an undefined value" : "a " + base.getClass().getSimpleName()) + ", which is not supported");
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (base instanceof CharSequence s && String.valueOf(property).matches("-?\\d{1,9}")) {
            // Jinjava hands a string subscript over as text: s[-1] arrives as "-1".
            context.setPropertyResolved(true);
            int n = Integer.parseInt(String.valueOf(property));
            int i = n < 0 ? s.length() + n : n;
            return i >= 0 && i < s.length() ? String.valueOf(s.charAt(i)) : null;
        }
        if (base instanceof CharSequence || base instanceof Number || base instanceof Boolean) {
            context.setPropertyResolved(true);
            return null;
        }
        return delegate.getValue(context, base, property);
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return delegate.getType(context, base, property);
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        throw new ChatTemplateException("chat template assigns to ." + property + ", which is not supported");
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return delegate.getCommonPropertyType(context, base);
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return delegate.getFeatureDescriptors(context, base);
    }
}
