package org.territoire.shared.observability;

import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * SLF4J's binding to {@link JsonLogger}, found by SLF4J through
 * {@code META-INF/services/org.slf4j.spi.SLF4JServiceProvider}: the functions' own loggers
 * and the AWS SDK's (which logs through SLF4J) write the kernel's JSON lines. The MDC is not
 * used: the invocation's fields come from {@link Logging}.
 */
public final class KernelLoggingProvider implements SLF4JServiceProvider {
    private final ConcurrentHashMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, JsonLogger::new);
    private IMarkerFactory markers;
    private MDCAdapter mdc;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        markers = new BasicMarkerFactory();
        mdc = new NOPMDCAdapter();
    }
}
