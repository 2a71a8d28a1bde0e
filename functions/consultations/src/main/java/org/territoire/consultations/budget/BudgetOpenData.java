package org.territoire.consultations.budget;

import java.util.List;

/**
 * A budget's results as open data, like the polls' export: one CSV row per project on the
 * ballot (RFC 4180, UTF-8, CRLF), never a voter, never an author. The JSON export is the
 * results view itself.
 */
public final class BudgetOpenData {
    public static final List<String> COLUMNS = List.of("budget_id", "district", "project_id", "title", "cost_eur", "votes", "rank", "selected",
            "outcome");

    private BudgetOpenData() {
    }

    public static String csv(BudgetViews.ResultsView r) {
        StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (BudgetViews.ResultRow p : r.projects()) {
            out.append(String.join(",", List.of(r.budgetId(), cell(r.district()), p.projectId(), cell(p.title()), String.valueOf(p.cost()),
                    String.valueOf(p.votes()), String.valueOf(p.rank()), String.valueOf(p.outcome() == Winners.Outcome.SELECTED),
                    p.outcome().name()))).append("\r\n");
        }
        return out.toString();
    }

    /** RFC 4180 quoting, and a leading quote mark for text a spreadsheet would run as a formula (OWASP "CSV injection"). */
    static String cell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        boolean quote = v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r");
        return quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
