package org.territoire.consultations.budget;

import org.territoire.shared.error.DomainError;
import org.territoire.shared.http.Access;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.Router;
import org.territoire.shared.identity.Role;

/** The participatory budgets' routes on the consultations function (declared in template.yaml and api/openapi.yaml too). */
public final class BudgetRoutes {
    /** Residents propose and vote (their district decides where); agents run the budget, review, publish and follow up. */
    private static final Access RESIDENTS = Access.roles(Role.RESIDENT);
    private static final Access AGENTS = Access.roles(Role.AGENT, Role.ADMIN);
    private static final String ONE = "/budgets/{budgetId}";
    private static final String PROJECT = ONE + "/projects/{projectId}";

    private BudgetRoutes() {
    }

    public static void register(Router router, BudgetService budgets) {
        router.post("/budgets", AGENTS, r -> {
                    var view = budgets.create(r.caller(), r.body(BudgetService.BudgetCommand.class));
                    return ApiResponse.created(view, "/budgets/" + view.id());
                })
                .get("/budgets", Access.SIGNED_IN, r -> ApiResponse.ok(budgets.list(r.caller(), r.intQuery("limit", 20, 1, 100), r.query("nextToken"))))
                .get(ONE, Access.SIGNED_IN, r -> ApiResponse.ok(budgets.get(r.caller(), r.path("budgetId"))))
                .action(ONE + "/schedule", AGENTS, r -> ApiResponse.ok(budgets.schedule(r.caller(), r.path("budgetId"))))
                .action(ONE + "/next-phase", AGENTS, r -> ApiResponse.ok(budgets.nextPhase(r.caller(), r.path("budgetId"))))
                .action(ONE + "/publish-results", AGENTS, r -> ApiResponse.ok(budgets.publishResults(r.caller(), r.path("budgetId"))))
                .post(ONE + "/projects", RESIDENTS, r -> {
                    var p = budgets.submit(r.caller(), r.path("budgetId"), r.body(BudgetService.ProjectCommand.class));
                    return ApiResponse.created(p, "/budgets/" + p.budgetId() + "/projects/" + p.id());
                })
                .get(ONE + "/projects", Access.SIGNED_IN, r -> ApiResponse.ok(new Items<>(budgets.projects(r.caller(), r.path("budgetId")))))
                .get(PROJECT, Access.SIGNED_IN, r -> ApiResponse.ok(budgets.project(r.caller(), r.path("budgetId"), r.path("projectId"))))
                .put(PROJECT + "/review", AGENTS, r -> ApiResponse.ok(budgets.review(r.caller(), r.path("budgetId"), r.path("projectId"),
                        r.body(BudgetService.ReviewCommand.class))))
                .put(PROJECT + "/implementation", AGENTS, r -> ApiResponse.ok(budgets.implementation(r.caller(), r.path("budgetId"),
                        r.path("projectId"), r.body(BudgetService.ImplementationCommand.class))))
                .post(PROJECT + "/updates", AGENTS, r -> ApiResponse.created(budgets.addUpdate(r.caller(), r.path("budgetId"), r.path("projectId"),
                        r.body(BudgetService.UpdateCommand.class)), "/budgets/" + r.path("budgetId") + "/projects/" + r.path("projectId")))
                .put(ONE + "/ballot", RESIDENTS, r -> ApiResponse.ok(budgets.saveDraft(r.caller(), r.path("budgetId"),
                        r.body(BudgetService.BallotCommand.class))))
                .get(ONE + "/ballot", RESIDENTS, r -> ApiResponse.ok(budgets.myBallot(r.caller(), r.path("budgetId"))))
                .action(ONE + "/ballot/confirm", RESIDENTS, r -> ApiResponse.ok(budgets.confirm(r.caller(), r.path("budgetId"))))
                .get(ONE + "/participation", AGENTS, r -> ApiResponse.ok(budgets.participation(r.caller(), r.path("budgetId"))))
                .get(ONE + "/results", Access.SIGNED_IN, r -> ApiResponse.ok(budgets.results(r.caller(), r.path("budgetId"))))
                .get(ONE + "/export", Access.SIGNED_IN, r -> {
                    String format = r.query("format").orElse("csv");
                    if (!format.equals("csv") && !format.equals("json")) {
                        throw DomainError.invalid("format", "must be csv or json");
                    }
                    var results = budgets.results(r.caller(), r.path("budgetId"));
                    if (results.publishedAt() == null) {
                        throw DomainError.forbidden("the open data is exported once the results are published");
                    }
                    return format.equals("json") ? ApiResponse.ok(results)
                            : ApiResponse.text(200, "text/csv; charset=utf-8", BudgetOpenData.csv(results))
                            .withHeader("content-disposition", "attachment; filename=\"budget-" + results.budgetId() + ".csv\"");
                });
    }

    /** A list in an object, as the API's collections are, so that it can grow fields. */
    public record Items<T>(java.util.List<T> items) {
    }
}
