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
        this(withOutbox(Wiring.forAccountEvents()), S3ExportSink.fromEnvironment(), Clock.systemUTC());
        org.territoire.shared.observability.EventPriming.register(this);
    }

    /** Its data with the events its outbox keeps naming the person (exported, and forgotten by the erasure). */
    private static PersonalData withOutbox(Wiring w) {
        return new org.territoire.shared.accounts.PersonalDataWithOutbox(w.personalData(), w.outbox());
    }

    /** For tests. */
    public AccountEventsHandler(PersonalData data, ExportSink exports, Clock clock) {
        super(new AccountEventsProcessor(data, exports, clock));
    }
}
