package org.territoire.bookings;

import java.time.Clock;
import org.territoire.shared.accounts.AccountEventsLambda;
import org.territoire.shared.accounts.AccountEventsProcessor;
import org.territoire.shared.accounts.ExportSink;
import org.territoire.shared.accounts.PersonalData;
import org.territoire.shared.accounts.S3ExportSink;

/** The bookings capability's consumer of {@code Account Deleted} and {@code Account Export Requested} (see AccountEventsProcessor). */
public final class AccountEventsHandler extends AccountEventsLambda {

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public AccountEventsHandler() {
        this(Wiring.forAccountEvents().personalData(), S3ExportSink.fromEnvironment(), Clock.systemUTC());
        org.territoire.shared.observability.EventPriming.register(this);
    }

    /** For tests. */
    public AccountEventsHandler(PersonalData data, ExportSink exports, Clock clock) {
        super(new AccountEventsProcessor(data, exports, clock));
    }
}
