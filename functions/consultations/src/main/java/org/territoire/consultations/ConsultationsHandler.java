package org.territoire.consultations;

import java.time.Clock;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.http.ApiHandler;
import org.territoire.shared.http.Router;
import org.territoire.shared.idempotency.DynamoIdempotencyStore;
import org.territoire.shared.idempotency.IdempotencyStore;

/**
 * The consultations capability's function. Its routes are built by issue #5; until then its
 * route table is empty and every request is answered 404 problem+json.
 */
public final class ConsultationsHandler extends ApiHandler {
    static final String TABLE_VARIABLE = "CONSULTATIONS_TABLE";

    public ConsultationsHandler() {
        this(new DynamoIdempotencyStore(Aws.dynamoDb(), Env.require(TABLE_VARIABLE), Clock.systemUTC()));
    }

    public ConsultationsHandler(IdempotencyStore idempotency) {
        super(new Router(), idempotency);
    }
}
