package org.territoire.bookings;

import java.time.Clock;
import java.time.ZoneId;
import java.util.Optional;
import org.territoire.bookings.store.IotLockCommands;
import org.territoire.shared.ddb.PaginationKey;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The real services and adapters on a given client and the test's clock (no IoT endpoint: a lock cannot be opened). */
final class LocalHandlers {
    static final String TABLE = "BookingsTable";
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private LocalHandlers() {
    }

    static Wiring wiring(DynamoDbClient dynamo, Clock clock) {
        return Wiring.of(dynamo, TABLE, clock, PARIS, PaginationKey.load());
    }

    static BookingsHandler api(Wiring w) {
        return new BookingsHandler(w.resources(), w.bookings(new IotLockCommands(Optional.empty())), w.quotas(), w.calendars(),
                w.occupancy(), w.idempotency());
    }
}
