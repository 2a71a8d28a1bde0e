package org.territoire.feedback.loop;

import java.time.Clock;
import java.time.Duration;
import org.territoire.feedback.loop.store.DynamoLoopRepository;
import org.territoire.feedback.store.DynamoReportRepository;
import org.territoire.shared.config.Env;
import org.territoire.shared.events.DomainEvents;
import org.territoire.shared.events.EventBridgeDomainEvents;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The closing-loop service over the feedback table and the bus, for the API function and the sweep. */
public final class LoopWiring {
    public static final String CHECK_AFTER_VARIABLE = "RESOLUTION_CHECK_DAYS";
    public static final String SOURCE = "territoire.feedback";

    private LoopWiring() {
    }

    public static LoopService service(DynamoDbClient dynamo, String table, Clock clock, PageTokens tokens, DomainEvents events,
                                      Duration checkAfter) {
        DynamoReportRepository reports = new DynamoReportRepository(dynamo, table, tokens, clock);
        var catalogue = new org.territoire.feedback.catalogue.CatalogueService(
                new org.territoire.feedback.store.DynamoServiceRepository(dynamo, table, tokens), clock);
        return new LoopService(reports, new DynamoLoopRepository(dynamo, table, tokens, reports), events, clock, checkAfter,
                serviceId -> catalogue.find(serviceId).map(org.territoire.feedback.catalogue.TerritoryService::category))
                .followedBy(new org.territoire.feedback.store.DynamoFollowers(dynamo, table));
    }

    /** The territory's bus ({@code EVENT_BUS_NAME}), one client per function, built at init. */
    public static DomainEvents eventsFromEnvironment() {
        return new EventBridgeDomainEvents(EventBridgeDomainEvents.lazyClient(), Env.require("EVENT_BUS_NAME"), SOURCE);
    }

    public static Duration checkAfterFromEnvironment() {
        return checkAfter(Env.get(CHECK_AFTER_VARIABLE).orElse(null));
    }

    /** {@value #CHECK_AFTER_VARIABLE}: whole days after a resolution its author is asked (default 28). */
    static Duration checkAfter(String configured) {
        if (configured == null || configured.isBlank()) {
            return LoopService.DEFAULT_CHECK_AFTER;
        }
        String days = configured.strip();
        if (!days.matches("\\d{1,4}")) {
            throw new IllegalStateException(CHECK_AFTER_VARIABLE + " must be a whole number of days");
        }
        return Duration.ofDays(Long.parseLong(days));
    }
}
