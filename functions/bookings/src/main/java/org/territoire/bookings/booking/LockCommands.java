package org.territoire.bookings.booking;

import org.territoire.bookings.resources.Resource;

/** Commands to the smart lock linked to a resource. */
public interface LockCommands {
    /** Asks the resource's lock to open for this booking; throws when the command could not be sent. */
    void unlock(Resource resource, Booking booking);
}
