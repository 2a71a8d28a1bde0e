package org.territoire.consultations;

import java.time.Clock;
import org.territoire.consultations.budget.BudgetService;
import org.territoire.consultations.budget.store.DynamoBudgetRepository;
import org.territoire.consultations.consultation.ConsultationService;
import org.territoire.consultations.proposal.ProposalService;
import org.territoire.consultations.store.DynamoConsultationRepository;
import org.territoire.consultations.store.DynamoProposalRepository;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.idempotency.DynamoIdempotencyStore;
import org.territoire.shared.idempotency.IdempotencyStore;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The consultations function's parts, built once from its environment: one DynamoDB client
 * and the adapters over its table, the services on them. Tests build the same graph against
 * the local endpoint with {@link #of} and hand its services to the handler.
 */
public final class Wiring {
    static final String TABLE_VARIABLE = "CONSULTATIONS_TABLE";

    private final ConsultationService consultations;
    private final ProposalService proposals;
    private final IdempotencyStore idempotency;
    private final BudgetService budgets;

    private Wiring(ConsultationService consultations, ProposalService proposals, IdempotencyStore idempotency, BudgetService budgets) {
        this.budgets = budgets;
        this.consultations = consultations;
        this.proposals = proposals;
        this.idempotency = idempotency;
    }

    static Wiring fromEnvironment() {
        Wiring wiring = of(Aws.dynamoDb(), Env.require(TABLE_VARIABLE), Clock.systemUTC(), PaginationKey.load());
        // Consultation events for the notifications capability (territoire.consultations), after each committed write.
        var events = eventsFromEnvironment(Env.require(TABLE_VARIABLE));
        wiring.consultations.publishingTo(events);
        wiring.budgets.publishingTo(events);
        return wiring;
    }

    /** Consultations' events on the bus of EVENT_BUS_NAME, under territoire.consultations, after the committed write. */
    static org.territoire.shared.events.DomainEvents eventsFromEnvironment(String table) {
        // What the bus refuses waits in the table's outbox for the sweep (docs/decisions.md, "Domain events after the write").
        return new org.territoire.shared.events.AfterCommit(busFromEnvironment(),
                new org.territoire.shared.events.DynamoOutbox(Aws.dynamoDb(), table), Clock.systemUTC());
    }

    /** The same bus, whose refusals throw: for a caller that keeps what was refused to publish it again (the sweep's openings). */
    static org.territoire.shared.events.DomainEvents busFromEnvironment() {
        // The client is built on the first publish (LazyClient): reads publish nothing.
        return new org.territoire.shared.events.EventBridgeDomainEvents(
                org.territoire.shared.events.EventBridgeDomainEvents.lazyClient(), Env.require("EVENT_BUS_NAME"),
                "territoire.consultations");
    }

    public static Wiring of(DynamoDbClient dynamo, String table, Clock clock, PageTokens tokens) {
        var consultations = new ConsultationService(new DynamoConsultationRepository(dynamo, table, tokens), clock);
        var proposals = new ProposalService(consultations, new DynamoProposalRepository(dynamo, table, tokens), clock);
        var budgets = new BudgetService(new DynamoBudgetRepository(dynamo, table, tokens), clock);
        return new Wiring(consultations, proposals, new DynamoIdempotencyStore(dynamo, table, clock), budgets);
    }

    public ConsultationService consultations() {
        return consultations;
    }

    public BudgetService budgets() {
        return budgets;
    }

    public ProposalService proposals() {
        return proposals;
    }

    /** On the same client and table as the adapters: one DynamoDB client per function. */
    public IdempotencyStore idempotency() {
        return idempotency;
    }
}
