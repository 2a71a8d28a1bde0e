package org.territoire.bookings.resources;

/** The pooled spaces and means of the mission: mobility, housing, work, and lent equipment. */
public enum ResourceKind {
    CAR_SHARING, SHARED_PARKING, COMMON_ROOM, SHARED_WORKSHOP, FESTIVE_HALL, COWORKING_DESK,
    BUSINESS_HOTEL_OFFICE, INCUBATOR_SPACE, LENT_EQUIPMENT
}
