package org.territoire.bookings;

import java.time.Clock;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.http.ApiHandler;
import org.territoire.shared.http.Router;
import org.territoire.shared.idempotency.DynamoIdempotencyStore;
import org.territoire.shared.idempotency.IdempotencyStore;

/**
 * The bookings capability's function. Its routes are built by issue #4; until then its
 * route table is empty and every request is answered 404 problem+json.
 */
public final class BookingsHandler extends ApiHandler {
    static final String TABLE_VARIABLE = "BOOKINGS_TABLE";

    public BookingsHandler() {
        this(new DynamoIdempotencyStore(Aws.dynamoDb(), Env.require(TABLE_VARIABLE), Clock.systemUTC()));
    }

    public BookingsHandler(IdempotencyStore idempotency) {
        super(new Router(), idempotency);
    }
}
