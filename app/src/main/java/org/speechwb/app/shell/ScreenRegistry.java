package org.speechwb.app.shell;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which provider builds which screen. The main window asks it for every screen in
 * {@link ScreenId} order; a screen nobody provides yet is shown as a placeholder, so the
 * shell and the screens can be developed and merged independently.
 */
public final class ScreenRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ScreenRegistry.class);

    private final Map<ScreenId, ScreenProvider> providers = new EnumMap<>(ScreenId.class);

    /** Registers (or replaces) the provider of a screen. */
    public ScreenRegistry register(ScreenProvider provider) {
        ScreenProvider old = providers.put(provider.id(), provider);
        if (old != null && old.getClass() != provider.getClass()) {
            LOG.info("Screen {}: {} replaces {}", provider.id(), provider.getClass().getName(), old.getClass().getName());
        }
        return this;
    }

    /** Registers a provider from a lambda. */
    public ScreenRegistry register(ScreenId id, java.util.function.Function<ScreenContext, Screen> factory) {
        return register(new ScreenProvider() {
            @Override
            public ScreenId id() {
                return id;
            }

            @Override
            public Screen create(ScreenContext context) {
                return factory.apply(context);
            }
        });
    }

    /**
     * Adds providers found through {@link ServiceLoader}; those found there win over what was
     * registered before (built-in placeholders).
     */
    public ScreenRegistry discover(ClassLoader loader) {
        for (ScreenProvider p : ServiceLoader.load(ScreenProvider.class, loader)) {
            LOG.info("Discovered screen provider {} for {}", p.getClass().getName(), p.id());
            register(p);
        }
        return this;
    }

    public Optional<ScreenProvider> provider(ScreenId id) {
        return Optional.ofNullable(providers.get(id));
    }

    public boolean has(ScreenId id) {
        return providers.containsKey(id);
    }
}
