package org.territoire.bookings.occupancy;

import java.util.Optional;

/** Live occupancy of resources, as their sensors report it. */
public interface OccupancyRepository {
    /** Records the observation unless a newer one is already recorded; false when it was older (late or duplicate). */
    boolean record(Occupancy occupancy);

    Optional<Occupancy> occupancy(String resourceId);
}
