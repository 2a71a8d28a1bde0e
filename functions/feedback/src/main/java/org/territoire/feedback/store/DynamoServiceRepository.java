package org.territoire.feedback.store;

import java.util.Optional;
import org.territoire.feedback.catalogue.ServiceKind;
import org.territoire.feedback.catalogue.ServiceRepository;
import org.territoire.feedback.catalogue.TerritoryService;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.page.Page;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The catalogue in the feedback table, through the enhanced client; a creation goes through
 * {@link DynamoCalls#putNew} on the same client, so that a put applied whose answer was lost
 * (and that the SDK retried into its own condition) is reported as done, not as a conflict.
 */
public final class DynamoServiceRepository implements ServiceRepository {
    private final DynamoDbClient dynamo;
    private final String tableName;
    private final DynamoDbTable<ServiceItem> table;
    private final PageTokens tokens;

    public DynamoServiceRepository(DynamoDbClient dynamo, String tableName, PageTokens tokens) {
        this.dynamo = dynamo;
        this.tableName = tableName;
        this.table = Aws.enhanced(dynamo).table(tableName, ServiceItem.SCHEMA);
        this.tokens = tokens;
    }

    @Override
    public void create(TerritoryService service) {
        // The schema's own mapping, nulls left out as the enhanced client's putItem leaves them.
        if (!DynamoCalls.putNew(dynamo, tableName, ServiceItem.SCHEMA.itemToMap(ServiceItem.from(service), true))) {
            throw DomainError.conflict("a service with this id already exists");
        }
    }

    @Override
    public Optional<TerritoryService> find(String id) {
        try {
            ServiceItem item = table.getItem(Key.builder().partitionValue(ServiceItem.pkOf(id)).sortValue("SERVICE").build());
            return Optional.ofNullable(item).map(ServiceItem::toDomain);
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    @Override
    public boolean replace(TerritoryService service) {
        try {
            table.putItem(r -> r.item(ServiceItem.from(service)).conditionExpression(Expression.builder()
                    .expression("attribute_exists(pk) AND attribute_not_exists(retiredAt)").build()));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    @Override
    public Page<TerritoryService> list(Optional<ServiceKind> kind, int limit, Optional<String> pageToken) {
        String scope = "services?kind=" + kind.map(Enum::name).orElse("");
        String index = kind.isPresent() ? ServiceItem.GSI_KIND : ServiceItem.GSI_ALL;
        String partition = kind.map(k -> ServiceItem.CATALOGUE + "#" + k.name()).orElse(ServiceItem.CATALOGUE);
        try {
            var page = table.index(index).query(r -> r
                    .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(partition).build()))
                    .limit(limit)
                    .exclusiveStartKey(tokens.decode(scope, pageToken).orElse(null)))
                    .iterator().next();
            return new Page<>(page.items().stream().map(ServiceItem::toDomain).toList(),
                    tokens.encode(scope, page.lastEvaluatedKey()));
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }
}
