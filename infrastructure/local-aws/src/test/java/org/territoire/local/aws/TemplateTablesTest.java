package org.territoire.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** The local tables are the template's tables: same keys, same indexes. */
class TemplateTablesTest {

    @Test
    void everyTableOfTheTemplate_existsLocally_withItsKeysAndIndexes() {
        LocalAws aws = LocalAws.shared();
        for (SamTemplate.Table table : aws.template().tables()) {
            TableDescription local = aws.dynamoDb().describeTable(r -> r.tableName(table.logicalId())).table();
            var expected = TableProvisioner.request(table.logicalId(), table.properties());

            assertThat(local.keySchema()).as(table.logicalId()).containsExactlyElementsOf(expected.keySchema());
            Set<String> indexes = local.globalSecondaryIndexes().stream().map(i -> i.indexName()).collect(Collectors.toSet());
            assertThat(indexes).containsExactlyInAnyOrderElementsOf(
                    expected.globalSecondaryIndexes().stream().map(i -> i.indexName()).toList());
        }
    }

    @Test
    void template_declaresOneTablePerCapability_eachEncrypted_withPointInTimeRecovery_andOnDemand() {
        var tables = SamTemplate.load().tables();

        assertThat(tables).extracting(SamTemplate.Table::logicalId)
                .containsExactlyInAnyOrder("FeedbackTable", "BookingsTable", "ConsultationsTable", "TelemetryTable", "AccountsTable",
                        "NotificationsTable");
        assertThat(tables).allSatisfy(t -> {
            assertThat(t.properties().path("BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
            assertThat(t.properties().path("SSESpecification").path("SSEEnabled").asBoolean()).isTrue();
            assertThat(t.properties().path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean()).isTrue();
            assertThat(t.properties().path("TimeToLiveSpecification").path("AttributeName").asText()).isEqualTo("expiresAt");
        });
    }
}
