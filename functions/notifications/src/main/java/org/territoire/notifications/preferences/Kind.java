package org.territoire.notifications.preferences;

import java.util.Arrays;
import java.util.Optional;

/** What a person may be told about; each has its own preference. The JSON names are the API's. */
public enum Kind {
    /** A report one wrote or follows changed status, or is due its "is it fixed?" question. */
    REPORTS("reports"),
    /** For operators: a report routed to their organisation, or a resident asking to reopen one. */
    OPERATOR_REPORTS("operatorReports"),
    /** One's bookings: approved, cancelled by the operator, a reminder before the start. */
    BOOKINGS("bookings"),
    /**
     * Consultations opened or with results published in one's district (or territory-wide), and participatory budgets'
     * votes opened there.
     */
    CONSULTATIONS("consultations"),
    /** One's devices raising or clearing an alert. */
    DEVICE_ALERTS("deviceAlerts"),
    /** One's participatory-budget ballot: the receipt of a confirmation, a reminder of a draft left unconfirmed. */
    BUDGETS("budgets");

    private final String field;

    Kind(String field) {
        this.field = field;
    }

    public String field() {
        return field;
    }

    public static Optional<Kind> ofField(String field) {
        return Arrays.stream(values()).filter(k -> k.field.equals(field)).findFirst();
    }
}
