package org.territoire.notifications.ses;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.UUID;
import org.territoire.notifications.delivery.Mailer;
import org.territoire.shared.ddb.StorageException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;

/**
 * Email through Amazon SES (v2 SendEmail with raw content): raw, because the one-click unsubscribe
 * of RFC 8058 needs two headers of our own, {@code List-Unsubscribe} (an https URI) and
 * {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click}, which SES's simple content cannot
 * carry. SES signs them with the sending domain's DKIM key, as RFC 8058 section 4 asks
 * (docs/operations.md: verify the domain, Easy DKIM).
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html
 */
public final class SesMailer implements Mailer {
    private final java.util.function.Supplier<SesV2Client> ses;
    private final String sender;
    private final String senderName;

    public SesMailer(SesV2Client ses, String sender, String senderName) {
        this(() -> ses, sender, senderName);
    }

    /** With a client made on the first mail ({@link org.territoire.shared.ddb.LazyClient}). */
    public SesMailer(java.util.function.Supplier<SesV2Client> ses, String sender, String senderName) {
        this.ses = ses;
        this.sender = sender;
        this.senderName = senderName;
    }

    @Override
    public void send(Mail mail) {
        if (sender.isBlank() || !sender.contains("@")) {
            throw new IllegalStateException("no notification sender is configured (the stack's SesSenderEmail parameter)");
        }
        byte[] raw = mime(mail);
        try {
            ses.get().sendEmail(r -> r.fromEmailAddress(sender).destination(d -> d.toAddresses(mail.to()))
                    .content(c -> c.raw(m -> m.data(SdkBytes.fromByteArray(raw)))));
        } catch (MessageRejectedException e) {
            // A refusal of this mail (sandbox recipient, bad address) no retry will fix; it is logged, not retried forever.
            throw new IllegalStateException("SES refused the mail: " + e.awsErrorDetails().errorMessage(), e);
        } catch (SdkException e) {
            throw StorageException.busy("SES is unavailable", e);
        }
    }

    /** The message as RFC 5322 text: UTF-8 subject (RFC 2047) and body (base64), the RFC 8058 headers. */
    byte[] mime(Mail mail) {
        String crlf = "\r\n";
        StringBuilder m = new StringBuilder();
        m.append("From: ").append(encoded(senderName)).append(" <").append(sender).append('>').append(crlf);
        m.append("To: ").append(mail.to()).append(crlf);
        m.append("Subject: ").append(encoded(mail.subject())).append(crlf);
        m.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(java.time.ZoneOffset.UTC))).append(crlf);
        m.append("Message-ID: <").append(UUID.randomUUID()).append('@').append(sender.substring(sender.indexOf('@') + 1)).append('>').append(crlf);
        m.append("Content-Language: ").append(mail.language()).append(crlf);
        if (mail.unsubscribeUrl() != null) {
            // https://www.rfc-editor.org/rfc/rfc8058#section-3.1
            m.append("List-Unsubscribe: <").append(mail.unsubscribeUrl()).append('>').append(crlf);
            m.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click").append(crlf);
        }
        m.append("Auto-Submitted: auto-generated").append(crlf);
        m.append("MIME-Version: 1.0").append(crlf);
        m.append("Content-Type: text/plain; charset=UTF-8").append(crlf);
        m.append("Content-Transfer-Encoding: base64").append(crlf).append(crlf);
        m.append(Base64.getMimeEncoder(76, crlf.getBytes(StandardCharsets.US_ASCII))
                .encodeToString(mail.body().getBytes(StandardCharsets.UTF_8))).append(crlf);
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String encoded(String text) {
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
    }
}
