package org.territoire.telemetry.store;

import static org.territoire.shared.ddb.Attributes.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.ddb.StorageException;
import org.territoire.telemetry.device.Consents;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** {@code CONSENT#owner / DISTRICT_AGGREGATES}: the owner's current choice ({@code share}) and when it was made ({@code at}). */
public final class DynamoConsents implements Consents {
    static final String SK = "DISTRICT_AGGREGATES";
    private final TelemetryTable table;

    public DynamoConsents(TelemetryTable table) {
        this.table = table;
    }

    static Map<String, AttributeValue> key(String ownerId) {
        return Map.of("pk", s("CONSENT#" + ownerId), "sk", s(SK));
    }

    @Override
    public Optional<Consent> find(String ownerId) {
        return DynamoCalls.get(table.dynamo(), table.name(), key(ownerId))
                .map(i -> new Consent(i.get("share").bool(), Instant.parse(i.get("at").s())));
    }

    @Override
    public void record(String ownerId, boolean share, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(key(ownerId));
        item.put("type", s("CONSENT"));
        item.put("share", AttributeValue.fromBool(share));
        item.put("at", s(at.toString()));
        // A token that outlives its erased account records no consent: the erasure's tombstone,
        // written first, fails this write (see Erasures).
        org.territoire.shared.accounts.Erasures.transactUnlessErased(table.dynamo(), table.name(), ownerId, List.of(
                software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(item)).build()));
    }

    @Override
    public Set<String> sharing(Collection<String> ownerIds) {
        Set<String> sharing = new HashSet<>();
        List<String> owners = new ArrayList<>(new HashSet<>(ownerIds));
        // BatchGetItem takes 100 keys; what it leaves unprocessed is asked again.
        for (int from = 0; from < owners.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = owners.subList(from, Math.min(owners.size(), from + 100)).stream()
                    .map(DynamoConsents::key).toList();
            Map<String, KeysAndAttributes> pending = Map.of(table.name(), KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            try {
                for (int attempt = 0; !pending.isEmpty(); attempt++) {
                    if (attempt == 8) {
                        throw StorageException.busy("consents could not all be read; retry", null);
                    }
                    Map<String, KeysAndAttributes> request = pending;
                    var response = table.dynamo().batchGetItem(b -> b.requestItems(request));
                    response.responses().getOrDefault(table.name(), List.of()).forEach(i -> {
                        if (i.get("share").bool()) {
                            sharing.add(i.get("pk").s().substring("CONSENT#".length()));
                        }
                    });
                    pending = response.unprocessedKeys();
                }
            } catch (SdkException e) {
                throw StorageException.from(e);
            }
        }
        return sharing;
    }

    @Override
    public void erase(String ownerId) {
        try {
            table.dynamo().deleteItem(d -> d.tableName(table.name()).key(key(ownerId)));
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }
}
