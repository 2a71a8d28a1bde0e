package org.territoire.feedback;

import java.time.Clock;
import org.territoire.feedback.photo.S3PhotoStorage;
import org.territoire.feedback.store.DynamoFeedbackPersonalData;
import org.territoire.shared.accounts.AccountEventsLambda;
import org.territoire.shared.accounts.AccountEventsProcessor;
import org.territoire.shared.accounts.ExportSink;
import org.territoire.shared.accounts.PersonalData;
import org.territoire.shared.accounts.S3ExportSink;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;

/**
 * The feedback capability's consumer of {@code Account Deleted} and {@code Account Export
 * Requested} (see AccountEventsProcessor). It needs neither the pagination secret nor the
 * handle key: anonymised evaluations get random handles, not recomputed ones. It deletes an
 * erased resident's photos from the photos bucket (published/ only: see template.yaml).
 */
public final class AccountEventsHandler extends AccountEventsLambda {

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public AccountEventsHandler() {
        // With the events its outbox keeps naming the person (exported, and forgotten by the erasure).
        this(new org.territoire.shared.accounts.PersonalDataWithOutbox(
                new DynamoFeedbackPersonalData(Aws.dynamoDb(), Env.require(Wiring.TABLE_VARIABLE), S3PhotoStorage.fromEnvironment()),
                new org.territoire.shared.events.DynamoOutbox(Aws.dynamoDb(), Env.require(Wiring.TABLE_VARIABLE))), S3ExportSink.fromEnvironment(),
                Clock.systemUTC());
        org.territoire.shared.observability.EventPriming.register(this);
    }

    /** For tests. */
    public AccountEventsHandler(PersonalData data, ExportSink exports, Clock clock) {
        super(new AccountEventsProcessor(data, exports, clock));
    }
}
