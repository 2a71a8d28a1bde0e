package org.territoire.consultations;

import java.time.Clock;
import org.territoire.consultations.store.DynamoConsultationsPersonalData;
import org.territoire.shared.accounts.AccountEventsLambda;
import org.territoire.shared.accounts.AccountEventsProcessor;
import org.territoire.shared.accounts.ExportSink;
import org.territoire.shared.accounts.PersonalData;
import org.territoire.shared.accounts.S3ExportSink;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;

/** The consultations capability's consumer of {@code Account Deleted} and {@code Account Export Requested} (see AccountEventsProcessor). */
public final class AccountEventsHandler extends AccountEventsLambda {

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public AccountEventsHandler() {
        // With the events its outbox keeps naming the person (exported, and forgotten by the erasure).
        this(new org.territoire.shared.accounts.PersonalDataWithOutbox(
                new DynamoConsultationsPersonalData(Aws.dynamoDb(), Env.require(Wiring.TABLE_VARIABLE)),
                new org.territoire.shared.events.DynamoOutbox(Aws.dynamoDb(), Env.require(Wiring.TABLE_VARIABLE))), S3ExportSink.fromEnvironment(),
                Clock.systemUTC());
        org.territoire.shared.observability.EventPriming.register(this);
    }

    /** For tests. */
    public AccountEventsHandler(PersonalData data, ExportSink exports, Clock clock) {
        super(new AccountEventsProcessor(data, exports, clock));
    }
}
