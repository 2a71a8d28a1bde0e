package org.territoire.notifications.delivery;

/** Sends one email; throws {@link org.territoire.shared.ddb.StorageException} when the service refuses it for now. */
public interface Mailer {
    void send(Mail mail);

    /** @param unsubscribeUrl the one-click link (RFC 8058) for the kind this mail is about */
    record Mail(String to, String language, String subject, String body, String unsubscribeUrl) {
    }
}
