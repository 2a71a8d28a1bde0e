package org.territoire.bookings.memory;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.territoire.bookings.calendar.CalendarFeeds;

/** Calendar feeds in memory: each person's current hash, and whose feed each live hash opens. */
public final class MemoryCalendarFeeds implements CalendarFeeds {
    public final Map<String, String> hashOfUser = new HashMap<>();
    public final Map<String, String> ownerOfHash = new HashMap<>();

    @Override
    public synchronized void replace(String userId, String secretHash) {
        String previous = hashOfUser.put(userId, secretHash);
        if (previous != null) {
            ownerOfHash.remove(previous);
        }
        ownerOfHash.put(secretHash, userId);
    }

    @Override
    public synchronized Optional<String> owner(String secretHash) {
        return Optional.ofNullable(ownerOfHash.get(secretHash));
    }
}
