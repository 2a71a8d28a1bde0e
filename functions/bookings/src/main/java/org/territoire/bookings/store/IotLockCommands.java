package org.territoire.bookings.store;

import java.util.Optional;
import org.territoire.bookings.booking.Booking;
import org.territoire.bookings.booking.LockCommands;
import org.territoire.bookings.resources.Resource;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.iot.IotDataPublisher;
import org.territoire.shared.json.Json;

/**
 * Sends the unlock command on the lock's own command topic,
 * {@code cmd/territory/{district}/{deviceId}/unlock}, through the IoT data plane; the
 * device's IoT policy lets it subscribe to its own commands only.
 */
public final class IotLockCommands implements LockCommands {
    private final Optional<IotDataPublisher> publisher;

    public IotLockCommands(Optional<IotDataPublisher> publisher) {
        this.publisher = publisher;
    }

    public static String topic(Resource resource) {
        return "cmd/territory/" + resource.district() + "/" + resource.linkedDeviceId() + "/unlock";
    }

    @Override
    public void unlock(Resource resource, Booking booking) {
        IotDataPublisher iot = publisher.orElseThrow(() ->
                DomainError.unavailable("checked in, but no IoT data endpoint is configured to open the lock"));
        String payload = Json.write(java.util.Map.of("command", "unlock", "bookingId", booking.id(),
                "until", booking.end().toString()));
        try {
            iot.publish(topic(resource), payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IotDataPublisher.IotPublishException e) {
            throw DomainError.unavailable("checked in, but the lock could not be reached; check in again to retry");
        }
    }
}
