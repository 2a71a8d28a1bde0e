package org.territoire.telemetry;

import java.time.Clock;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.http.ApiHandler;
import org.territoire.shared.http.Router;
import org.territoire.shared.idempotency.DynamoIdempotencyStore;
import org.territoire.shared.idempotency.IdempotencyStore;

/**
 * The telemetry capability's function. Its routes are built by issue #6; until then its
 * route table is empty and every request is answered 404 problem+json.
 */
public final class TelemetryApiHandler extends ApiHandler {
    static final String TABLE_VARIABLE = "TELEMETRY_TABLE";

    public TelemetryApiHandler() {
        this(new DynamoIdempotencyStore(Aws.dynamoDb(), Env.require(TABLE_VARIABLE), Clock.systemUTC()));
    }

    public TelemetryApiHandler(IdempotencyStore idempotency) {
        super(new Router(), idempotency);
    }
}
